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
        if htmlEntities && text.withUTF8({ ByteScan.contains($0, UInt8(ascii: "&")) }) { text = HTMLEntities.decode(text) }
        return rewriteQuotesAndDashes(text)
    }

    /// Dashes and quote marks only: the normalize stage decodes HTML entities before it cleans
    /// the text, since what they stand for (NBSP, a soft hyphen) needs cleaning too.
    func rewriteQuotesAndDashes(_ text: String) -> String {
        var text = text
        let rebuilt: [UInt8]? = text.withUTF8 { rewrite($0) }
        return rebuilt.map { String(passOutput: $0) } ?? text
    }

    /// Bytes that may start something `rewrite` changes or tracks: LF, ", -, and the leads of
    /// « » (C2) and of dashes and quotes (E2).
    private static let marks: [Bool] = (0...255).map { [0x0A, 0x22, 0x2D, 0xC2, 0xE2].contains($0) }

    /// One pass over the text: bytes that cannot start a dash or a quote mark are copied in
    /// runs, and skipped eight at a time (`ByteScan`); nil when nothing changed.
    func rewrite(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard dashes || quotes else { return nil }
        return Self.marks.withUnsafeBufferPointer { marks in
            var writer = Writer(capacity: s.count + 16)
            let n = s.count
            var copied = 0
            var paragraphStart = 0
            // Whether the paragraph has Cyrillic letters; looked up at its first quote mark.
            var cyrillic: Bool?
            var i = 0
            while i < n {
                while i + 8 <= n {
                    let x = ByteScan.load(s, i)
                    let found =
                        ByteScan.equal(x, 0x0A) | ByteScan.equal(x, 0x22) | ByteScan.equal(x, 0x2D) | ByteScan.leadsOutsideCyrillic(x)
                    if found != 0 { break }
                    i += 8
                }
                let chunkEnd = min(n, i + 8)
                while i < chunkEnd && !marks[Int(s[i])] { i += 1 }
                guard i < chunkEnd else { continue }
                let b = s[i]
                if b == 0x0A {
                    paragraphStart = i + 1
                    cyrillic = nil
                    writer.depth = 0
                    i += 1
                    continue
                }
                let enDash = b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x93
                if dashes && (b == 0x2D || enDash) {
                    let width = enDash ? 3 : 1
                    let spacedBefore = i == paragraphStart || s[i - 1] == 0x20
                    let endsParagraph = i + width == n || s[i + width] == 0x0A
                    let spacedAfter = (i + width < n && s[i + width] == 0x20) || (i > paragraphStart && endsParagraph && enDash)
                    if spacedBefore && spacedAfter {
                        writer.copy(s, copied..<i)
                        writer.emDash()
                        i += width
                        copied = i
                        continue
                    }
                }
                let isQuote =
                    b == 0x22 || (b == 0xC2 && i + 1 < n && (s[i + 1] == 0xAB || s[i + 1] == 0xBB))
                    || (b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (0x9C...0x9E).contains(s[i + 2]))
                guard quotes && isQuote else {
                    i += 1
                    continue
                }
                if cyrillic == nil { cyrillic = Self.hasCyrillic(s, from: paragraphStart) }
                guard cyrillic == true else {
                    i += 1
                    continue
                }
                if b == 0x22 {
                    writer.copy(s, copied..<i)
                    writer.quote(opening: writer.opensHere())
                    i += 1
                    copied = i
                } else if b == 0xC2 {
                    writer.depth = s[i + 1] == 0xAB ? writer.depth + 1 : max(0, writer.depth - 1)
                    i += 2
                } else {
                    let c = s[i + 2]
                    writer.copy(s, copied..<i)
                    // Inside a nested „…“ an “ is its closing mark, whatever precedes it: read
                    // otherwise, text this pass wrote ("««”" gives "««“") would change again.
                    writer.quote(opening: c == 0x9E || (c == 0x9C && writer.depth <= 1 && writer.opensHere()))
                    i += 3
                    copied = i
                }
            }
            guard writer.changed else { return nil }
            writer.copy(s, copied..<n)
            return writer.out
        }
    }

    private static func hasCyrillic(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var k = start
        while k < s.count && s[k] != 0x0A {
            if s[k] >= 0xD0 && s[k] <= 0xD3 { return true }
            k += 1
        }
        return false
    }

    /// The rewritten text and the quote nesting of the current paragraph.
    private struct Writer {
        var out: [UInt8] = []
        var depth = 0
        var changed = false

        init(capacity: Int) {
            out.reserveCapacity(capacity)
        }

        mutating func copy(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: s[range]))
        }

        mutating func emDash() {
            out.append(0xE2); out.append(0x80); out.append(0x94)
            changed = true
        }

        /// A quote mark opens when it follows a space, an opening bracket, a dash or «.
        func opensHere() -> Bool {
            guard let last = out.last else { return true }
            switch last {
            case 0x0A, 0x20, 0x09, 0x28, 0x5B, 0x7B, 0x2D, 0x2F: return true
            case 0xA0, 0xAB: return out.count >= 2 && out[out.count - 2] == 0xC2  // NBSP, «
            case 0x94, 0x93: return out.count >= 3 && out[out.count - 3] == 0xE2 && out[out.count - 2] == 0x80  // —, –
            default: return false
            }
        }

        mutating func quote(opening: Bool) {
            changed = true
            if depth > 0 {
                // Inside «…», the nested pair is „…“.
                if opening {
                    out.append(0xE2); out.append(0x80); out.append(0x9E)
                    depth += 1
                } else if depth > 1 {
                    out.append(0xE2); out.append(0x80); out.append(0x9C)
                    depth -= 1
                } else {
                    out.append(0xC2); out.append(0xBB)
                    depth -= 1
                }
            } else if opening {
                out.append(0xC2); out.append(0xAB)
                depth += 1
            } else {
                out.append(0xC2); out.append(0xBB)
            }
        }
    }
}
