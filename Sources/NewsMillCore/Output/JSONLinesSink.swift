/// The run's output files in a folder: JSON Lines part files (`part-NNNNN.jsonl`) and
/// `rejects.jsonl`.
public final class JSONLinesSink: DocumentSink {
    private let parts: PartWriter
    private let rejects: FileSink
    private let serializer: RecordSerializer
    private var json = JSONWriter(capacity: 1 << 16)

    public init(directory: String, partMaxRecords: Int, serializer: RecordSerializer) throws(RunFailure) {
        parts = PartWriter(directory: directory, maxRecords: partMaxRecords)
        rejects = try FileSink(path: "\(directory)/rejects.jsonl")
        self.serializer = serializer
    }

    /// Where the sink is, every byte before it on disk: what a checkpoint records.
    public struct Position: Codable, Sendable, Equatable {
        var parts: PartWriter.Position
        var rejects: Int

        /// The files the position needs, with the bytes each must hold at least.
        public var lengths: [String: Int] {
            var lengths = ["rejects.jsonl": rejects]
            if let last = parts.parts.last { lengths[last] = parts.length }
            return lengths
        }
    }

    public func position() throws(RunFailure) -> Position {
        try rejects.sync()
        return Position(parts: try parts.position(), rejects: rejects.bytesWritten)
    }

    /// A sink going on from a checkpoint's position in the folder a killed run left.
    public init(directory: String, partMaxRecords: Int, serializer: RecordSerializer, resumingAt position: Position) throws(RunFailure) {
        parts = try PartWriter(directory: directory, maxRecords: partMaxRecords, resumingAt: position.parts)
        rejects = try FileSink(path: "\(directory)/rejects.jsonl", resumingAt: position.rejects)
        self.serializer = serializer
    }

    public func write(_ document: Document) throws(RunFailure) {
        json.reset()
        serializer.write(document, into: &json)
        try parts.write(json.bytes)
    }

    public func write(_ reject: Reject) throws(RunFailure) {
        json.reset()
        RecordSerializer.write(reject, into: &json)
        try rejects.write(json.bytes)
    }

    public func close() throws(RunFailure) -> OutputSummary {
        try parts.close()
        try rejects.close()
        return OutputSummary(files: parts.parts, records: parts.records, bytes: parts.bytes)
    }
}
