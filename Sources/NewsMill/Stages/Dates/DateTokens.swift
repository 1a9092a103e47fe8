/// The text cut into words, numbers and punctuation marks, each with its byte range. Unicode-
/// scalar offsets (what records report) are counted only for the few tokens that become mentions.
struct DateTokens {
    enum Kind: UInt8 { case word, number, punctuation }

    struct Token {
        var kind: Kind
        /// Set when whitespace separates the token from the one before it.
        var spaced: Bool
        /// Set when a line break separates the token from the one before it: no date spans paragraphs.
        var lineBreak: Bool
        var byteStart: Int32
        var byteEnd: Int32
    }

    /// The text's UTF-8, borrowed for the extraction (`DateExtractor.extract` holds it).
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var tokens: [Token] = []

    /// The text's bytes; tokens are made line by line (`tokenize(line:)`), since no date spans
    /// lines and most lines hold none.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tokens.reserveCapacity(64)
    }

    /// Line ranges of the text (without their "\n").
    var lines: [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lines.append(start..<end)
            start = end + 1
        }
        return lines
    }

    /// A cheap look at a line's bytes: a date needs a digit, a word starting like a month name,
    /// or a Roman numeral (I, V, X at the start of a word).
    func mayHoldDate(_ line: Range<Int>) -> Bool {
        let b = bytes
        do {
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

    mutating func tokenize(line: Range<Int>) {
        tokens.removeAll(keepingCapacity: true)
        tokenize(line)
    }

    var count: Int { tokens.count }
    subscript(i: Int) -> Token { tokens[i] }

    /// What a byte starts: most bytes are settled by this table; the leads of the Latin-1
    /// punctuation and General Punctuation blocks (C2, E2, E3) need a look at what follows.
    private enum ByteClass: UInt8 { case space, lineBreak, digit, letter, punctuation, continuation, special }

    private static let byteClasses: [ByteClass] = (0...255).map { b -> ByteClass in
        switch b {
        case 0x30...0x39: return .digit
        case 0x41...0x5A, 0x61...0x7A: return .letter
        case 0x0A, 0x0D: return .lineBreak
        case 0x09, 0x0B, 0x0C, 0x20: return .space
        case 0x00..<0x80: return .punctuation
        case 0x80..<0xC0: return .continuation
        case 0xC2, 0xE2, 0xE3: return .special
        default: return .letter
        }
    }

    private mutating func tokenize(_ range: Range<Int>) {
        let classes = Self.byteClasses
        var tokens = self.tokens
        self.tokens = []
        let b = bytes
        do {
            classes.withUnsafeBufferPointer { table in
                let n = range.upperBound
                var i = range.lowerBound
                var spaced = true
                var lineBreak = true
                while i < n {
                    var cls = table[Int(b[i])]
                    var width = 1
                    if cls == .special { (cls, width) = Self.classifySpecial(b, at: i) }
                    var kind = Kind.punctuation
                    var end = i + width
                    switch cls {
                    case .space, .lineBreak:
                        spaced = true
                        if cls == .lineBreak { lineBreak = true }
                        i += width
                        continue
                    case .punctuation, .continuation:
                        break
                    case .digit:
                        kind = .number
                        while end < n && table[Int(b[end])] == .digit { end += 1 }
                    case .letter, .special:
                        kind = .word
                        end = i
                        // Letters and their continuation bytes; C2/E2/E3 sequences end a word unless letters.
                        while end < n {
                            let next = table[Int(b[end])]
                            if next == .letter || next == .continuation {
                                end += 1
                            } else if next == .special, case let (.letter, w) = Self.classifySpecial(b, at: end) {
                                end += w
                            } else {
                                break
                            }
                        }
                    }
                    tokens.append(Token(kind: kind, spaced: spaced, lineBreak: lineBreak, byteStart: Int32(i), byteEnd: Int32(end)))
                    i = end
                    spaced = false; lineBreak = false
                }
            }
        }
        self.tokens = tokens
    }

    func scalarCount(from: Int, to: Int) -> Int {
        bytes.scalarCount(from: from, to: to)
    }

    /// C2, E2 and E3 sequences: NBSP and the Unicode spaces are spaces, U+2028/2029 line breaks,
    /// the rest of those blocks (« » — “ ” …) marks; a truncated sequence is a mark.
    private static func classifySpecial(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (ByteClass, Int) {
        let lead = b[i]
        let width = lead == 0xC2 ? 2 : 3
        guard i + width <= b.count else { return (.punctuation, b.count - i) }
        switch lead {
        case 0xC2:
            return (b[i + 1] == 0xA0 ? .space : .punctuation, 2)
        case 0xE2:
            if b[i + 1] == 0x80 {
                let c = b[i + 2]
                if c <= 0x8A || c == 0xAF { return (.space, 3) }
                if c == 0xA8 || c == 0xA9 { return (.lineBreak, 3) }
            }
            return (.punctuation, 3)
        default:
            // E3: the ideographic space is a space; the rest of the CJK blocks are letters.
            return (b[i + 1] == 0x80 && b[i + 2] == 0x80 ? .space : .letter, 3)
        }
    }

    // MARK: Reading tokens

    func isNumber(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .number }
    func isWord(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .word }

    func digits(_ i: Int) -> Int { isNumber(i) ? Int(tokens[i].byteEnd - tokens[i].byteStart) : 0 }

    /// The value of a number token of at most 4 digits (nil for longer runs).
    func number(_ i: Int) -> Int? {
        guard isNumber(i), digits(i) <= 4 else { return nil }
        var value = 0
        for k in Int(tokens[i].byteStart)..<Int(tokens[i].byteEnd) { value = value * 10 + Int(bytes[k] - 0x30) }
        return value
    }

    /// The ASCII punctuation byte of token i (nil for other tokens and for non-ASCII marks).
    func asciiMark(_ i: Int) -> UInt8? {
        guard i >= 0, i < tokens.count, tokens[i].kind == .punctuation, tokens[i].byteEnd - tokens[i].byteStart == 1 else { return nil }
        return bytes[Int(tokens[i].byteStart)]
    }

    /// Hyphen, en dash, em dash or minus: what joins the two ends of a range.
    func isDash(_ i: Int) -> Bool {
        guard i >= 0, i < tokens.count, tokens[i].kind == .punctuation else { return false }
        let s = Int(tokens[i].byteStart), width = Int(tokens[i].byteEnd) - s
        if width == 1 { return bytes[s] == 0x2D }
        // U+2010…U+2015 dashes, U+2212 minus.
        return width == 3 && ((bytes[s] == 0xE2 && bytes[s + 1] == 0x80 && (0x90...0x95).contains(bytes[s + 2]))
            || (bytes[s] == 0xE2 && bytes[s + 1] == 0x88 && bytes[s + 2] == 0x92))
    }

    /// » or ” (the closing quotes normalization leaves).
    func isClosingQuote(_ i: Int) -> Bool {
        guard i >= 0, i < tokens.count, tokens[i].kind == .punctuation else { return false }
        let s = Int(tokens[i].byteStart), width = Int(tokens[i].byteEnd) - s
        return (width == 2 && bytes[s] == 0xC2 && bytes[s + 1] == 0xBB)
            || (width == 3 && bytes[s] == 0xE2 && bytes[s + 1] == 0x80 && bytes[s + 2] == 0x9D)
    }

    /// Token i directly follows token i-1, with no space between.
    func joined(_ i: Int) -> Bool { i > 0 && i < tokens.count && !tokens[i].spaced }

    /// Token i is on the same line as token i-1.
    func sameLine(_ i: Int) -> Bool { i > 0 && i < tokens.count && !tokens[i].lineBreak }

    /// A 64-bit hash (FNV-1a) of the lower-cased UTF-8 of a word token of at most 16 scalars,
    /// for lexicon lookups without building a string; `WordKey("…")` hashes a lexicon entry.
    func key(_ i: Int) -> WordKey? {
        guard isWord(i), tokens[i].byteEnd - tokens[i].byteStart <= 40 else { return nil }
        var key = WordKey()
        var k = Int(tokens[i].byteStart)
        let end = Int(tokens[i].byteEnd)
        while k < end {
            let b = bytes[k]
            if b >= 0x41 && b <= 0x5A {
                key.add(b | 0x20); k += 1
            } else if b == 0xD0 && k + 1 < end {
                let c = bytes[k + 1]
                switch c {
                case 0x90...0x9F: key.add(0xD0); key.add(c + 0x20)   // А…П → а…п
                case 0xA0...0xAF: key.add(0xD1); key.add(c - 0x20)   // Р…Я → р…я
                case 0x81: key.add(0xD1); key.add(0x91)              // Ё → ё
                default: key.add(b); key.add(c)
                }
                k += 2
            } else {
                key.add(b); k += 1
            }
        }
        return key
    }

    /// The first letter of word token i is upper case (ASCII or Cyrillic).
    func isCapitalized(_ i: Int) -> Bool {
        guard isWord(i) else { return false }
        let s = Int(tokens[i].byteStart)
        let b = bytes[s]
        if b >= 0x41 && b <= 0x5A { return true }
        return b == 0xD0 && s + 1 < bytes.count && ((0x90...0xAF).contains(bytes[s + 1]) || bytes[s + 1] == 0x81)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tokens[range.lowerBound].byteStart)..<Int(tokens[range.upperBound - 1].byteEnd)]), as: UTF8.self)
    }
}

struct WordKey: Hashable {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    init() {}

    init(_ word: String) {
        for b in word.utf8 { add(b) }
    }

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01B3
    }
}
