/// The text as the quotes grammar reads it: tokens with compound words, paragraph by paragraph.
/// Hyphens and apostrophes between letters stay inside a word ("пресс-служба", "L'Est"); a spaced
/// hyphen or en dash is a dash, as it is in text that was not normalized.
extension WordTokens {
    /// The tokens of a text's paragraphs (its lines), and each one's token range, blank lines
    /// left out. A paragraph that cannot hold or introduce a quotation is not cut: its range is
    /// empty.
    static func quoteParagraphs(_ bytes: UnsafeBufferPointer<UInt8>) -> (tokens: WordTokens, paragraphs: [Range<Int>]) {
        var tokens = WordTokens(bytes, words: .compounds)
        let lines = candidateLines(bytes)
        guard lines.contains(where: { $0.candidate }) else { return (tokens, []) }
        tokens.reserveCapacity(bytes.count / 8)
        var paragraphs: [Range<Int>] = []
        for line in lines {
            let first = tokens.count
            if line.candidate { tokens.append(line.bytes) }
            paragraphs.append(first..<tokens.count)
        }
        tokens.keyWords()
        return (tokens, paragraphs)
    }

    /// Whether eight bytes hold one the line scan must look at: LF, " or the leads of « » “ ” „
    /// (C2, E2). SWAR: a byte equal to c makes x ^ c have a zero byte, which sets a high bit here.
    @inline(__always) private static func mayHoldMark(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return
            (zeroByte(x ^ (ones &* 0x0A)) | zeroByte(x ^ (ones &* 0x22)) | zeroByte(x ^ (ones &* 0xC2))
            | zeroByte(x ^ (ones &* 0xE2))) != 0
    }

    /// The non-blank lines, each marked when it may hold or introduce a quotation: it has a quote
    /// mark, opens with a dash, has a colon in its first 80 bytes or ends with one, or follows a
    /// line ending with one. Every rule
    /// of `QuoteFinder` needs one of these, so the other lines are never cut.
    private static func candidateLines(_ b: UnsafeBufferPointer<UInt8>) -> [(bytes: Range<Int>, candidate: Bool)] {
        var lines: [(bytes: Range<Int>, candidate: Bool)] = []
        guard let base = b.baseAddress else { return lines }
        let raw = UnsafeRawPointer(base)
        let n = b.count
        var start = 0
        var afterColon = false
        while start < n {
            var first = start
            while first < n && (b[first] == 0x20 || b[first] == 0x09 || b[first] == 0x0D) { first += 1 }
            var quoted = false
            var k = first
            while true {
                while k + 8 <= n && !mayHoldMark(raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) { k += 8 }
                guard k < n else { break }
                let c = b[k]
                if c == 0x0A { break }
                if c == 0x22 {
                    quoted = true
                } else if c == 0xC2 {
                    quoted = quoted || (k + 1 < n && (b[k + 1] == 0xAB || b[k + 1] == 0xBB))
                } else if c == 0xE2 {
                    quoted = quoted || (k + 2 < n && b[k + 1] == 0x80 && (0x9C...0x9F).contains(b[k + 2]))
                }
                k += 1
            }
            var last = k
            while last > first && (b[last - 1] == 0x20 || b[last - 1] == 0x09 || b[last - 1] == 0x0D) { last -= 1 }
            if last > first {
                let dash =
                    b[first] == 0x2D || (b[first] == 0xE2 && first + 2 < n && b[first + 1] == 0x80 && (0x90...0x95).contains(b[first + 2]))
                let colon = b[last - 1] == 0x3A
                // An interview's line opens with a name and a colon ("Фридрих фон Болен: …").
                let named = (first..<min(last, first + 80)).contains { b[$0] == 0x3A }
                lines.append((first..<last, quoted || dash || colon || afterColon || named))
                afterColon = colon
            }
            start = k + 1
        }
        return lines
    }

    // MARK: Reading tokens

    /// . ! ? …: what ends a sentence.
    func endsSentence(_ i: Int) -> Bool {
        guard i >= 0 && i < tokens.count else { return false }
        switch tokens[i].mark {
        case .period: return !isInitial(i)
        case .exclamation, .question, .ellipsis: return true
        default: return false
        }
    }

    /// The period of an initial ("В. Путин"): one capital letter before it, a capitalised word after.
    func isInitial(_ period: Int) -> Bool {
        let w = period - 1
        guard w >= 0, period + 1 < tokens.count, isCapitalized(w), !tokens[period].spaced, isCapitalized(period + 1) else { return false }
        let length = tokens[w].end - tokens[w].start
        return length == 1 || (length == 2 && bytes[Int(tokens[w].start)] >= 0xC0)
    }

    /// The word starts with a lower-case letter, or with a number ("81-летний" reads as its word does).
    func isLowerCase(_ i: Int) -> Bool {
        guard isWord(i) else { return false }
        let s = Int(tokens[i].start)
        let c = bytes[s]
        let d: UInt8 = s + 1 < Int(tokens[i].end) ? bytes[s + 1] : 0
        return (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || (c == 0xD0 && (0xB0...0xBF).contains(d))
            || (c == 0xD1 && ((0x80...0x8F).contains(d) || d == 0x91))
    }

    /// The word starts with an ASCII letter (names of outlets: CNN, Reuters).
    func isLatin(_ i: Int) -> Bool {
        guard isWord(i) else { return false }
        let c = bytes[Int(tokens[i].start)]
        return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
    }

    /// A word in capitals only, two letters or more ("ТАСС", "CNN").
    func isAcronym(_ i: Int) -> Bool {
        guard isWord(i) else { return false }
        var letters = 0
        var k = Int(tokens[i].start)
        let end = Int(tokens[i].end)
        while k < end {
            let b = bytes[k]
            if b >= 0x61 && b <= 0x7A { return false }
            if b >= 0x41 && b <= 0x5A { letters += 1; k += 1; continue }
            if b == 0xD0 || b == 0xD1, k + 1 < end {
                let c = bytes[k + 1]
                let upper = b == 0xD0 && ((0x90...0xAF).contains(c) || c == 0x81)
                if !upper { return false }
                letters += 1
                k += 2
                continue
            }
            k += 1
        }
        return letters >= 2
    }
}
