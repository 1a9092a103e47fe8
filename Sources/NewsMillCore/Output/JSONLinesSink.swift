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
