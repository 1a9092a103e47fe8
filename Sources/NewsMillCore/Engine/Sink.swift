/// Where a run's records go, in the fixed order, from one thread (the engine's writer).
public protocol DocumentSink: AnyObject {
    func write(_ document: Document) throws(RunFailure)
    func write(_ reject: Reject) throws(RunFailure)
    /// After the records of each unit the source emitted (none when all of them were dropped): a
    /// sharded run's map task marks units so that slices of one archive can be merged back in order.
    func endUnit() throws(RunFailure)
    /// After the last record: makes everything durable and says what was written.
    func close() throws(RunFailure) -> OutputSummary
}

extension DocumentSink {
    public func endUnit() throws(RunFailure) {}
}

/// What a sink wrote, for the report (`output`).
public struct OutputSummary: Sendable, Equatable {
    /// Files written, in order (part files for JSON Lines).
    public var files: [String]
    public var records: Int
    /// Uncompressed bytes of the records.
    public var bytes: Int
    public var compression: PartCompression
    /// The files' bytes on disk (`bytes` when not compressed).
    public var compressedBytes: Int

    public init(
        files: [String] = [], records: Int, bytes: Int = 0, compression: PartCompression = .none, compressedBytes: Int? = nil
    ) {
        self.files = files
        self.records = records
        self.bytes = bytes
        self.compression = compression
        self.compressedBytes = compressedBytes ?? bytes
    }
}

/// Keeps records in memory: runs the engine without files.
public final class ArraySink: DocumentSink {
    public private(set) var documents: [Document] = []
    public private(set) var rejects: [Reject] = []
    public private(set) var closed = false

    public init() {}

    public func write(_ document: Document) throws(RunFailure) {
        documents.append(document)
    }

    public func write(_ reject: Reject) throws(RunFailure) {
        rejects.append(reject)
    }

    public func close() throws(RunFailure) -> OutputSummary {
        closed = true
        return OutputSummary(records: documents.count)
    }
}
