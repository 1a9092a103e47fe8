import ArchiveIO

/// Cuts a dump into chunks of whole records as it streams, so that a dump of any size runs in
/// bounded memory and its rows are decoded in parallel.
struct RecordChunker: Sendable {
    /// Chunks are cut at about this size: big enough to amortize scheduling, small enough to keep
    /// every worker busy.
    static let chunkBytes = 512 * 1024

    /// The format the chunks are decoded as.
    let format: MemberFormat
    /// CSV: records end at newlines outside double quotes, and the first record is the header,
    /// which travels with every chunk.
    let csv: Bool

    /// `first`: a piece already read from the member (empty: the member ended there).
    func stream(_ member: MemberBytes, first: [UInt8]? = nil, emit: (SourceItem) -> Void) {
        let origin = member.origin
        var splitter = RecordSplitter(csv: csv)
        var pending: [UInt8] = []
        var header: [UInt8]?
        var nextRow = 1
        var sawBytes = false
        var unread = first

        func flush(upTo end: Int, records: Int) {
            guard end > 0 else { return }
            var chunk = Array(pending[0..<end])
            pending.removeFirst(end)
            splitter.consumed(end)
            if csv && header == nil {
                let headerEnd = splitter.firstRecordEnd(in: chunk)
                header = Array(chunk[0..<headerEnd])
                chunk.removeFirst(headerEnd)
                if chunk.isEmpty { return }
                emit(.rows(RowChunk(origin: origin, format: format, header: header, bytes: chunk, firstRow: nextRow)))
                nextRow += records - 1
                return
            }
            emit(.rows(RowChunk(origin: origin, format: format, header: header, bytes: chunk, firstRow: nextRow)))
            nextRow += records
        }

        do throws(ArchiveFailure) {
            while true {
                if let piece = unread {
                    unread = nil
                    if piece.isEmpty { break }
                    pending.append(contentsOf: piece)
                } else {
                    let piece = try member.next()
                    if piece.isEmpty { break }
                    pending.append(contentsOf: piece)
                }
                sawBytes = true
                splitter.scan(pending)
                if pending.count >= Self.chunkBytes, let boundary = splitter.lastBoundary {
                    flush(upTo: boundary, records: splitter.recordsBeforeBoundary)
                } else if splitter.lastBoundary == nil && pending.count > member.maxBytes {
                    emit(
                        .reject(
                            Reject(
                                Origin(archive: origin.archive, member: origin.member, row: nextRow), .memberTooLarge,
                                "a record longer than max_member_bytes (\(member.maxBytes)); the rest of the member is skipped")))
                    try member.drain()
                    return
                }
            }
        } catch {
            if !pending.isEmpty {
                splitter.scan(pending)
                if let boundary = splitter.lastBoundary { flush(upTo: boundary, records: splitter.recordsBeforeBoundary) }
            }
            let place = nextRow > 1 ? " at row \(nextRow)" : ""
            emit(.reject(Reject(origin, .memberCorrupt, "\(error.message)\(place); the rest of the member is lost")))
            return
        }
        if !sawBytes {
            emit(.reject(Reject(origin, .memberEmpty, "the member is empty")))
            return
        }
        // The last record may lack its final newline.
        if !pending.isEmpty {
            splitter.scan(pending)
            let tailRecords = splitter.recordsBeforeBoundary + (splitter.lastBoundary == pending.count ? 0 : 1)
            flush(upTo: pending.count, records: tailRecords)
        }
    }
}

/// Finds record boundaries in a growing buffer: newlines for JSON Lines, newlines outside
/// quoted fields for CSV. Keeps its scan position so each byte is looked at once.
struct RecordSplitter {
    let csv: Bool
    private var scanned = 0
    private var inQuotes = false
    private(set) var lastBoundary: Int?
    private(set) var recordsBeforeBoundary = 0
    private var records = 0

    init(csv: Bool) {
        self.csv = csv
    }

    static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    mutating func scan(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { p in
            var i = scanned
            while i < p.count {
                let b = p[i]
                if csv && b == UInt8(ascii: "\"") {
                    inQuotes.toggle()
                } else if b == 0x0A && !inQuotes {
                    records += 1
                    lastBoundary = i + 1
                    recordsBeforeBoundary = records
                }
                i += 1
            }
            scanned = p.count
        }
    }

    /// The buffer lost its first `count` bytes (a flushed chunk): shift positions.
    mutating func consumed(_ count: Int) {
        scanned -= count
        records -= recordsBeforeBoundary
        recordsBeforeBoundary = 0
        lastBoundary = nil
    }

    /// End of the first record (after its newline) in a chunk, honoring CSV quotes.
    func firstRecordEnd(in bytes: [UInt8]) -> Int {
        var quoted = false
        for (i, b) in bytes.enumerated() {
            if csv && b == UInt8(ascii: "\"") { quoted.toggle() }
            if b == 0x0A && !quoted { return i + 1 }
        }
        return bytes.count
    }
}
