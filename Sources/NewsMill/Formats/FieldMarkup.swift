/// Whether a dump's text field holds HTML (`input.fields.html`): `auto` looks for tags, `true`
/// always extracts the text as from a page, `false` takes the field as plain text.
public enum FieldMarkup: String, Sendable, CaseIterable {
    case auto
    case always = "true"
    case never = "false"

    func applies(to text: String) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return Self.looksLikeHTML(text)
        }
    }

    /// Elements that real dumps carry in their text fields.
    private static let tags: Set<[UInt8]> = Set(
        [
            "p", "br", "div", "a", "b", "i", "u", "s", "q", "em", "strong", "span", "ul", "ol", "li", "h1", "h2", "h3", "h4",
            "h5", "h6", "blockquote", "img", "table", "tbody", "thead", "tr", "td", "th", "script", "style", "iframe",
            "figure", "figcaption", "section", "article", "header", "footer", "nav", "aside", "main", "hr", "sup", "sub",
            "small", "font", "center", "pre", "code", "cite", "strike", "del", "ins", "mark", "abbr", "time", "video",
            "audio", "source", "picture", "noscript", "dl", "dt", "dd", "caption", "wbr", "big", "title", "meta", "link",
        ].map { Array($0.utf8) })

    /// Markup, not a "<" of plain text ("5 < 7", "<<Ромашка>>", "a<b and c>d"): a known element's
    /// tag that closes right after its name (`<p>`, `</p>`, `<br/>`) or goes on with an attribute
    /// (`<a href=`). Entities alone are not enough: plain text has them too, and normalize decodes
    /// them without losing the text's line breaks. Each byte is looked at by the nearest "<"
    /// before it at most, so the check is linear.
    static func looksLikeHTML(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { s in
            var i = 0
            while i < s.count {
                guard s[i] == 0x3C else { i += 1; continue }
                if isTag(s, at: i) { return true }
                i += 1
            }
            return false
        }
    }

    private static func isTag(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var j = start + 1
        let closing = j < s.count && s[j] == 0x2F
        if closing { j += 1 }
        var name: [UInt8] = []
        while j < s.count, name.count <= 10, isNameByte(s[j]) {
            name.append(s[j] | 0x20)
            j += 1
        }
        guard tags.contains(name), j < s.count else { return false }
        if s[j] == 0x3E { return true }
        if closing { return false }
        if s[j] == 0x2F { return j + 1 < s.count && s[j + 1] == 0x3E }
        guard isSpace(s[j]) else { return false }
        while j < s.count && isSpace(s[j]) { j += 1 }
        if j + 1 < s.count, s[j] == 0x2F, s[j + 1] == 0x3E { return true }
        let attributeStart = j
        while j < s.count, isNameByte(s[j]) || s[j] == 0x2D || s[j] == 0x3A { j += 1 }
        guard j > attributeStart else { return false }
        while j < s.count && isSpace(s[j]) { j += 1 }
        return j < s.count && s[j] == 0x3D
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }
}
