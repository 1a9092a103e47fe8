/// News dumps: one article per JSON object (JSON Lines, or a .json array) or per CSV row.
/// Field names are configurable; the first non-empty one of each list wins, and every other
/// field is kept in `meta` so nothing of the dump is lost.
struct DumpFormat {
    let fields: FieldNames
    let maxRecordBytes: Int
    let csvDelimiter: UInt8

    init(fields: FieldNames, maxRecordBytes: Int, csvDelimiter: UInt8 = UInt8(ascii: ",")) {
        self.fields = fields
        self.maxRecordBytes = maxRecordBytes
        self.csvDelimiter = csvDelimiter
    }

    init(options: InputOptions) {
        self.init(fields: options.fields, maxRecordBytes: options.maxMemberBytes, csvDelimiter: options.csvDelimiter)
    }

    func decodeJSONLines(_ chunk: RowChunk) -> [Outcome] {
        let (utf8Chunk, charset) = Self.transcoded(chunk)
        return Self.label(jsonLines(utf8Chunk), charset)
    }

    func decodeCSV(_ chunk: RowChunk) -> [Outcome] {
        let (utf8Chunk, charset) = Self.transcoded(chunk)
        return Self.label(csvRows(utf8Chunk), charset)
    }

    /// A dump in a legacy charset is converted chunk by chunk, before parsing: the detector sees
    /// many rows at once, which decides better than one short field would. Only single-byte
    /// charsets: chunks are cut at 0x0A bytes, which UTF-16 text does not allow. A chunk that is
    /// mostly UTF-8 stays as it is: its bad rows are repaired one by one (`repairedRecord`), so a
    /// stray byte in one row touches that row alone.
    static func transcoded(_ chunk: RowChunk) -> (RowChunk, Charset?) {
        let valid =
            chunk.bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) != nil }
            && chunk.header.map { String(validating: $0, as: UTF8.self) != nil } ?? true
        guard !valid,
            let decoded = ((chunk.header.map { $0 + [0x0A] } ?? []) + chunk.bytes).withUnsafeBufferPointer({
                TextDecoding.decodeInvalidUTF8($0)
            }), let charset = Charset(rawValue: decoded.encoding), charset != .utf8
        else { return (chunk, nil) }
        let table = charset.byteTable()
        func convert(_ bytes: [UInt8]) -> [UInt8] {
            Array(bytes.withUnsafeBufferPointer { Charset.decode($0, table: table) }.utf8)
        }
        var converted = chunk
        converted.bytes = convert(chunk.bytes)
        converted.header = chunk.header.map(convert)
        return (converted, charset)
    }

    /// Bytes of one record (a JSON line, a .json member, a CSV field) that are not valid UTF-8, as
    /// UTF-8: repaired, or converted from the record's own legacy charset; nil when neither
    /// reads as text.
    static func repairedRecord(_ bytes: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], decoded: TextDecoding.Decoded)? {
        guard let decoded = TextDecoding.decodeInvalidUTF8(bytes) else { return nil }
        return (Array(decoded.text.utf8), decoded)
    }

    /// Records on `outcome`'s document how its record was decoded.
    static func noting(_ decoded: TextDecoding.Decoded?, _ outcome: Outcome) -> Outcome {
        guard let decoded, case .document(var document) = outcome else { return outcome }
        document.note(decoded)
        return .document(document)
    }

    static func label(_ outcomes: [Outcome], _ charset: Charset?) -> [Outcome] {
        guard let charset else { return outcomes }
        return outcomes.map { outcome in
            guard case .document(var document) = outcome else { return outcome }
            document.encoding = charset.rawValue
            return .document(document)
        }
    }

    private func jsonLines(_ chunk: RowChunk) -> [Outcome] {
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
        let (chunk, charset) = Self.transcoded(
            RowChunk(origin: member.origin, format: .json, header: nil, bytes: member.bytes, firstRow: 1))
        if charset == nil, String(validating: chunk.bytes, as: UTF8.self) == nil,
            let repaired = chunk.bytes.withUnsafeBufferPointer(Self.repairedRecord)
        {
            // The parsed values do not say which element held the bad bytes: the member's count
            // goes on its first record, so the report counts each byte once.
            var outcomes = decodeJSONDocument(origin: member.origin, bytes: repaired.bytes)
            if let first = outcomes.firstIndex(where: {
                if case .document = $0 { return true }; return false
            }) {
                outcomes[first] = Self.noting(repaired.decoded, outcomes[first])
            }
            return outcomes
        }
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
            // Parsing validates the strings, so a record with bad bytes is found here, at no cost
            // to the valid ones.
            if String(validating: line, as: UTF8.self) == nil {
                guard let repaired = Self.repairedRecord(line) else {
                    return .reject(Reject(origin, .notUTF8, "the record is not UTF-8, and no supported charset gives plausible text"))
                }
                do {
                    let value = try JSONParser.parse(repaired.bytes)
                    return Self.noting(repaired.decoded, document(from: value, origin: origin, bytes: line.count))
                } catch {
                    return .reject(Reject(origin, .jsonInvalid, "invalid JSON: \(error.message)"))
                }
            }
            return .reject(Reject(origin, .jsonInvalid, "invalid JSON: \(error.message)"))
        }
    }

    private func document(from value: JSONValue, origin: Origin, bytes: Int) -> Outcome {
        guard case .object(let members) = value else {
            return .reject(Reject(origin, .jsonInvalid, "expected a JSON object with the article's fields"))
        }
        return document(
            fields: members.map { ($0.key, $0.value.fieldText) }, origin: origin, format: origin.row == nil ? .json : .jsonl, bytes: bytes)
    }

    /// Maps named values onto a document.
    func document(fields values: [(String, String?)], origin: Origin, format: MemberFormat, bytes: Int) -> Outcome {
        func pick(_ names: [String]) -> (name: String, value: String)? {
            for name in names {
                if let found = values.first(where: { $0.0.lowercased() == name.lowercased() }), let value = found.1,
                    value.unicodeScalars.contains(where: { !$0.properties.isWhitespace })
                {
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
        var document = Document(
            origin: origin, format: format, sourceBytes: bytes, encoding: "utf-8", text: body,
            title: title, url: url?.value, published: published, meta: meta)
        document.publishedFrom = publishedFrom
        document.textFromMarkup = markup
        return .document(document)
    }

    private func csvRows(_ chunk: RowChunk) -> [Outcome] {
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
                outcomes.append(
                    .reject(
                        Reject(origin, .memberTooLarge, "record of \(record.byteCount) bytes exceeds max_member_bytes (\(maxRecordBytes))"))
                )
                continue
            }
            if record.unterminatedQuote {
                outcomes.append(.reject(Reject(origin, .csvInvalid, "a quoted field is not closed before the end of the member")))
                continue
            }
            if record.fields.count != header.count {
                outcomes.append(
                    .reject(Reject(origin, .csvInvalid, "the row has \(record.fields.count) fields, the header \(header.count)")))
                continue
            }
            var values: [(String, String?)] = []
            var valid = true
            // A row's bad fields are repaired one by one; the row keeps their sum, and the charset
            // of a field that was a legacy record of its own.
            var repairs: TextDecoding.Decoded?
            for (name, raw) in zip(header, record.fields) {
                var value = String(validating: raw, as: UTF8.self)
                if value == nil, let repaired = raw.withUnsafeBufferPointer(Self.repairedRecord) {
                    value = repaired.decoded.text
                    var sum = repairs ?? repaired.decoded
                    if repairs != nil {
                        sum.invalidBytes += repaired.decoded.invalidBytes
                        sum.mixedCharset = sum.mixedCharset ?? repaired.decoded.mixedCharset
                        if sum.encoding == Charset.utf8.rawValue { sum.encoding = repaired.decoded.encoding }
                    }
                    repairs = sum
                }
                guard let value else {
                    valid = false
                    break
                }
                values.append((name, value.isEmpty ? nil : value))
            }
            guard valid else {
                outcomes.append(.reject(Reject(origin, .notUTF8, "the row is not UTF-8, and no supported charset gives plausible text")))
                continue
            }
            outcomes.append(Self.noting(repairs, document(fields: values, origin: origin, format: .csv, bytes: record.byteCount)))
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
