/// The text cut into words, numbers and punctuation marks, each with its byte range (to read it)
/// and its Unicode-scalar range (what records report, Python `str` indices, end exclusive).
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
        var scalarStart: Int32
        var scalarEnd: Int32
    }

    let bytes: [UInt8]
    private(set) var tokens: [Token] = []

    init(_ text: String) {
        var text = text
        bytes = text.withUTF8 { Array($0) }
        tokens.reserveCapacity(bytes.count / 5)
        tokenize()
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

    private mutating func tokenize() {
        let classes = Self.byteClasses
        var tokens = self.tokens
        self.tokens = []
        bytes.withUnsafeBufferPointer { b in
            classes.withUnsafeBufferPointer { table in
                let n = b.count
                var i = 0
                var scalar: Int32 = 0
                var spaced = true
                var lineBreak = true
                while i < n {
                    var cls = table[Int(b[i])]
                    var width = 1
                    if cls == .special { (cls, width) = Self.classifySpecial(b, at: i) }
                    switch cls {
                    case .space, .lineBreak:
                        spaced = true
                        if cls == .lineBreak { lineBreak = true }
                        i += width; scalar += 1
                        continue
                    case .punctuation, .continuation:
                        tokens.append(Token(kind: .punctuation, spaced: spaced, lineBreak: lineBreak, byteStart: Int32(i),
                                            byteEnd: Int32(i + width), scalarStart: scalar, scalarEnd: scalar + 1))
                        i += width; scalar += 1
                    case .digit:
                        var j = i + 1
                        while j < n && table[Int(b[j])] == .digit { j += 1 }
                        tokens.append(Token(kind: .number, spaced: spaced, lineBreak: lineBreak, byteStart: Int32(i),
                                            byteEnd: Int32(j), scalarStart: scalar, scalarEnd: scalar + Int32(j - i)))
                        scalar += Int32(j - i)
                        i = j
                    case .letter, .special:
                        let start = i, scalarStart = scalar
                        var j = i
                        scan: while j < n {
                            switch table[Int(b[j])] {
                            case .letter: scalar += 1; j += 1
                            case .continuation: j += 1
                            case .special:
                                let (next, w) = Self.classifySpecial(b, at: j)
                                guard next == .letter else { break scan }
                                scalar += 1; j += w
                            default: break scan
                            }
                        }
                        tokens.append(Token(kind: .word, spaced: spaced, lineBreak: lineBreak, byteStart: Int32(start),
                                            byteEnd: Int32(j), scalarStart: scalarStart, scalarEnd: scalar))
                        i = j
                    }
                    spaced = false; lineBreak = false
                }
            }
        }
        self.tokens = tokens
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
        guard isWord(i), tokens[i].scalarEnd - tokens[i].scalarStart <= 16 else { return nil }
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
        String(decoding: bytes[Int(tokens[range.lowerBound].byteStart)..<Int(tokens[range.upperBound - 1].byteEnd)], as: UTF8.self)
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
