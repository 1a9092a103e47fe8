/// News dumps: one article per JSON object (JSON Lines, or a .json array) or per CSV row.
/// Field names are configurable; the first non-empty one of each list wins, and every other
/// field is kept in `meta` so nothing of the dump is lost.
struct DumpFormat {
    let fields: FieldNames
    let maxRecordBytes: Int
    var csvDelimiter: UInt8 = UInt8(ascii: ",")

    func decode(_ chunk: RowChunk) -> [Outcome] {
        let (utf8Chunk, charset) = Self.transcoded(chunk)
        let outcomes = utf8Chunk.format == .csv ? decodeCSV(utf8Chunk) : decodeJSONLines(utf8Chunk)
        return Self.label(outcomes, charset)
    }

    /// A dump in a legacy charset is converted chunk by chunk, before parsing: the detector sees
    /// many rows at once, which decides better than one short field would. Only single-byte
    /// charsets: chunks are cut at 0x0A bytes, which UTF-16 text does not allow.
    static func transcoded(_ chunk: RowChunk) -> (RowChunk, Charset?) {
        let valid = chunk.bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) != nil }
            && chunk.header.map { String(validating: $0, as: UTF8.self) != nil } ?? true
        guard !valid, let detection = ((chunk.header.map { $0 + [0x0A] } ?? []) + chunk.bytes).withUnsafeBufferPointer({
            CharsetDetector.detectSingleByte($0)
        }) else { return (chunk, nil) }
        let table = detection.charset.byteTable()
        func convert(_ bytes: [UInt8]) -> [UInt8] {
            Array(bytes.withUnsafeBufferPointer { Charset.decode($0, table: table) }.utf8)
        }
        var converted = chunk
        converted.bytes = convert(chunk.bytes)
        converted.header = chunk.header.map(convert)
        return (converted, detection.charset)
    }

    static func label(_ outcomes: [Outcome], _ charset: Charset?) -> [Outcome] {
        guard let charset else { return outcomes }
        return outcomes.map { outcome in
            guard case .document(var document) = outcome else { return outcome }
            document.encoding = charset.rawValue
            return .document(document)
        }
    }

    private func decodeJSONLines(_ chunk: RowChunk) -> [Outcome] {
        var outcomes: [Outcome] = []
        chunk.bytes.withUnsafeBufferPointer { all in
            var row = chunk.firstRow
            var start = 0
            while start < all.count {
                var end = start
                while end < all.count && all[end] != 0x0A { end += 1 }
                var line = UnsafeBufferPointer(rebasing: all[start..<end])
                if row == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                    line = UnsafeBufferPointer(rebasing: line[3...])
                }
                if !TextDecoding.isBlank(line) {
                    let origin = Origin(archive: chunk.origin.archive, member: chunk.origin.member, row: row)
                    outcomes.append(decodeJSONRecord(line, origin: origin))
                }
                row += 1
                start = end + 1
            }
        }
        return outcomes
    }

    func decodeJSONDocument(_ member: RawMember) -> [Outcome] {
        let (chunk, charset) = Self.transcoded(RowChunk(origin: member.origin, format: .json, header: nil, bytes: member.bytes, firstRow: 1))
        return Self.label(decodeJSONDocument(origin: member.origin, bytes: chunk.bytes), charset)
    }

    private func decodeJSONDocument(origin: Origin, bytes: [UInt8]) -> [Outcome] {
        let member = (origin: origin, bytes: bytes)
        let value: JSONValue
        do {
            value = try JSONParser.parse(stripBOM(member.bytes))
        } catch {
            return [.reject(Reject(member.origin, .jsonInvalid, "invalid JSON: \(error.message)"))]
        }
        let items: [JSONValue]
        if case .array(let array) = value { items = array } else { items = [value] }
        return items.enumerated().map { index, item in
            let origin = Origin(archive: member.origin.archive, member: member.origin.member, row: index + 1)
            return document(from: item, origin: origin, bytes: 0)
        }
    }

    private func stripBOM(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    private func decodeJSONRecord(_ line: UnsafeBufferPointer<UInt8>, origin: Origin) -> Outcome {
        if line.count > maxRecordBytes {
            return .reject(Reject(origin, .memberTooLarge, "record of \(line.count) bytes exceeds max_member_bytes (\(maxRecordBytes))"))
        }
        do {
            let value = try JSONParser.parse(line)
            return document(from: value, origin: origin, bytes: line.count)
        } catch {
            if String(validating: line, as: UTF8.self) == nil {
                return .reject(Reject(origin, .notUTF8, "the record is not UTF-8, and no supported charset gives plausible text"))
            }
            return .reject(Reject(origin, .jsonInvalid, "invalid JSON: \(error.message)"))
        }
    }

    private func document(from value: JSONValue, origin: Origin, bytes: Int) -> Outcome {
        guard case .object(let members) = value else {
            return .reject(Reject(origin, .jsonInvalid, "expected a JSON object with the article's fields"))
        }
        return document(fields: members.map { ($0.key, $0.value.fieldText) }, origin: origin, format: origin.row == nil ? .json : .jsonl, bytes: bytes)
    }

    /// Maps named values onto a document.
    func document(fields values: [(String, String?)], origin: Origin, format: MemberFormat, bytes: Int) -> Outcome {
        func pick(_ names: [String]) -> (name: String, value: String)? {
            for name in names {
                if let found = values.first(where: { $0.0.lowercased() == name.lowercased() }), let value = found.1,
                   value.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
                    return (found.0, value)
                }
            }
            return nil
        }
        guard let text = pick(fields.text) else {
            return .reject(Reject(origin, .rowWithoutText, "no non-empty text field (looked for: \(fields.text.joined(separator: ", ")))"))
        }
        let titleField = pick(fields.title)
        var title = titleField?.value
        var body = text.value
        var pageDate: String?
        let markup = fields.html.applies(to: text.value)
        if markup {
            // The same extraction as an .html member's: attribute quotes and scripts never reach
            // the text, and the typography step never sees markup.
            let page = HTMLText.extract(text.value)
            var paragraphs = page.paragraphs
            if title == nil, let headline = page.headline {
                title = headline
                if let index = paragraphs.firstIndex(of: headline) { paragraphs.remove(at: index) }
            }
            guard !paragraphs.isEmpty else {
                return .reject(Reject(origin, .emptyText, "the text field '\(text.name)' holds markup without text"))
            }
            body = paragraphs.joined(separator: "\n")
            pageDate = page.published
        }
        let url = pick(fields.url)
        let date = pick(fields.date)
        var used: Set<String> = [text.name, titleField?.name, url?.name].compactMap { $0 }.reduce(into: []) { $0.insert($1) }
        var published: String?
        var publishedFrom: PublishedSource?
        if let parsed = date.flatMap({ DateField.parse($0.value) }) {
            (published, publishedFrom) = (parsed.value, .field)
            // A date we could not read whole stays in meta as it was written.
            if parsed.complete, let date { used.insert(date.name) }
        } else if let value = pageDate.flatMap(DateField.isoDate) {
            (published, publishedFrom) = (value, .html)
        } else if let value = url.flatMap({ DateField.fromURL($0.value) }) {
            (published, publishedFrom) = (value, .url)
        }
        let meta = values.compactMap { name, value -> (key: String, value: String)? in
            guard !used.contains(name), let value else { return nil }
            return (name, value)
        }
        var document = Document(origin: origin, format: format, sourceBytes: bytes, encoding: "utf-8", text: body,
                                title: title, url: url?.value, published: published, meta: meta)
        document.publishedFrom = publishedFrom
        document.textFromMarkup = markup
        return .document(document)
    }

    private func decodeCSV(_ chunk: RowChunk) -> [Outcome] {
        var header: [String] = []
        if let headerBytes = chunk.header {
            var bytes = headerBytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            var parser = CSVParser(bytes: bytes, delimiter: csvDelimiter)
            header = (parser.next()?.fields ?? []).map { String(decoding: $0, as: UTF8.self).trimmingBlanks }
        }
        var outcomes: [Outcome] = []
        var parser = CSVParser(bytes: chunk.bytes, delimiter: csvDelimiter)
        var row = chunk.firstRow
        while let record = parser.next() {
            defer { row += 1 }
            let origin = Origin(archive: chunk.origin.archive, member: chunk.origin.member, row: row)
            if record.fields.count == 1 && record.fields[0].isEmpty { continue }
            if record.byteCount > maxRecordBytes {
                outcomes.append(.reject(Reject(origin, .memberTooLarge, "record of \(record.byteCount) bytes exceeds max_member_bytes (\(maxRecordBytes))")))
                continue
            }
            if record.unterminatedQuote {
                outcomes.append(.reject(Reject(origin, .csvInvalid, "a quoted field is not closed before the end of the member")))
                continue
            }
            if record.fields.count != header.count {
                outcomes.append(.reject(Reject(origin, .csvInvalid, "the row has \(record.fields.count) fields, the header \(header.count)")))
                continue
            }
            var values: [(String, String?)] = []
            var valid = true
            for (name, raw) in zip(header, record.fields) {
                guard let value = String(validating: raw, as: UTF8.self) else {
                    valid = false
                    break
                }
                values.append((name, value.isEmpty ? nil : value))
            }
            guard valid else {
                outcomes.append(.reject(Reject(origin, .notUTF8, "the row is not UTF-8, and no supported charset gives plausible text")))
                continue
            }
            outcomes.append(document(fields: values, origin: origin, format: .csv, bytes: record.byteCount))
        }
        return outcomes
    }
}

/// RFC 4180 records: quoted fields may hold delimiters, doubled quotes and newlines; CRLF or
/// LF line ends.
struct CSVParser {
    struct Record {
        var fields: [[UInt8]]
        var byteCount: Int
        var unterminatedQuote: Bool
    }

    private let bytes: [UInt8]
    private let delimiter: UInt8
    private var pos = 0

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    mutating func next() -> Record? {
        guard pos < bytes.count else { return nil }
        let start = pos
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var inQuotes = false
        while pos < bytes.count {
            let b = bytes[pos]
            if inQuotes {
                if b == 0x22 {
                    if pos + 1 < bytes.count && bytes[pos + 1] == 0x22 {
                        field.append(0x22)
                        pos += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    field.append(b)
                }
                pos += 1
                continue
            }
            switch b {
            case 0x22 where field.isEmpty:
                inQuotes = true
            case delimiter:
                fields.append(field)
                field = []
            case 0x0A:
                pos += 1
                if field.last == 0x0D { field.removeLast() }
                fields.append(field)
                return Record(fields: fields, byteCount: pos - start, unterminatedQuote: false)
            default:
                field.append(b)
            }
            pos += 1
        }
        if field.last == 0x0D { field.removeLast() }
        fields.append(field)
        return Record(fields: fields, byteCount: pos - start, unterminatedQuote: inQuotes)
    }
}
