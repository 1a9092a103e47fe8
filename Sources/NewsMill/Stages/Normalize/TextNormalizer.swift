import Foundation

/// Normalization v1: one line ending, no leading or trailing blanks on a line, no empty lines
/// (paragraphs are separated by exactly one "\n"), Unicode NFC.
public struct TextNormalizer: Sendable {
    public var nfc: Bool
    public var unifyLineBreaks: Bool
    public var trimLines: Bool
    /// Drop control characters, zero-width characters and soft hyphens.
    public var removeInvisible: Bool
    /// Turn NBSP, tabs and the other Unicode spaces into a plain space, and runs of spaces into one.
    public var unifySpaces: Bool

    public init(
        nfc: Bool = true, unifyLineBreaks: Bool = true, trimLines: Bool = true,
        removeInvisible: Bool = true, unifySpaces: Bool = true
    ) {
        self.nfc = nfc
        self.unifyLineBreaks = unifyLineBreaks
        self.trimLines = trimLines
        self.removeInvisible = removeInvisible
        self.unifySpaces = unifySpaces
    }

    public func normalize(_ text: String) -> String {
        var text = text
        let cleaned = text.withUTF8 { cleanedBytes($0) }
        if let rebuilt = cleaned.bytes { text = String(passOutput: rebuilt) }
        return composed(text, surelyNFC: cleaned.surelyNFC)
    }

    /// The character and line passes on UTF-8 (bytes nil when they change nothing), and whether
    /// their result is surely NFC (`isSurelyNFC`), found on the way. Byte passes hand bytes to
    /// each other so that a String is made once.
    func cleanedBytes(_ original: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8]?, surelyNFC: Bool) {
        if removeInvisible || unifySpaces, let cleaned = cleanCharacters(original) {
            let joined = cleaned.withUnsafeBufferPointer { joinLines($0) }
            return (joined.bytes ?? cleaned, joined.surelyNFC)
        }
        return joinLines(original)
    }

    /// NFC, when it is switched on and the text is not NFC already. `surelyNFC`: the byte passes
    /// found nothing that could change under NFC, so the text needs no look at all; they drop
    /// or add only scalars that cannot, so what held for their input holds for their output.
    func composed(_ text: String, surelyNFC: Bool) -> String {
        nfc && !surelyNFC && !Self.isNFC(text) ? text.precomposedStringWithCanonicalMapping : text
    }

    /// Bytes where `joinLines` looks closer: what may start a line break (LF, VT, FF, CR, the
    /// leads of NEL, U+2028 and U+2029) or a scalar outside `isSurelyNFC`'s safe ranges.
    private static let lineMarks: [Bool] = (0...255).map { b in
        (0x0A...0x0D).contains(b) || b == 0xC2 || b == 0xE2 || !Self.nfcSafe[b]
    }

    /// The kept lines, trimmed, joined by single "\n"s (nil when that is the text already), and
    /// whether the text is surely NFC. One scan: lines are found and the NFC screen done on the
    /// same stops, and while the kept lines are the text itself or one stretch of it (the usual
    /// body: a line break left of the headline, blanks at the end) nothing is copied until the
    /// end. Valid UTF-8 is cut only around ASCII and whole blanks and breaks: it stays valid.
    private func joinLines(_ s: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8]?, surelyNFC: Bool) {
        Self.lineMarks.withUnsafeBufferPointer { marks in
            Self.nfcSafe.withUnsafeBufferPointer { safe in joinLines(s, marks: marks, nfcSafe: safe) }
        }
    }

    private func joinLines(
        _ s: UnsafeBufferPointer<UInt8>, marks: UnsafeBufferPointer<Bool>, nfcSafe: UnsafeBufferPointer<Bool>
    ) -> (bytes: [UInt8]?, surelyNFC: Bool) {
        let n = s.count
        var surelyNFC = true
        // The kept lines so far are s[keptStart..<keptEnd], until `out` holds them.
        var keptStart = -1
        var keptEnd = 0
        var out: [UInt8]?
        func keep(_ start: Int, _ end: Int) {
            var start = start
            var stop = end
            if trimLines {
                while start < stop, let w = Self.blankWidth(s, at: start, limit: stop) { start += w }
                while start < stop, let w = Self.blankWidthBefore(s, end: stop, limit: start) { stop -= w }
                if start == stop { return }
            }
            if out == nil {
                if keptStart < 0 {
                    keptStart = start
                    keptEnd = stop
                    return
                }
                if start == keptEnd + 1 && s[keptEnd] == 0x0A {
                    keptEnd = stop
                    return
                }
                out = []
                out!.reserveCapacity(n)
                out!.append(contentsOf: UnsafeBufferPointer(rebasing: s[keptStart..<keptEnd]))
            }
            out!.append(0x0A)
            out!.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<stop]))
        }
        var lineStart = 0
        var i = 0
        while i < n {
            while i + 8 <= n {
                let x = ByteScan.load(s, i)
                if ByteScan.below(x, 0x0E) | ByteScan.leadsOutsideCyrillic(x) != 0 { break }
                i += 8
            }
            let chunkEnd = min(n, i + 8)
            while i < chunkEnd && !marks[Int(s[i])] { i += 1 }
            guard i < chunkEnd else { continue }
            let b = s[i]
            if surelyNFC && !nfcSafe[Int(b)] {
                // U+2010–U+203F (E2 80 90–BF), U+2040–U+206F (E2 81 80–AF), U+2116 (E2 84 96)
                let b1: UInt8 = i + 2 < n ? s[i + 1] : 0
                let b2: UInt8 = i + 2 < n ? s[i + 2] : 0
                surelyNFC = b == 0xE2 && ((b1 == 0x80 && b2 >= 0x90) || (b1 == 0x81 && b2 <= 0xAF) || (b1 == 0x84 && b2 == 0x96))
            }
            var breakLength = 0
            if b == 0x0A {
                breakLength = 1
            } else if unifyLineBreaks {
                switch b {
                case 0x0D: breakLength = i + 1 < n && s[i + 1] == 0x0A ? 2 : 1
                case 0x0B, 0x0C: breakLength = 1
                case 0xC2 where i + 1 < n && s[i + 1] == 0x85: breakLength = 2
                case 0xE2 where i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9): breakLength = 3
                default: break
                }
            }
            if breakLength == 0 {
                i += 1
                continue
            }
            keep(lineStart, i)
            i += breakLength
            lineStart = i
        }
        keep(lineStart, n)
        if let out { return (out, surelyNFC) }
        if keptStart < 0 { return (n == 0 ? nil : [], surelyNFC) }
        if keptStart == 0 && keptEnd == n { return (nil, surelyNFC) }
        return (Array(UnsafeBufferPointer(rebasing: s[keptStart..<keptEnd])), surelyNFC)
    }

    /// Bytes that can start something `cleanCharacters` changes: C0 controls, tab, DEL, 0xC2
    /// (NBSP, soft hyphen, C1 controls), 0xE2 (U+2000–U+206F), 0xE3 (U+3000), 0xEF (U+FEFF).
    /// A space changes only after a space, so spaces are looked at in pairs, not one by one:
    /// they are a sixth of Russian text.
    private static let mayChange: [Bool] = (0...255).map { $0 < 0x20 || [0x7F, 0xC2, 0xE2, 0xE3, 0xEF].contains($0) }

    /// One byte pass that copies unchanged runs in bulk, and only once something changes.
    /// Every sequence dropped or replaced is a whole scalar: the result stays valid UTF-8.
    private func cleanCharacters(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        Self.mayChange.withUnsafeBufferPointer { mayChange -> [UInt8]? in
            var out: [UInt8]?
            var runStart = 0
            var i = 0
            let n = s.count
            while i < n {
                while i + 8 <= n {
                    let x = ByteScan.load(s, i)
                    var marks = ByteScan.below(x, 0x20) | ByteScan.equal(x, 0x7F) | ByteScan.leadsOutsideCyrillic(x)
                    if unifySpaces {
                        // Each byte's left neighbour in the same lane: a space after a space.
                        let before = i > 0 ? ByteScan.load(s, i - 1) : x << 8
                        marks |= ByteScan.equal(x, 0x20) & ByteScan.equal(before, 0x20)
                    }
                    if marks != 0 { break }
                    i += 8
                }
                let chunkEnd = min(n, i + 8)
                while i < chunkEnd && !mayChange[Int(s[i])] && !(s[i] == 0x20 && unifySpaces && i > 0 && s[i - 1] == 0x20) { i += 1 }
                guard i < chunkEnd else { continue }
                let b = s[i]
                let b1: UInt8 = i + 1 < n ? s[i + 1] : 0
                let b2: UInt8 = i + 2 < n ? s[i + 2] : 0
                // (replacement: a space or nothing, bytes consumed), or nil to keep the bytes.
                var action: (space: Bool, consumed: Int)?
                switch b {
                case 0x20 where unifySpaces:
                    let afterSpace = i > 0 && (s[i - 1] == 0x20 || (runStart == i && out?.last == 0x20))
                    if afterSpace { action = (false, 1) }
                case 0x09 where unifySpaces:
                    action = (true, 1)
                case 0x00..<0x20 where b != 0x09 && b != 0x0A && b != 0x0D && removeInvisible, 0x7F where removeInvisible:
                    action = (false, 1)
                case 0xC2 where b1 == 0xA0 && unifySpaces:
                    action = (true, 2)
                case 0xC2 where removeInvisible && (b1 == 0xAD || ((0x80...0x9F).contains(b1) && !(b1 == 0x85 && unifyLineBreaks))):
                    action = (false, 2)
                case 0xE2 where unifySpaces && ((b1 == 0x80 && ((0x80...0x8A).contains(b2) || b2 == 0xAF)) || (b1 == 0x81 && b2 == 0x9F)):
                    action = (true, 3)
                case 0xE2 where removeInvisible && ((b1 == 0x80 && (0x8B...0x8D).contains(b2)) || (b1 == 0x81 && b2 == 0xA0)):
                    action = (false, 3)
                case 0xE3 where unifySpaces && b1 == 0x80 && b2 == 0x80:
                    action = (true, 3)
                case 0xEF where removeInvisible && b1 == 0xBB && b2 == 0xBF:
                    action = (false, 3)
                default:
                    break
                }
                guard let action else {
                    i += 1
                    continue
                }
                if out == nil {
                    out = []
                    out!.reserveCapacity(n)
                }
                out!.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<i]))
                if action.space && out!.last != 0x20 { out!.append(0x20) }
                i += action.consumed
                // Spaces right after what became (or left) a space go too: not pairs in the input.
                while unifySpaces && i < n && s[i] == 0x20 && out!.last == 0x20 { i += 1 }
                runStart = i
            }
            guard var out else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<n]))
            return out
        }
    }

    /// NFC without normalizing: a byte-level check that accepts the ranges news text lives
    /// in, then the standard library's NFC quick check for the rest (emoji, symbols).
    static func isNFC(_ text: String) -> Bool {
        var text = text
        if text.withUTF8({ isSurelyNFC($0) }) { return true }
        var span = text.utf8Span
        return span.checkForNFC(quickCheck: true)
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
    /// Bytes that are safe one by one: below 0xCC (ASCII, continuation bytes, leads up to
    /// U+02FF) and the Cyrillic leads 0xD0–0xD3.
    private static let nfcSafe: [Bool] = (0...255).map { $0 < 0xCC || (0xD0...0xD3).contains($0) }

    static func isSurelyNFC(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        nfcSafe.withUnsafeBufferPointer { safe in
            var i = 0
            let n = s.count
            while i < n {
                while i < n && safe[Int(s[i])] { i += 1 }
                guard i < n else { break }
                guard s[i] == 0xE2, i + 2 < n else { return false }
                let b1 = s[i + 1]
                let b2 = s[i + 2]
                // U+2010–U+203F (E2 80 90–BF), U+2040–U+206F (E2 81 80–AF), U+2116 (E2 84 96)
                guard (b1 == 0x80 && b2 >= 0x90) || (b1 == 0x81 && b2 <= 0xAF) || (b1 == 0x84 && b2 == 0x96) else { return false }
                i += 3
            }
            return true
        }
    }
}

extension String {
    /// A String of what the normalize passes wrote, without validating it again: they cut valid
    /// UTF-8 only at scalar boundaries and insert only whole scalars. (The check cost as much as
    /// all the passes together, about 11 instructions a byte of Cyrillic.) Debug builds, and
    /// so the tests and the fuzz targets, still check.
    init(passOutput bytes: [UInt8]) {
        assert(String(validating: bytes, as: UTF8.self) != nil, "a normalize pass wrote invalid UTF-8")
        self = String(copying: UTF8Span(unchecked: bytes.span))
    }
}
