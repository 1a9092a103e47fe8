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

    private enum ByteClass { case space, lineBreak, digit, letter, punctuation }

    private mutating func tokenize() {
        var i = 0
        var scalar: Int32 = 0
        var spaced = true
        var lineBreak = true
        let n = bytes.count
        while i < n {
            let (cls, width) = classify(at: i)
            switch cls {
            case .space:
                spaced = true
                i += width; scalar += 1
                continue
            case .lineBreak:
                spaced = true; lineBreak = true
                i += width; scalar += 1
                continue
            case .punctuation:
                tokens.append(Token(kind: .punctuation, spaced: spaced, lineBreak: lineBreak, byteStart: Int32(i),
                                    byteEnd: Int32(i + width), scalarStart: scalar, scalarEnd: scalar + 1))
                i += width; scalar += 1
            case .digit, .letter:
                let start = i, scalarStart = scalar
                var j = i
                while j < n {
                    let (next, w) = classify(at: j)
                    guard next == cls else { break }
                    j += w; scalar += 1
                }
                tokens.append(Token(kind: cls == .digit ? .number : .word, spaced: spaced, lineBreak: lineBreak,
                                    byteStart: Int32(start), byteEnd: Int32(j), scalarStart: scalarStart, scalarEnd: scalar))
                i = j
            }
            spaced = false; lineBreak = false
        }
    }

    private func classify(at i: Int) -> (ByteClass, Int) {
        let b = bytes[i]
        if b < 0x80 {
            switch b {
            case 0x30...0x39: return (.digit, 1)
            case 0x41...0x5A, 0x61...0x7A: return (.letter, 1)
            case 0x0A, 0x0D: return (.lineBreak, 1)
            case 0x09, 0x0B, 0x0C, 0x20: return (.space, 1)
            default: return (.punctuation, 1)
            }
        }
        let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard i + width <= bytes.count else { return (.punctuation, bytes.count - i) }
        switch b {
        case 0xC2:
            // Latin-1 punctuation block: NBSP is a space, « » ° § and friends are marks.
            return (bytes[i + 1] == 0xA0 ? .space : .punctuation, width)
        case 0xE2:
            // General punctuation (dashes, quotes, ellipsis) and the Unicode spaces and separators.
            if bytes[i + 1] == 0x80 {
                let c = bytes[i + 2]
                if c <= 0x8A || c == 0xAF { return (.space, width) }
                if c == 0xA8 || c == 0xA9 { return (.lineBreak, width) }
            }
            return (.punctuation, width)
        case 0xE3 where bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80:
            return (.space, width)
        default:
            return (.letter, width)
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

    /// Lower-cased UTF-8 of a word token of at most 16 scalars, for lexicon lookups.
    func folded(_ i: Int) -> [UInt8]? {
        guard isWord(i) else { return nil }
        let t = tokens[i]
        guard t.kind == .word, t.scalarEnd - t.scalarStart <= 16 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(Int(t.byteEnd - t.byteStart))
        var k = Int(t.byteStart)
        let end = Int(t.byteEnd)
        while k < end {
            let b = bytes[k]
            if b >= 0x41 && b <= 0x5A {
                out.append(b | 0x20); k += 1
            } else if b == 0xD0 && k + 1 < end {
                let c = bytes[k + 1]
                switch c {
                case 0x90...0x9F: out.append(0xD0); out.append(c + 0x20)   // А…П → а…п
                case 0xA0...0xAF: out.append(0xD1); out.append(c - 0x20)   // Р…Я → р…я
                case 0x81: out.append(0xD1); out.append(0x91)              // Ё → ё
                default: out.append(b); out.append(c)
                }
                k += 2
            } else {
                out.append(b); k += 1
            }
        }
        return out
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
