import Foundation

/// The run's output files in a folder: JSON Lines part files (`part-NNNNN.jsonl`, or
/// `.jsonl.zst`/`.jsonl.gz` when compressed) and `rejects.jsonl`, always plain.
public final class JSONLinesSink: DocumentSink {
    /// Where both files are: a checkpoint at a record boundary (see `PartWriter.Position`).
    public struct Position: Codable, Sendable, Equatable {
        public var parts: PartWriter.Position
        /// rejects.jsonl's length, synced: whole lines.
        public var rejectsLength: Int

        /// The files the position needs, with the bytes each must hold at least.
        public var lengths: [String: Int] { parts.lengths.merging(["rejects.jsonl": rejectsLength]) { $1 } }
    }

    private let parts: PartWriter
    private let rejects: FileSink
    private let serializer: RecordSerializer
    private var json = JSONWriter(capacity: 1 << 16)

    /// `threads`: how many compress the part files' frames.
    public init(
        directory: String, partMaxRecords: Int, compression: PartCompression = .none, threads: Int = 1,
        serializer: RecordSerializer
    ) throws(RunFailure) {
        parts = PartWriter(directory: directory, maxRecords: partMaxRecords, compression: compression, threads: threads)
        rejects = try FileSink(path: "\(directory)/rejects.jsonl")
        self.serializer = serializer
    }

    /// Goes on from `position` in the same folder, to the same bytes as a sink that never stopped.
    public init(
        directory: String, partMaxRecords: Int, compression: PartCompression = .none, threads: Int = 1,
        serializer: RecordSerializer, resumingAt position: Position
    ) throws(RunFailure) {
        parts = try PartWriter(
            directory: directory, maxRecords: partMaxRecords, compression: compression, threads: threads,
            resumingAt: position.parts)
        rejects = try FileSink(path: "\(directory)/rejects.jsonl", resumingAt: position.rejectsLength)
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

    /// Syncs both files. Rejects first: the parts' position then syncs the folder, which makes
    /// both files' names durable.
    public func position() throws(RunFailure) -> Position {
        try rejects.sync()
        let rejectsLength = rejects.bytesWritten
        return Position(parts: try parts.position(), rejectsLength: rejectsLength)
    }

    public func close() throws(RunFailure) -> OutputSummary {
        try parts.close()
        try rejects.close()
        return OutputSummary(
            files: parts.parts, records: parts.records, bytes: parts.bytes, compression: parts.compression,
            compressedBytes: parts.compressedBytes)
    }
}
