/// The metadata tables of one archive or folder input (`input.metadata`), read before its
/// texts: the table may come after them in archive order, and the texts stream. A table
/// applies to the text members in its own folder and below; the nearest one wins.
struct MetadataIndex {
    typealias Row = [(key: String, value: String)]

    private struct Table {
        var rows: [String: Row] = [:]
    }

    let options: MetadataOptions
    /// By the folder of the metadata member ("" at the top).
    private var tables: [String: Table] = [:]
    /// What became of each metadata member, told when the reader reaches it in order: rejects
    /// (an unreadable table, bad rows), and a summary for inspect.
    private(set) var problems: [String: [Reject]] = [:]
    private(set) var summaries: [String: String] = [:]
    private(set) var rowCount = 0

    init(options: MetadataOptions) {
        self.options = options
    }

    var isEmpty: Bool { tables.isEmpty }

    /// Reads one metadata member. `origin` names it in rejects; `path` is its match path.
    mutating func add(path: String, origin: Origin, bytes: [UInt8]) {
        var rejects: [Reject] = []
        defer { problems[path, default: []] += rejects }
        let text: String
        switch TextDecoding.decode(bytes) {
        case .failure(let failure):
            let (code, message) = failure.reject
            rejects.append(Reject(origin, code, "metadata table: \(message)"))
            return
        case .success(let decoded):
            text = decoded.text
        }
        let utf8 = Array(text.utf8)
        let delimiter = options.delimiter ?? Self.sniffDelimiter(utf8)
        var parser = CSVParser(bytes: utf8, delimiter: delimiter)
        guard let headerRecord = parser.next() else {
            rejects.append(Reject(origin, .memberEmpty, "metadata table without a header line"))
            return
        }
        let header = headerRecord.fields.map { String(decoding: $0, as: UTF8.self).trimmingBlanks }
        let lowered = header.map { $0.lowercased() }
        guard let keyColumn = options.key.lazy.compactMap({ lowered.firstIndex(of: $0.lowercased()) }).first else {
            rejects.append(
                Reject(
                    origin, .csvInvalid,
                    "metadata table without a key column (looked for: \(options.key.joined(separator: ", ")); the header has: \(header.joined(separator: ", ")))"
                ))
            return
        }
        let folder = Self.folder(of: path)
        var table = tables[folder] ?? Table()
        var row = 0
        var added = 0
        while let record = parser.next() {
            row += 1
            let rowOrigin = Origin(archive: origin.archive, member: origin.member, row: row)
            if record.fields.count == 1 && record.fields[0].isEmpty { continue }
            if record.unterminatedQuote {
                rejects.append(Reject(rowOrigin, .csvInvalid, "metadata row: a quoted field is not closed before the end of the member"))
                continue
            }
            guard record.fields.count == header.count else {
                rejects.append(Reject(rowOrigin, .csvInvalid, "metadata row has \(record.fields.count) fields, the header \(header.count)"))
                continue
            }
            let key = String(decoding: record.fields[keyColumn], as: UTF8.self).trimmingBlanks
            guard !key.isEmpty else {
                rejects.append(Reject(rowOrigin, .csvInvalid, "metadata row with an empty key column '\(header[keyColumn])'"))
                continue
            }
            guard table.rows[key] == nil else {
                rejects.append(Reject(rowOrigin, .csvInvalid, "metadata row repeats the key '\(key)'; the first row with it is used"))
                continue
            }
            var values: Row = []
            for (i, field) in record.fields.enumerated() where i != keyColumn && !field.isEmpty {
                values.append((header[i], String(decoding: field, as: UTF8.self)))
            }
            table.rows[key] = values
            added += 1
        }
        tables[folder] = table
        rowCount += added
        summaries[path] =
            "metadata: \(added) rows keyed by '\(header[keyColumn])' for the texts under \(folder.isEmpty ? "the top folder" : "\(folder)/")"
    }

    /// A metadata member that could not be read at all.
    mutating func fail(path: String, _ reject: Reject) {
        problems[path, default: []].append(reject)
    }

    /// The row of a text member: its file stem ("texts/123.txt" → "123"), else its file name,
    /// in the nearest table of its folder or above.
    func row(for path: Substring) -> Row? {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path
        let stem = name.lastIndex(of: ".").map { name[..<$0] } ?? name
        var folder = path.lastIndex(of: "/").map { path[..<$0] }
        while true {
            if let table = tables[String(folder ?? "")] {
                if let row = table.rows[String(stem)] ?? table.rows[String(name)] { return row }
            }
            guard let current = folder else { return nil }
            folder = current.lastIndex(of: "/").map { current[..<$0] }
        }
    }

    /// In the form `row(for:)` is asked with: "./Source/meta.csv" serves "Source/texts/1.txt".
    private static func folder(of path: String) -> String {
        let p = MemberGlob.matchPath(path[...])
        return p.lastIndex(of: "/").map { String(p[..<$0]) } ?? ""
    }

    /// Taiga's tables are tab-separated under a .csv name: let the header line say.
    static func sniffDelimiter(_ bytes: [UInt8]) -> UInt8 {
        let header = bytes.prefix { $0 != 0x0A }
        if header.contains(0x09) { return 0x09 }
        let semicolons = header.reduce(0) { $0 + ($1 == UInt8(ascii: ";") ? 1 : 0) }
        let commas = header.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }
}

/// Puts a metadata row onto the document decoded from its text member. The publisher's table
/// wins over what was guessed from the text (a .txt headline) or read from the page.
enum MetadataJoin {
    static func title(in row: MetadataIndex.Row, fields: FieldNames) -> String? {
        pick(fields.title, in: row)?.value
    }

    static func apply(_ row: MetadataIndex.Row, to outcomes: [Outcome], fields: FieldNames) -> [Outcome] {
        outcomes.map { outcome in
            guard case .document(var document) = outcome else { return outcome }
            var used: Set<String> = []
            if let title = pick(fields.title, in: row) {
                used.insert(title.key)
                document.title = title.value
                document.text = dropLeadingLine(document.text, equalTo: title.value)
            }
            if let url = pick(fields.url, in: row) {
                used.insert(url.key)
                document.url = url.value
            }
            // A date that cannot be read stays in meta as written, as a dump's does.
            if let date = pick(fields.date, in: row), let iso = DateField.isoDate(date.value) {
                used.insert(date.key)
                document.published = iso
            }
            document.meta += row.filter { !used.contains($0.key) }
            return .document(document)
        }
    }

    private static func pick(_ names: [String], in row: MetadataIndex.Row) -> (key: String, value: String)? {
        for name in names {
            if let found = row.first(where: { $0.key.lowercased() == name.lowercased() }),
                found.value.unicodeScalars.contains(where: { !$0.properties.isWhitespace })
            {
                return (found.key, found.value.trimmingBlanks)
            }
        }
        return nil
    }

    /// Texts that repeat their title as the first line: the title is in `title` now.
    private static func dropLeadingLine(_ text: String, equalTo title: String) -> String {
        let body = text.drop { $0.isWhitespace }
        guard let end = body.firstIndex(where: \.isNewline) else { return text }
        guard String(body[..<end]).trimmingBlanks == title else { return text }
        return String(body[end...])
    }
}
