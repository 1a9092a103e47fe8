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
        var out = [UInt8]()
        text.withUTF8 { src in
            out.reserveCapacity(src.count)
            rewriteLines(src, into: &out)
        }
        let result = String(decoding: out, as: UTF8.self)
        if nfc && !Self.isSurelyNFC(out) {
            return result.precomposedStringWithCanonicalMapping
        }
        return result
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

    /// True when every scalar is in a range where no composition can apply: ASCII/Latin-1
    /// below U+0300, Cyrillic U+0400–U+04FF (except the two letters with a combining breve or
    /// diaeresis that could follow), general punctuation U+2010–U+206F and U+2116 (№). Almost
    /// all news text passes, so the slow normalizer runs only where it can change something.
    static func isSurelyNFC(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { s in
            var i = 0
            let n = s.count
            while i < n {
                let b = s[i]
                if b < 0x80 { i += 1; continue }
                if b < 0xE0 {
                    guard i + 1 < n else { return false }
                    let scalar = (UInt32(b & 0x1F) << 6) | UInt32(s[i + 1] & 0x3F)
                    if scalar >= 0x300 && !(0x400...0x4FF).contains(scalar) { return false }
                    i += 2
                    continue
                }
                if b < 0xF0 {
                    guard i + 2 < n else { return false }
                    let scalar = (UInt32(b & 0x0F) << 12) | (UInt32(s[i + 1] & 0x3F) << 6) | UInt32(s[i + 2] & 0x3F)
                    if !(0x2010...0x206F).contains(scalar) && scalar != 0x2116 { return false }
                    i += 3
                    continue
                }
                return false
            }
            return true
        }
    }
}
