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
