/// The text cut into words, numbers and marks, paragraph by paragraph, for finding quotations.
/// Marks are classified once (quote marks, dashes, sentence punctuation), so the grammar in
/// `QuoteExtractor` reads tokens, never bytes. Hyphens and apostrophes between letters stay
/// inside a word ("пресс-служба", "L'Est"); a spaced hyphen or en dash is a dash, as it is in
/// text that was not normalized.
struct QuoteTokens {
    enum Kind: UInt8 { case word, number, mark }

    enum Mark: UInt8 {
        case none
        /// « „ ‟: always open a quotation.
        case openQuote
        /// » ”: always close one.
        case closeQuote
        /// " “: open or close by context (“ closes „ in Russian and opens in English).
        case eitherQuote
        case dash, comma, period, exclamation, question, ellipsis, colon, semicolon, openBracket, closeBracket, other
    }

    struct Token {
        var start: Int32
        var end: Int32
        /// Hash of the lower-cased word with ё read as е (`QuoteTokens.key(of:)`); 0 for other tokens.
        var key: UInt64
        var kind: Kind
        var mark: Mark
        /// Whitespace separates the token from the one before it (or it opens its paragraph).
        var spaced: Bool
        var upper: Bool
        var lower: Bool
        /// The word starts with an ASCII letter (names of outlets: CNN, Reuters).
        var latin: Bool
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var tokens: [Token] = []
    /// Token ranges of the paragraphs (lines of the text), blank lines left out. A paragraph that
    /// cannot hold or introduce a quotation is not tokenized: its range is empty.
    private(set) var paragraphs: [Range<Int>] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let lines = Self.candidateLines(bytes)
        guard lines.contains(where: { $0.candidate }) else { return }
        tokens.reserveCapacity(bytes.count / 8)
        for line in lines {
            let first = tokens.count
            if line.candidate { tokenize(line.bytes) }
            paragraphs.append(first..<tokens.count)
        }
    }

    subscript(i: Int) -> Token { tokens[i] }
    var count: Int { tokens.count }

    /// Whether eight bytes hold one the line scan must look at: LF, " or the leads of « » “ ” „
    /// (C2, E2). SWAR: a byte equal to c makes x ^ c have a zero byte, which sets a high bit here.
    @inline(__always) private static func mayHoldMark(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return (zeroByte(x ^ (ones &* 0x0A)) | zeroByte(x ^ (ones &* 0x22)) | zeroByte(x ^ (ones &* 0xC2))
            | zeroByte(x ^ (ones &* 0xE2))) != 0
    }

    /// The non-blank lines, each marked when it may hold or introduce a quotation: it has a quote
    /// mark, opens with a dash, ends with a colon, or follows a line ending with one. Every rule
    /// of `QuoteFinder` needs one of these, so the other lines are never tokenized.
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
                let dash = b[first] == 0x2D || (b[first] == 0xE2 && first + 2 < n && b[first + 1] == 0x80 && (0x90...0x95).contains(b[first + 2]))
                let colon = b[last - 1] == 0x3A
                lines.append((first..<last, quoted || dash || colon || afterColon))
                afterColon = colon
            }
            start = k + 1
        }
        return lines
    }

    // MARK: Reading tokens

    func isMark(_ i: Int, _ mark: Mark) -> Bool { i >= 0 && i < tokens.count && tokens[i].mark == mark }
    func isWord(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .word }
    func key(_ i: Int) -> UInt64 { i >= 0 && i < tokens.count ? tokens[i].key : 0 }

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
        guard w >= 0, period + 1 < tokens.count, tokens[w].kind == .word, tokens[w].upper,
              !tokens[period].spaced, tokens[period + 1].upper else { return false }
        let length = tokens[w].end - tokens[w].start
        return length == 1 || (length == 2 && bytes[Int(tokens[w].start)] >= 0xC0)
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

    func text(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return text(bytes: Int(tokens[range.lowerBound].start)..<Int(tokens[range.upperBound - 1].end))
    }

    func text(bytes range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func byteRange(_ range: Range<Int>) -> Range<Int> {
        Int(tokens[range.lowerBound].start)..<Int(tokens[range.upperBound - 1].end)
    }

    func scalarCount(from: Int, to: Int) -> Int {
        bytes.scalarCount(from: from, to: to)
    }

    // MARK: Words as keys

    /// The key of a lexicon entry, folded as words of the text are.
    static func key(of word: String) -> UInt64 {
        var word = word
        return word.withUTF8 { key(of: $0, 0..<$0.count) }
    }

    /// Lower case for ASCII and Cyrillic, ё and Ё read as е (news write both), ’ as ', hashed.
    /// Cyrillic letters are folded on their code point without branches (a branch per letter
    /// class mispredicts on every other letter), and the folded units are packed four to a word
    /// and mixed once per word.
    static func key(of b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash = KeyHasher()
        var k = range.lowerBound
        let end = range.upperBound
        while k < end {
            let c = b[k]
            if c < 0x80 {
                let upper = c &- 0x41 < 26
                hash.add(UInt16(upper ? c | 0x20 : c))
                k += 1
            } else if c & 0xFE == 0xD0 && k + 1 < end {
                var cp = UInt16(c & 0x1F) << 6 | UInt16(b[k + 1] & 0x3F)
                cp = cp &- 0x410 < 0x20 ? cp &+ 0x20 : cp               // А…Я → а…я
                cp = cp == 0x401 || cp == 0x451 ? 0x435 : cp            // Ё, ё → е
                hash.add(cp)
                k += 2
            } else if c == 0xE2 && k + 2 < end && b[k + 1] == 0x80 && b[k + 2] == 0x99 {
                hash.add(0x27)                                          // ’ → '
                k += 3
            } else {
                hash.add(UInt16(c) | 0x100)
                k += 1
            }
        }
        return hash.value
    }

    private struct KeyHasher {
        private var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        private var word: UInt64 = 0
        private var filled = 0
        private var length = 0

        @inline(__always) mutating func add(_ unit: UInt16) {
            word = word << 16 | UInt64(unit)
            filled += 1
            if filled == 4 { flush() }
        }

        @inline(__always) private mutating func flush() {
            hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            length += filled
            word = 0
            filled = 0
        }

        var value: UInt64 {
            var h = self
            if h.filled > 0 { h.flush() }
            var x = h.hash ^ UInt64(h.length)
            x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
            x ^= x >> 33
            return x == 0 ? 1 : x
        }
    }

    // MARK: Tokenizing

    private enum ByteClass: UInt8 { case space, lineBreak, digit, letter, ascii, continuation, special }

    private static let byteClasses: [ByteClass] = (0...255).map { b -> ByteClass in
        switch b {
        case 0x30...0x39: return .digit
        case 0x41...0x5A, 0x61...0x7A: return .letter
        case 0x0A, 0x0D: return .lineBreak
        case 0x09, 0x0B, 0x0C, 0x20: return .space
        case 0x00..<0x80: return .ascii
        case 0x80..<0xC0: return .continuation
        case 0xC2, 0xE2, 0xE3: return .special
        default: return .letter
        }
    }

    private static func asciiMark(_ b: UInt8) -> Mark {
        switch b {
        case 0x22: return .eitherQuote
        case 0x2D: return .dash
        case 0x2C: return .comma
        case 0x2E: return .period
        case 0x21: return .exclamation
        case 0x3F: return .question
        case 0x3A: return .colon
        case 0x3B: return .semicolon
        case 0x28, 0x5B: return .openBracket
        case 0x29, 0x5D: return .closeBracket
        default: return .other
        }
    }

    /// C2, E2 and E3 sequences: spaces, line breaks, or the marks of those blocks; E3 outside the
    /// ideographic space are CJK letters.
    private static func special(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (ByteClass, Mark, Int) {
        let lead = b[i]
        let width = lead == 0xC2 ? 2 : 3
        guard i + width <= b.count else { return (.ascii, .other, b.count - i) }
        if lead == 0xC2 {
            switch b[i + 1] {
            case 0xA0: return (.space, .none, 2)
            case 0xAB: return (.ascii, .openQuote, 2)
            case 0xBB: return (.ascii, .closeQuote, 2)
            default: return (.ascii, .other, 2)
            }
        }
        if lead == 0xE3 { return (b[i + 1] == 0x80 && b[i + 2] == 0x80 ? .space : .letter, .none, 3) }
        if b[i + 1] == 0x80 {
            switch b[i + 2] {
            case 0x80...0x8A, 0xAF: return (.space, .none, 3)
            case 0xA8, 0xA9: return (.lineBreak, .none, 3)
            case 0x90...0x95: return (.ascii, .dash, 3)
            case 0x9C: return (.ascii, .eitherQuote, 3)
            case 0x9D: return (.ascii, .closeQuote, 3)
            case 0x9E, 0x9F: return (.ascii, .openQuote, 3)
            case 0xA6: return (.ascii, .ellipsis, 3)
            default: return (.ascii, .other, 3)
            }
        }
        if b[i + 1] == 0x81 && b[i + 2] == 0x9F { return (.space, .none, 3) }
        if b[i + 1] == 0x88 && b[i + 2] == 0x92 { return (.ascii, .dash, 3) }   // minus sign
        return (.ascii, .other, 3)
    }

    /// A letter starts at k (also a letter sequence behind a C2/E2/E3 lead).
    @inline(__always) private static func letterAt(_ b: UnsafeBufferPointer<UInt8>, _ k: Int, limit n: Int,
                                                   _ table: UnsafeBufferPointer<ByteClass>) -> Bool {
        guard k < n else { return false }
        let cls = table[Int(b[k])]
        if cls == .letter { return true }
        if cls == .special { return special(b, at: k).0 == .letter }
        return false
    }

    /// Where a word starting at `start` ends: letters, digits, and "-", "'" or ’ between letters.
    private static func wordEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int, limit n: Int,
                                _ table: UnsafeBufferPointer<ByteClass>) -> Int {
        var end = start
        while end < n {
            let cls = table[Int(b[end])]
            if cls == .letter || cls == .continuation || cls == .digit {
                end += 1
            } else if cls == .special, case let (.letter, _, w) = special(b, at: end) {
                end += w
            } else if (b[end] == 0x2D || b[end] == 0x27) && end + 1 < n
                        && (letterAt(b, end + 1, limit: n, table) || table[Int(b[end + 1])] == .digit) {
                end += 1
            } else if b[end] == 0xE2 && end + 3 < n && b[end + 1] == 0x80 && b[end + 2] == 0x99 && letterAt(b, end + 3, limit: n, table) {
                end += 3
            } else {
                break
            }
        }
        return end
    }

    /// Tokens of one line (no line breaks inside but U+2028/2029, read as spaces here).
    private mutating func tokenize(_ line: Range<Int>) {
        let b = bytes
        let n = line.upperBound
        var tokens = self.tokens
        self.tokens = []
        Self.byteClasses.withUnsafeBufferPointer { table in
            var i = line.lowerBound
            var spaced = true
            while i < n {
                var cls = table[Int(b[i])]
                var mark = Mark.none
                var width = 1
                if cls == .special { (cls, mark, width) = Self.special(b, at: i) }
                switch cls {
                case .space, .lineBreak:
                    spaced = true
                    i += width
                    continue
                case .digit:
                    var end = i + 1
                    while end < n && table[Int(b[end])] == .digit { end += 1 }
                    if end + 1 < n && b[end] == 0x2D && Self.letterAt(b, end + 1, limit: n, table) {
                        // "81-летний", "90-х": a word that starts with a number.
                        let wordEnd = Self.wordEnd(b, from: end + 1, limit: n, table)
                        tokens.append(Token(start: Int32(i), end: Int32(wordEnd), key: Self.key(of: b, i..<wordEnd), kind: .word,
                                            mark: .none, spaced: spaced, upper: false, lower: true, latin: false))
                        i = wordEnd
                    } else {
                        tokens.append(Token(start: Int32(i), end: Int32(end), key: 0, kind: .number, mark: .none,
                                            spaced: spaced, upper: false, lower: false, latin: false))
                        i = end
                    }
                case .letter, .special:
                    let end = Self.wordEnd(b, from: i, limit: n, table)
                    let c = b[i]
                    let d: UInt8 = i + 1 < n ? b[i + 1] : 0
                    let upper = (c >= 0x41 && c <= 0x5A) || (c == 0xD0 && ((0x90...0xAF).contains(d) || d == 0x81))
                    let lower = (c >= 0x61 && c <= 0x7A) || (c == 0xD0 && (0xB0...0xBF).contains(d))
                        || (c == 0xD1 && ((0x80...0x8F).contains(d) || d == 0x91))
                    let key = end - i <= 48 ? Self.key(of: b, i..<end) : 0
                    tokens.append(Token(start: Int32(i), end: Int32(end), key: key, kind: .word, mark: .none,
                                        spaced: spaced, upper: upper, lower: lower, latin: c < 0x80))
                    i = end
                case .ascii, .continuation:
                    if mark == .none { mark = cls == .ascii && width == 1 ? Self.asciiMark(b[i]) : .other }
                    tokens.append(Token(start: Int32(i), end: Int32(i + width), key: 0, kind: .mark, mark: mark,
                                        spaced: spaced, upper: false, lower: false, latin: false))
                    i += width
                }
                spaced = false
            }
        }
        self.tokens = tokens
    }
}
