import Foundation

/// JSON Lines part files (part-00000.jsonl, …), a new one every `maxRecords` records, so
/// downstream tools can read them in parallel. Rotation depends on record count alone, which
/// keeps the files identical whatever the thread count.
final class PartWriter {
    let directory: String
    let maxRecords: Int
    private var current: FileSink?
    private var recordsInPart = 0
    private(set) var parts: [String] = []
    private(set) var records = 0
    private(set) var bytes = 0

    init(directory: String, maxRecords: Int) {
        self.directory = directory
        self.maxRecords = maxRecords
    }

    /// Where the writer is, durable on disk: a resumed run starts here.
    struct Position: Codable, Sendable, Equatable {
        var parts: [String]
        var recordsInPart: Int
        var records: Int
        var bytes: Int
        /// Bytes of the last part.
        var length: Int
    }

    func position() throws(RunFailure) -> Position {
        try current?.sync()
        return Position(parts: parts, recordsInPart: recordsInPart, records: records, bytes: bytes, length: current?.bytesWritten ?? 0)
    }

    /// A writer going on from `position`; parts a killed run started after it are removed.
    init(directory: String, maxRecords: Int, resumingAt position: Position) throws(RunFailure) {
        self.directory = directory
        self.maxRecords = maxRecords
        parts = position.parts
        recordsInPart = position.recordsInPart
        records = position.records
        bytes = position.bytes
        if let last = parts.last { current = try FileSink(path: "\(directory)/\(last)", resumingAt: position.length) }
        let kept = Set(parts)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix("part-") && !kept.contains(name) {
            unlink("\(directory)/\(name)")
        }
    }

    func write(_ line: [UInt8]) throws(RunFailure) {
        if current == nil || recordsInPart >= maxRecords {
            try closeCurrent()
            let name = "part-\(String(parts.count).leftPadded(to: 5)).jsonl"
            current = try FileSink(path: "\(directory)/\(name)")
            parts.append(name)
            recordsInPart = 0
        }
        try current!.write(line)
        recordsInPart += 1
        records += 1
        bytes += line.count
    }

    func close() throws(RunFailure) {
        try closeCurrent()
    }

    private func closeCurrent() throws(RunFailure) {
        try current?.close()
        current = nil
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
