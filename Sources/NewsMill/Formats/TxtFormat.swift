/// A .txt member is one article. Wire copy often starts with a headline line; it becomes the
/// title when it looks like one, and the text keeps the body.
enum TxtFormat {
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
        return .document(Document(origin: member.origin, format: .txt, sourceBytes: member.bytes.count,
                                  encoding: decoded.encoding, text: text, title: title))
    }

    /// The first non-blank line is a headline when it is short, does not end like a sentence
    /// (".", ",", ":", ";"), does not open a quote with a dash, and a body follows it.
    static func splitHeadline(_ text: String) -> (title: String, body: String)? {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        while start < scalars.endIndex, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        guard start < scalars.endIndex else { return nil }
        var end = start
        var length = 0
        while end < scalars.endIndex, scalars[end] != "\n", scalars[end] != "\r" {
            end = scalars.index(after: end)
            length += 1
        }
        let line = String(scalars[start..<end]).trimmingBlanks
        guard (3...200).contains(line.unicodeScalars.count) else { return nil }
        guard let last = line.unicodeScalars.last, !".,:;…".unicodeScalars.contains(last) else { return nil }
        guard let first = line.unicodeScalars.first, !"-–—•*".unicodeScalars.contains(first) else { return nil }
        let body = String(scalars[end...])
        guard body.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
        return (line, body)
    }
}

extension String {
    var trimmingBlanks: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
