import ArchiveIO

/// JSON Lines: one article per line.
struct JSONLinesFormat: RecordFormat {
    var format: MemberFormat { .jsonl }
    var extensionsKey: String { "jsonl" }
    var defaultExtensions: [String] { ["jsonl", "ndjson", "json"] }
    var chunker: RecordChunker { RecordChunker(format: format, csv: false) }

    func decode(_ chunk: RowChunk, options: InputOptions) -> [Outcome] {
        DumpFormat(options: options).decodeJSONLines(chunk)
    }

    func records(in chunk: RowChunk) -> Int {
        chunk.bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (chunk.bytes.last == 0x0A ? 0 : 1)
    }
}

/// A .json member: one array (or object) of articles read whole, or else JSON Lines under a
/// .json name. Listed under `input.extensions.jsonl`, as JSON Lines tools write both.
struct JSONFormat: FormatHandler {
    private static let lines = JSONLinesFormat()

    var format: MemberFormat { .json }
    var extensionsKey: String { Self.lines.extensionsKey }
    var defaultExtensions: [String] { [] }
    var joinsMetadata: Bool { false }

    func takes(extension: String) -> Bool { `extension` == "json" }

    func split(_ member: MemberBytes, emit: (SourceItem) -> Void) -> MemberSkip? {
        if member.rejectDeclaredSize(emit: emit) { return nil }
        var bytes: [UInt8]
        do throws(ArchiveFailure) {
            bytes = Array(try member.next())
        } catch {
            emit(.reject(Reject(member.origin, .memberCorrupt, "\(error.message); the rest of the member is lost")))
            return nil
        }
        let chunker = RecordChunker(format: format, csv: false)
        guard Self.opensArray(bytes) else {
            chunker.stream(member, first: bytes, emit: emit)
            return nil
        }
        do throws(ArchiveFailure) {
            while true {
                if bytes.count > member.maxBytes {
                    emit(.reject(Reject(member.origin, .memberTooLarge, "JSON document exceeds max_member_bytes (\(member.maxBytes))")))
                    try member.drain()
                    return nil
                }
                let piece = try member.next()
                if piece.isEmpty { break }
                bytes.append(contentsOf: piece)
            }
        } catch {
            emit(.reject(Reject(member.origin, .memberCorrupt, "\(error.message); the rest of the member is lost")))
            return nil
        }
        emit(.member(RawMember(origin: member.origin, format: format, bytes: bytes)))
        return nil
    }

    /// Whether the first piece read starts, after blanks and a byte order mark, with "[".
    private static func opensArray(_ bytes: [UInt8]) -> Bool {
        bytes.first { !RecordSplitter.isBlank($0) && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF } == UInt8(ascii: "[")
    }

    func decode(_ member: RawMember, options: InputOptions) -> [Outcome] {
        DumpFormat(options: options).decodeJSONDocument(member)
    }

    func decode(_ chunk: RowChunk, options: InputOptions) -> [Outcome] {
        Self.lines.decode(chunk, options: options)
    }

    func records(in chunk: RowChunk) -> Int {
        Self.lines.records(in: chunk)
    }
}

/// CSV with a header row naming the columns: one article per row.
struct CSVFormat: RecordFormat {
    var format: MemberFormat { .csv }
    var extensionsKey: String { "csv" }
    var defaultExtensions: [String] { ["csv"] }
    var chunker: RecordChunker { RecordChunker(format: format, csv: true) }

    func decode(_ chunk: RowChunk, options: InputOptions) -> [Outcome] {
        DumpFormat(options: options).decodeCSV(chunk)
    }

    /// Counted with "," whatever `input.csv.delimiter` says, as `inspect` always has.
    func records(in chunk: RowChunk) -> Int {
        var parser = CSVParser(bytes: chunk.bytes, delimiter: UInt8(ascii: ","))
        var count = 0
        while parser.next() != nil { count += 1 }
        return count
    }
}
