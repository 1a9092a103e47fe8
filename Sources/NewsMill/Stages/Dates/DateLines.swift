extension WordTokens {
    /// A cheap look at a line's bytes before it is cut: a date needs a digit, a word starting
    /// like a month name, or a Roman numeral (I, V, X at the start of a word).
    func mayHoldDate(_ line: Range<Int>) -> Bool {
        let b = bytes
        if Self.hasDigit(b, line) { return true }
        var afterLetter = false
        for k in line {
            let byte = b[k]
            if byte < 0x80 {
                if !afterLetter && (byte == 0x49 || byte == 0x56 || byte == 0x58) { return true }
                afterLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
            } else if byte == 0xD0 || byte == 0xD1 {
                if !afterLetter && k + 3 < line.upperBound && DateLexicon.startsLikeMonth(b, at: k) { return true }
                afterLetter = true
            } else if byte >= 0xC0 {
                afterLetter = byte != 0xC2 && byte != 0xE2 && byte != 0xE3
            }
        }
        return false
    }

    /// Whether any byte in the range is an ASCII digit, eight bytes at a time (SWAR: a byte
    /// strictly between 0x2F and 0x3A sets its high bit in the mask).
    static func hasDigit(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let base = b.baseAddress, !range.isEmpty else { return false }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        var k = range.lowerBound
        while k + 8 <= range.upperBound {
            let x = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let low7 = x & (ones &* 127)
            let between = ((ones &* (127 + 0x3A)) &- low7) & ~x & (low7 &+ (ones &* (127 - 0x2F))) & (ones &* 128)
            if between != 0 { return true }
            k += 8
        }
        while k < range.upperBound {
            if b[k] >= 0x30 && b[k] <= 0x39 { return true }
            k += 1
        }
        return false
    }
}
