/// A .txt member is one article. Wire copy often starts with a headline line; it becomes the
/// title when it looks like one, and the text keeps the body.
struct TxtFormat: WholeMemberFormat {
    var format: MemberFormat { .txt }
    var extensionsKey: String { "txt" }
    var defaultExtensions: [String] { ["txt", "text"] }

    /// Corpus archives keep annotated copies and tables under the same extension as their texts.
    func skip(_ bytes: [UInt8]) -> MemberSkip? {
        ArticleSniffer.notArticleReason(bytes).map {
            MemberSkip(
                reason: "not_article:\($0)",
                message: "its first \(ArticleSniffer.window) bytes are \(ArticleSniffer.describe($0)), not running text")
        }
    }

    func decode(_ member: RawMember, options: InputOptions) -> [Outcome] {
        // A title from the metadata table makes guessing one from the first line pointless.
        let titled =
            member.metadata.flatMap { row in
                options.metadata.map { MetadataJoin.title(in: row, fields: $0.fields) != nil }
            } ?? false
        return [Self.decode(member, headline: options.txtHeadline && !titled)]
    }

    static func decode(_ member: RawMember, headline: Bool) -> Outcome {
        let decoded: TextDecoding.Decoded
        switch TextDecoding.decode(member.bytes) {
        case .failure(let failure):
            let (code, message) = failure.reject
            return .reject(Reject(member.origin, code, message))
        case .success(let d):
            decoded = d
        }
        var text = decoded.text
        var title: String?
        if headline, let split = splitHeadline(text) {
            title = split.title
            text = split.body
        }
        var document = Document(
            origin: member.origin, format: .txt, sourceBytes: member.bytes.count,
            encoding: decoded.encoding, text: text, title: title)
        document.note(decoded)
        return .document(document)
    }

    /// The first non-blank line is a headline when it is short, does not end like a sentence
    /// (".", ",", ":", ";", "…"), does not open a quote with a dash or a list bullet, is not a
    /// "Label: …" credit line, and a body follows it. Works on UTF-8 offsets: the body is sliced, not re-decoded.
    static func splitHeadline(_ text: String) -> (title: String, body: String)? {
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex, isBlankOrBreak(utf8[start]) { start = utf8.index(after: start) }
        guard start < utf8.endIndex else { return nil }
        var end = start
        while end < utf8.endIndex, utf8[end] != 0x0A, utf8[end] != 0x0D { end = utf8.index(after: end) }
        guard let title = String(Substring(utf8[start..<end])).nilIfBlank?.trimmingBlanks else { return nil }
        let scalars = title.unicodeScalars
        guard (3...200).contains(scalars.count), let first = scalars.first, let last = scalars.last else { return nil }
        guard !".,:;…".unicodeScalars.contains(last), !"-–—•*".unicodeScalars.contains(first) else { return nil }
        // "Источник: …", "Фото: …": a one-word label before a colon is a credit line, not a headline.
        if let colon = title.utf8.firstIndex(of: 0x3A), !title.utf8[..<colon].contains(0x20) { return nil }
        var bodyStart = end
        while bodyStart < utf8.endIndex, isBlankOrBreak(utf8[bodyStart]) { bodyStart = utf8.index(after: bodyStart) }
        guard bodyStart < utf8.endIndex else { return nil }
        return (title, String(Substring(utf8[end...])))
    }

    private static func isBlankOrBreak(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }
}

extension String {
    var nilIfBlank: String? {
        unicodeScalars.contains { !$0.properties.isWhitespace } ? self : nil
    }

    var trimmingBlanks: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
