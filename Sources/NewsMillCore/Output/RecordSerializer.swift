/// One document as one JSON object, keys in the order of the schema (schema/record.schema.json):
/// the record's own keys, and between them the blocks of the stages, each where its
/// `RecordBlock.position` says. A block appears when its stage ran; meta when the dump has it.
public struct RecordSerializer: Sendable {
    public static let schemaVersion = 1
    let afterSource: [RecordBlock]
    let afterTitle: [RecordBlock]
    let atEnd: [RecordBlock]

    /// Blocks of one position are written in the order given; a field's first block wins.
    public init(blocks: [RecordBlock]) {
        var seen = Set<Field>()
        let unique = blocks.filter { seen.insert($0.field).inserted }
        afterSource = unique.filter { $0.position == .afterSource }
        afterTitle = unique.filter { $0.position == .afterTitle }
        atEnd = unique.filter { $0.position == .end }
    }

    public func write(_ document: Document, into json: inout JSONWriter) {
        var slots: [Int] = []
        write(document, into: &json, leavingOut: [], slots: &slots)
    }

    /// The blocks of `fields`, in the order the record has them.
    public func blocks(of fields: Set<Field>) -> [RecordBlock] {
        (afterSource + afterTitle + atEnd).filter { fields.contains($0.field) }
    }

    /// The record without the blocks of `fields`: where each would go is appended to `slots`
    /// instead (a byte offset in `json`). A sharded run's map task writes records so, and the
    /// write task puts in the blocks the sequence task wrote (`patch(_:block:)`).
    public func write(_ document: Document, into json: inout JSONWriter, leavingOut fields: Set<Field>, slots: inout [Int]) {
        func write(_ blocks: [RecordBlock]) {
            for block in blocks {
                if fields.contains(block.field) { slots.append(json.bytes.count) } else { block.write(document, &json) }
            }
        }
        json.beginObject()
        json.key("schema"); json.int(Self.schemaVersion)
        json.key("id"); json.string(document.id)
        json.key("source")
        json.beginObject()
        json.key("archive"); json.string(document.origin.archive)
        json.key("member"); json.string(document.origin.member)
        json.key("row"); json.int(document.origin.row)
        json.key("format"); json.string(document.format.rawValue)
        json.key("bytes"); json.int(document.sourceBytes)
        json.key("encoding"); json.string(document.encoding)
        if let misread = document.mojibakeRepairedFrom {
            json.key("mojibake"); json.string(misread.rawValue)
        }
        if document.textFromMarkup {
            json.key("html"); json.bool(true)
        }
        if let from = document.publishedFrom, document.published != nil {
            json.key("published_from"); json.string(from.rawValue)
        }
        if document.invalidBytes > 0 {
            json.key("invalid_bytes"); json.int(document.invalidBytes)
        }
        if let mixed = document.mixedCharset {
            json.key("mixed_charset"); json.string(mixed.rawValue)
        }
        json.endObject()
        write(afterSource)
        json.key("url"); json.string(document.url)
        json.key("title"); json.string(document.title)
        write(afterTitle)
        json.key("published"); json.string(document.published)
        json.key("text"); json.string(document.text)
        if !document.meta.isEmpty {
            json.key("meta")
            json.beginObject()
            for (key, value) in document.meta {
                json.key(key); json.string(value)
            }
            json.endObject()
        }
        write(atEnd)
        json.endObject()
        json.newline()
    }

    /// A block's bytes as they go into a record that has keys before it (a leading comma).
    public static func patch(_ document: Document, block: RecordBlock) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("_")
        json.null()
        let start = json.bytes.count
        block.write(document, &json)
        return Array(json.bytes[start...])
    }

    public static func write(_ reject: Reject, into json: inout JSONWriter) {
        json.beginObject()
        json.key("archive"); json.string(reject.origin.archive)
        json.key("member"); json.string(reject.origin.member)
        json.key("row"); json.int(reject.origin.row)
        json.key("code"); json.string(reject.code.rawValue)
        json.key("message"); json.string(reject.message)
        json.endObject()
        json.newline()
    }
}
