import Foundation

/// Normalization v1: one line ending, no leading or trailing blanks on a line, no empty lines
/// (paragraphs are separated by exactly one "\n"), Unicode NFC.
public struct TextNormalizer: Sendable {
    public var nfc: Bool
    public var unifyLineBreaks: Bool
    public var trimLines: Bool

    public init(nfc: Bool = true, unifyLineBreaks: Bool = true, trimLines: Bool = true) {
        self.nfc = nfc
        self.unifyLineBreaks = unifyLineBreaks
        self.trimLines = trimLines
    }

    public func normalize(_ text: String) -> String {
        var text = text
        var rewritten: String?
        text.withUTF8 { src in
            guard needsRewrite(src) else { return }
            var out = [UInt8]()
            out.reserveCapacity(src.count)
            rewriteLines(src, into: &out)
            rewritten = String(decoding: out, as: UTF8.self)
        }
        if let rewritten {
            text = rewritten
        } else if trimLines {
            text = trimEnds(text)
        }
        if nfc && !Self.isNFC(text) {
            return text.precomposedStringWithCanonicalMapping
        }
        return text
    }

    /// Most clean text only needs its ends trimmed; those skip the copying rewrite.
    private func needsRewrite(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count
        var i = 0
        while i < n {
            let b = s[i]
            switch b {
            case 0x0A:
                // A blank before or after a line break, or an empty line.
                if trimLines {
                    if i > 0, Self.blankWidthBefore(s, end: i, limit: 0) != nil { return true }
                    if i + 1 < n, s[i + 1] == 0x0A || Self.blankWidth(s, at: i + 1, limit: n) != nil { return true }
                }
            case 0x0D, 0x0B, 0x0C:
                if unifyLineBreaks { return true }
            case 0xC2:
                if unifyLineBreaks && i + 1 < n && s[i + 1] == 0x85 { return true }
            case 0xE2:
                if unifyLineBreaks && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9) { return true }
            default:
                break
            }
            i += 1
        }
        return false
    }

    private func trimEnds(_ text: String) -> String {
        var text = text
        return text.withUTF8 { s -> String? in
            var start = 0
            var end = s.count
            while start < end {
                if s[start] == 0x0A { start += 1; continue }
                guard let w = Self.blankWidth(s, at: start, limit: end) else { break }
                start += w
            }
            while end > start {
                if s[end - 1] == 0x0A { end -= 1; continue }
                guard let w = Self.blankWidthBefore(s, end: end, limit: start) else { break }
                end -= w
            }
            if start == 0 && end == s.count { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: s[start..<end]), as: UTF8.self)
        } ?? text
    }

    /// NFC without normalizing: a byte-level check that accepts the ranges news text lives
    /// in, then the standard library's NFC quick check for the rest (emoji, symbols).
    static func isNFC(_ text: String) -> Bool {
        var text = text
        if text.withUTF8({ isSurelyNFC($0) }) { return true }
        var span = text.utf8Span
        return span.checkForNFC(quickCheck: true)
    }

    /// Copies `src` line by line, dropping blank lines and the blanks around each line.
    private func rewriteLines(_ src: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var i = 0
        let n = src.count
        while i < n {
            // Find the end of this line and the start of the next.
            var end = i
            var next = n
            while end < n {
                let b = src[end]
                if b == 0x0A { next = end + 1; break }
                if unifyLineBreaks {
                    if b == 0x0D {
                        next = (end + 1 < n && src[end + 1] == 0x0A) ? end + 2 : end + 1
                        break
                    }
                    if b == 0x0B || b == 0x0C { next = end + 1; break }
                    // U+0085 NEL, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
                    if b == 0xC2 && end + 1 < n && src[end + 1] == 0x85 { next = end + 2; break }
                    if b == 0xE2 && end + 2 < n && src[end + 1] == 0x80 && (src[end + 2] == 0xA8 || src[end + 2] == 0xA9) {
                        next = end + 3; break
                    }
                }
                end += 1
            }
            var start = i
            var stop = end
            if trimLines {
                while start < stop, let w = Self.blankWidth(src, at: start, limit: stop) { start += w }
                while start < stop, let w = Self.blankWidthBefore(src, end: stop, limit: start) { stop -= w }
            }
            if start < stop || !trimLines {
                if !out.isEmpty { out.append(0x0A) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: src[start..<stop]))
            }
            i = next
        }
    }

    /// Width in bytes of a blank (space, tab, NBSP, ideographic space) starting at `i`.
    @inline(__always)
    static func blankWidth(_ s: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int) -> Int? {
        let b = s[i]
        if b == 0x20 || b == 0x09 { return 1 }
        if b == 0xC2 && i + 1 < limit && s[i + 1] == 0xA0 { return 2 }
        if b == 0xE3 && i + 2 < limit && s[i + 1] == 0x80 && s[i + 2] == 0x80 { return 3 }
        return nil
    }

    @inline(__always)
    static func blankWidthBefore(_ s: UnsafeBufferPointer<UInt8>, end: Int, limit: Int) -> Int? {
        let b = s[end - 1]
        if b == 0x20 || b == 0x09 { return 1 }
        if b == 0xA0 && end - 2 >= limit && s[end - 2] == 0xC2 { return 2 }
        if b == 0x80 && end - 3 >= limit && s[end - 2] == 0x80 && s[end - 3] == 0xE3 { return 3 }
        return nil
    }

    /// True when every scalar is in a range where no composition can apply: ASCII and Latin-1
    /// up to U+02FF, Cyrillic U+0400–U+04FF, general punctuation U+2010–U+206F and U+2116 (№).
    /// Almost all news text passes, so the slow normalizer runs only where it can change
    /// something. Decided on lead bytes alone, without decoding scalars.
    static func isSurelyNFC(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        do {
            var i = 0
            let n = s.count
            while i < n {
                let b = s[i]
                if b < 0x80 { i += 1; continue }
                switch b {
                case 0xC2...0xCB, 0xD0...0xD3:  // U+0080–U+02FF, U+0400–U+04FF
                    i += 2
                case 0xE2:
                    guard i + 2 < n else { return false }
                    let b1 = s[i + 1]
                    let b2 = s[i + 2]
                    // U+2010–U+203F (E2 80 90–BF), U+2040–U+206F (E2 81 80–AF), U+2116 (E2 84 96)
                    let ok = (b1 == 0x80 && b2 >= 0x90) || (b1 == 0x81 && b2 <= 0xAF) || (b1 == 0x84 && b2 == 0x96)
                    guard ok else { return false }
                    i += 3
                default:
                    return false
                }
            }
            return true
        }
    }
}
