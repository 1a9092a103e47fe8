/// A web page is one article: its headline (the <h1> of the article, else <title>), the
/// paragraphs of its main content (<article>, else <main>, else <body>), and the publication
/// date from article:published_time or <time datetime>. Scripts, styles, navigation, headers,
/// footers, sidebars and forms are dropped.
struct HTMLFormat: WholeMemberFormat {
    var format: MemberFormat { .html }
    var extensionsKey: String { "html" }
    var defaultExtensions: [String] { ["html", "htm", "xhtml"] }

    func decode(_ member: RawMember, options: InputOptions) -> [Outcome] {
        [Self.decode(member)]
    }

    static func decode(_ member: RawMember) -> Outcome {
        switch TextDecoding.decode(member.bytes) {
        case .failure(let failure):
            let (code, message) = failure.reject
            return .reject(Reject(member.origin, code, message))
        case .success(let decoded):
            let page = HTMLText.extract(decoded.text)
            guard !page.paragraphs.isEmpty else {
                return .reject(Reject(member.origin, .emptyText, "the page has no main text"))
            }
            var paragraphs = page.paragraphs
            let title = page.headline ?? page.title
            if let headline = page.headline, let index = paragraphs.firstIndex(of: headline) { paragraphs.remove(at: index) }
            var document = Document(
                origin: member.origin, format: .html, sourceBytes: member.bytes.count,
                encoding: decoded.encoding, text: paragraphs.joined(separator: "\n"),
                title: title, published: page.published.flatMap(DateField.isoDate))
            document.note(decoded)
            return .document(document)
        }
    }
}

struct HTMLText {
    var title: String?
    var headline: String?
    var published: String?
    var paragraphs: [String] = []

    private static let skipped: Set<String> = ["script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "head"]
    private static let dropped: Set<String> = ["nav", "header", "footer", "aside", "form", "menu", "button", "select", "figure", "dialog"]
    private static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "blockquote", "section", "article", "main", "pre", "dd", "dt", "dl", "hr", "body", "td", "th",
    ]
    private static let voids: Set<String> = [
        "br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "base", "col", "embed", "track", "param",
    ]

    private enum Region: Int { case body, main, article }

    static func extract(_ html: String) -> HTMLText {
        var result = HTMLText()
        let scalars = Array(html.unicodeScalars)
        var i = 0
        var current = String.UnicodeScalarView()
        var pendingSpace = false
        // Open elements, innermost last, each with whether its content is dropped. What a tag
        // asks of the stack (is a paragraph open, is an element of this name open) is kept in
        // counters beside it, never found by walking it: on a page of thousands of nested
        // <div>s a walk per tag takes quadratic time.
        var stack: [(name: String, drops: Bool)] = []
        var openByName: [String: Int] = [:]
        var paragraphDepth = 0
        var droppedDepth = 0
        var mainDepth = 0
        var articleDepth = 0
        var inTitle = false
        var inH1 = false
        var h1Text = ""
        var titleText = ""
        var preDepth = 0
        var byRegion: [Region: [String]] = [:]
        var currentRegion = Region.body

        func droppedNow() -> Bool { droppedDepth > 0 }
        func open(_ name: String, drops: Bool) {
            stack.append((name, drops))
            openByName[name, default: 0] += 1
            if name == "p" || name == "li" { paragraphDepth += 1 }
            if drops { droppedDepth += 1 }
            if name == "main" { mainDepth += 1 }
            if name == "article" { articleDepth += 1 }
            if name == "pre" { preDepth += 1 }
        }
        func close(_ name: String) {
            // Close the innermost open element of that name and everything left open inside it;
            // every element walked past is removed, so the walks add up to the tags opened.
            guard openByName[name, default: 0] > 0, let index = stack.lastIndex(where: { $0.name == name }) else { return }
            for element in stack[index...] {
                openByName[element.name, default: 0] -= 1
                if element.name == "p" || element.name == "li" { paragraphDepth -= 1 }
                if element.drops { droppedDepth -= 1 }
                if element.name == "main" { mainDepth -= 1 }
                if element.name == "article" { articleDepth -= 1 }
                if element.name == "pre" { preDepth -= 1 }
            }
            stack.removeSubrange(index...)
        }
        func flush() {
            let text = String(current).trimmingBlanks
            if !text.isEmpty { byRegion[currentRegion, default: []].append(text) }
            current = String.UnicodeScalarView()
            pendingSpace = false
        }
        func region() -> Region { articleDepth > 0 ? .article : mainDepth > 0 ? .main : .body }
        func appendText(_ text: String) {
            if inTitle { titleText += text; return }
            if droppedNow() { return }
            if inH1 { h1Text += text }
            for scalar in text.unicodeScalars {
                if preDepth == 0 && scalar.properties.isWhitespace && scalar != "\u{A0}" {
                    pendingSpace = true
                    continue
                }
                if pendingSpace && !current.isEmpty { current.append(" ") }
                pendingSpace = false
                current.append(scalar)
            }
        }

        while i < scalars.count {
            if scalars[i] != "<" {
                var j = i
                while j < scalars.count && scalars[j] != "<" { j += 1 }
                appendText(HTMLEntities.decode(String(String.UnicodeScalarView(scalars[i..<j]))))
                i = j
                continue
            }
            // Comments, doctype, CDATA
            if matches(scalars, i, "<!--") {
                i = find(scalars, i + 4, "-->").map { $0 + 3 } ?? scalars.count
                continue
            }
            if i + 1 < scalars.count && (scalars[i + 1] == "!" || scalars[i + 1] == "?") {
                i = find(scalars, i, ">").map { $0 + 1 } ?? scalars.count
                continue
            }
            guard let tag = Tag.parse(scalars, at: i) else {
                appendText("<")
                i += 1
                continue
            }
            i = tag.end
            let name = tag.name
            if !tag.closing && skipped.contains(name) && !tag.selfClosing {
                if name == "head" {
                    // Keep <title> and metadata; skip nothing else of note.
                    continue
                }
                i = find(scalars, i, "</\(name)", caseInsensitive: true).flatMap { find(scalars, $0, ">") }.map { $0 + 1 } ?? scalars.count
                continue
            }
            if name == "meta", !tag.closing, let property = tag.attributes["property"] ?? tag.attributes["name"],
                ["article:published_time", "pubdate", "date", "dc.date"].contains(property.lowercased()),
                result.published == nil
            {
                result.published = tag.attributes["content"]
            }
            if name == "time", !tag.closing, result.published == nil, let datetime = tag.attributes["datetime"] {
                result.published = datetime
            }
            if name == "title" { inTitle = !tag.closing; continue }
            if blocks.contains(name) || name == "br" || dropped.contains(name) { flush() }
            if !voids.contains(name) && !tag.selfClosing {
                if tag.closing {
                    close(name)
                } else {
                    open(name, drops: dropped.contains(name) || isBoilerplate(tag) || (name == "time" && paragraphDepth == 0))
                }
            }
            if name == "h1" && !droppedNow() {
                if tag.closing {
                    inH1 = false
                    if result.headline == nil {
                        let h = h1Text.collapsingWhitespace
                        if !h.isEmpty { result.headline = h }
                    }
                } else {
                    inH1 = true
                    h1Text = ""
                }
            }
            currentRegion = region()
        }
        flush()
        let title = HTMLEntities.decode(titleText).collapsingWhitespace
        result.title = title.isEmpty ? nil : title
        result.paragraphs = byRegion[.article] ?? byRegion[.main] ?? byRegion[.body] ?? []
        return result
    }

    private static let boilerplateMarks = [
        "breadcrumb", "share", "social", "related", "comment", "advert", "banner",
        "promo", "subscribe", "sidebar", "cookie", "popular", "tags", "author-bio",
    ]

    /// Navigation and widgets that pages mark with a class or id (breadcrumbs, share buttons…).
    private static func isBoilerplate(_ tag: Tag) -> Bool {
        let marks = ((tag.attributes["class"] ?? "") + " " + (tag.attributes["id"] ?? "")).lowercased()
        guard marks.count > 1 else { return false }
        return boilerplateMarks.contains { marks.contains($0) }
    }

    private static func matches(_ s: [Unicode.Scalar], _ i: Int, _ literal: String) -> Bool {
        var j = i
        for c in literal.unicodeScalars {
            guard j < s.count, s[j] == c else { return false }
            j += 1
        }
        return true
    }

    private static func find(_ s: [Unicode.Scalar], _ from: Int, _ literal: String, caseInsensitive: Bool = false) -> Int? {
        let target = Array(literal.lowercased().unicodeScalars)
        guard !target.isEmpty, from < s.count else { return nil }
        var i = from
        while i + target.count <= s.count {
            var k = 0
            while k < target.count {
                var c = s[i + k]
                if caseInsensitive, c.isASCII, c.properties.isUppercase { c = Unicode.Scalar(c.value + 32)! }
                if c != target[k] { break }
                k += 1
            }
            if k == target.count { return i }
            i += 1
        }
        return nil
    }

    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool
        var attributes: [String: String]
        var end: Int

        static func parse(_ s: [Unicode.Scalar], at start: Int) -> Tag? {
            var i = start + 1
            var closing = false
            if i < s.count && s[i] == "/" { closing = true; i += 1 }
            var name = ""
            while i < s.count, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) || s[i] == "-" || s[i] == ":" {
                name.unicodeScalars.append(s[i])
                i += 1
            }
            guard !name.isEmpty else { return nil }
            var attributes: [String: String] = [:]
            var selfClosing = false
            while i < s.count && s[i] != ">" {
                if s[i] == "/" { selfClosing = true; i += 1; continue }
                if s[i].properties.isWhitespace { i += 1; continue }
                var key = ""
                while i < s.count, !s[i].properties.isWhitespace, s[i] != "=", s[i] != ">", s[i] != "/" {
                    key.unicodeScalars.append(s[i])
                    i += 1
                }
                while i < s.count && s[i].properties.isWhitespace { i += 1 }
                var value = ""
                if i < s.count && s[i] == "=" {
                    i += 1
                    while i < s.count && s[i].properties.isWhitespace { i += 1 }
                    if i < s.count && (s[i] == "\"" || s[i] == "'") {
                        let quote = s[i]
                        i += 1
                        while i < s.count && s[i] != quote { value.unicodeScalars.append(s[i]); i += 1 }
                        if i < s.count { i += 1 }
                    } else {
                        while i < s.count, !s[i].properties.isWhitespace, s[i] != ">" { value.unicodeScalars.append(s[i]); i += 1 }
                    }
                }
                if key.isEmpty { i += 1 } else { attributes[key.lowercased()] = HTMLEntities.decode(value) }
                selfClosing = false
            }
            return Tag(
                name: name.lowercased(), closing: closing, selfClosing: selfClosing, attributes: attributes, end: min(i + 1, s.count))
        }
    }
}

extension String {
    var collapsingWhitespace: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// HTML character references: numeric ones and the named ones that occur in news pages.
enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "laquo": "«", "raquo": "»",
        "mdash": "—", "ndash": "–", "hellip": "…", "copy": "©", "reg": "®", "trade": "™", "bull": "•", "middot": "·",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "sbquo": "‚", "bdquo": "„", "shy": "\u{AD}",
        "euro": "€", "times": "×", "deg": "°", "plusmn": "±", "numero": "№", "minus": "−", "thinsp": "\u{2009}",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "zwnj": "\u{200C}", "zwj": "\u{200D}", "sect": "§",
        "frac12": "½", "frac14": "¼", "frac34": "¾", "prime": "′", "Prime": "″", "larr": "←", "rarr": "→", "rsaquo": "›", "lsaquo": "‹",
    ]

    private static let windows1252 = Charset.windows1252.byteTable()

    /// Decodes named and numeric character references in one byte pass; text without "&" is
    /// returned as it is, and a reference that is not one stays verbatim.
    static func decode(_ text: String) -> String {
        var text = text
        let decoded: [UInt8]? = text.withUTF8 { s in
            guard let first = s.firstIndex(of: 0x26) else { return nil }
            var out = [UInt8]()
            out.reserveCapacity(s.count)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: s[..<first]))
            var i = first
            while i < s.count {
                guard s[i] == 0x26 else {
                    out.append(s[i]); i += 1
                    continue
                }
                var j = i + 1
                while j < s.count && j - i <= 32 && isReferenceByte(s[j]) { j += 1 }
                if j < s.count && s[j] == 0x3B, let replacement = reference(UnsafeBufferPointer(rebasing: s[(i + 1)..<j])) {
                    out.append(contentsOf: replacement.utf8)
                    i = j + 1
                } else {
                    out.append(0x26); i += 1
                }
            }
            return out
        }
        return decoded.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    private static func isReferenceByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x23
    }

    /// What "&name;" or "&#NNN;" / "&#xHH;" stands for (the bytes between & and ;).
    private static func reference(_ body: UnsafeBufferPointer<UInt8>) -> String? {
        guard !body.isEmpty else { return nil }
        guard body[0] == 0x23 else { return named[String(decoding: body, as: UTF8.self)] }
        let hex = body.count > 1 && (body[1] == 0x78 || body[1] == 0x58)
        let digits = String(decoding: body.dropFirst(hex ? 2 : 1), as: UTF8.self)
        guard let value = UInt32(digits, radix: hex ? 16 : 10) else { return nil }
        // As browsers read them: NUL and what is not a scalar (surrogates, beyond U+10FFFF) are
        // U+FFFD, and C1 controls are the windows-1252 characters old pages meant ("&#150;" –).
        if (0x80...0x9F).contains(value) {
            let scalar = windows1252[Int(value)]
            return String(scalar.value < 0xA0 ? "\u{FFFD}" : scalar)
        }
        return String(Unicode.Scalar(value).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}")
    }
}
