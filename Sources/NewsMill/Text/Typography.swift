/// Makes dialogue dashes, dashes and quote marks consistent without changing any word: a
/// paragraph opening with "- " or "– " and a spaced " - " or " – " become an em dash; in
/// paragraphs with Cyrillic letters, straight and English quotes become «» (quotes already inside
/// «…» stay „…“, the Russian nested form). HTML character references in plain text are decoded.
public struct Typography: Sendable {
    public var dashes: Bool
    public var quotes: Bool
    public var htmlEntities: Bool

    public init(dashes: Bool = true, quotes: Bool = true, htmlEntities: Bool = true) {
        self.dashes = dashes
        self.quotes = quotes
        self.htmlEntities = htmlEntities
    }

    public func apply(_ text: String) -> String {
        var text = text
        if htmlEntities && text.withUTF8({ $0.contains(UInt8(ascii: "&")) }) { text = HTMLEntities.decode(text) }
        guard dashes || quotes else { return text }
        // One pass over the UTF-8 buffer; only paragraphs that need it are rebuilt.
        let rebuilt: [UInt8]? = text.withUTF8 { s in
            var out: [UInt8]?
            var copiedUpTo = 0
            var lineStart = 0
            while lineStart <= s.count {
                var lineEnd = lineStart
                while lineEnd < s.count && s[lineEnd] != 0x0A { lineEnd += 1 }
                let line = UnsafeBufferPointer(rebasing: s[lineStart..<lineEnd])
                if needsWork(line) {
                    if out == nil {
                        out = []
                        out!.reserveCapacity(s.count + 16)
                    }
                    out!.append(contentsOf: UnsafeBufferPointer(rebasing: s[copiedUpTo..<lineStart]))
                    out!.append(contentsOf: paragraph(line))
                    copiedUpTo = lineEnd
                }
                lineStart = lineEnd + 1
            }
            if out != nil { out!.append(contentsOf: UnsafeBufferPointer(rebasing: s[copiedUpTo...])) }
            return out
        }
        return rebuilt.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// A byte scan for what `paragraph` may change: a dash with a space on each side (or opening
    /// the paragraph), and any straight or English quote mark.
    private func needsWork(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        do {
            let n = s.count
            for i in 0..<n {
                let b = s[i]
                if quotes && b == 0x22 { return true }
                if b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 {
                    let c = s[i + 2]
                    if quotes && (c == 0x9C || c == 0x9D || c == 0x9E) { return true }
                    if dashes && c == 0x93 && (i == 0 || s[i - 1] == 0x20) && (i + 3 == n || s[i + 3] == 0x20) { return true }
                }
                if dashes && b == 0x2D && (i == 0 || s[i - 1] == 0x20) && i + 1 < n && s[i + 1] == 0x20 { return true }
            }
            return false
        }
    }

    /// Works on the paragraph's UTF-8: dashes and quote marks are all ASCII or three-byte
    /// sequences, so nothing needs decoding.
    private func paragraph(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        do {
            let n = s.count
            var out = [UInt8]()
            out.reserveCapacity(n + 16)
            let emDash: [UInt8] = [0xE2, 0x80, 0x94]
            let cyrillic = quotes && s.contains { $0 >= 0xD0 && $0 <= 0xD3 }
            var depth = 0
            func opensHere() -> Bool {
                guard let last = out.last else { return true }
                switch last {
                case 0x20, 0x09, 0x28, 0x5B, 0x7B, 0x2D, 0x2F: return true
                case 0xA0, 0xAB: return out.count >= 2 && out[out.count - 2] == 0xC2  // NBSP, «
                case 0x94, 0x93: return out.count >= 3 && out[out.count - 3] == 0xE2 && out[out.count - 2] == 0x80  // —, –
                default: return false
                }
            }
            func quote(opening: Bool) {
                if depth > 0 {
                    // Inside «…», the nested pair is „…“.
                    if opening { out += [0xE2, 0x80, 0x9E]; depth += 1 } else if depth > 1 { out += [0xE2, 0x80, 0x9C]; depth -= 1 } else { out += [0xC2, 0xBB]; depth -= 1 }
                } else if opening {
                    out += [0xC2, 0xAB]
                    depth += 1
                } else {
                    out += [0xC2, 0xBB]
                }
            }
            var i = 0
            while i < n {
                let b = s[i]
                let enDash = b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x93
                if dashes && (b == 0x2D || enDash) {
                    let width = enDash ? 3 : 1
                    let spacedBefore = i == 0 || s[i - 1] == 0x20
                    let spacedAfter = i + width < n && s[i + width] == 0x20 || (i > 0 && i + width == n && enDash)
                    if spacedBefore && spacedAfter {
                        out += emDash
                        i += width
                        continue
                    }
                }
                if cyrillic {
                    if b == 0x22 {
                        quote(opening: opensHere())
                        i += 1
                        continue
                    }
                    if b == 0xC2 && i + 1 < n && (s[i + 1] == 0xAB || s[i + 1] == 0xBB) {
                        depth = s[i + 1] == 0xAB ? depth + 1 : max(0, depth - 1)
                    } else if b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (0x9C...0x9E).contains(s[i + 2]) {
                        let c = s[i + 2]
                        quote(opening: c == 0x9E || (c == 0x9C && opensHere()))
                        i += 3
                        continue
                    }
                }
                out.append(b)
                i += 1
            }
            return out
        }
    }
}
