import Glibc

/// The text cut into words, numbers and marks, each with its byte range: the one tokenizer of the
/// extract stages (dates, numbers, quotes), so that a space, a letter, a dash or a quote mark is
/// the same thing to every grammar. Tokens are made for the byte ranges a stage asks for
/// (`append`), since no expression spans lines and most lines hold none. What few tokens are
/// asked about — a word's lexicon key, its letter case, the scalar offset of a mention — is read
/// from the bytes when asked, not made for every token; quotes, which asks for the same keys many
/// times, has them made once (`keyWords()`).
struct WordTokens {
    enum Kind: UInt8 { case word, number, mark }

    /// What a mark is, settled when the text is cut, so the grammars compare marks, not bytes.
    enum Mark: UInt8 {
        /// Words and numbers.
        case none
        /// « „ ‟: always open a quotation.
        case openQuote
        /// » ”: always close one.
        case closeQuote
        /// " “: open or close by context (“ closes „ in Russian and opens in English).
        case eitherQuote
        /// Hyphen, U+2010…U+2015, minus sign: what joins the two ends of a range, and opens speech.
        case dash
        case comma, period, exclamation, question, ellipsis, colon, semicolon, openBracket, closeBracket, other
    }

    /// What makes a word.
    enum Words {
        /// Letters: "1990-х", "5-й" and "Су-27" are three tokens each, whose parts the date and
        /// number grammars read.
        case letters
        /// Letters and digits, with "-" or "'" before a letter or digit and ’ before a letter
        /// ("пресс-служба", "L'Est", "COVID-19"), and a number hyphenated to a word ("81-летний"):
        /// the quotes grammar reads phrases, in which each is one word.
        case compounds
    }

    struct Token {
        var start: Int32
        var end: Int32
        var kind: Kind
        var mark: Mark
        /// Whitespace separates the token from the one before it, or it opens an appended range.
        var spaced: Bool
        /// A line break separates the token from the one before it, or it opens an appended range.
        var lineBreak: Bool
    }

    /// The text's UTF-8, borrowed while the tokens are read.
    let bytes: UnsafeBufferPointer<UInt8>
    let words: Words
    private(set) var tokens: [Token] = []
    /// The keys `keyWords()` made (0 for a token without one), beside the tokens rather than in
    /// them: a token twice the size would double the memory a long line's tokens take.
    private var keys: [UInt64] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, words: Words) {
        self.bytes = bytes
        self.words = words
    }

    var count: Int { tokens.count }
    subscript(i: Int) -> Token { tokens[i] }

    /// Line ranges of the text, without their "\n".
    var lines: [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            let end = lineFeed(from: start)
            lines.append(start..<end)
            start = end + 1
        }
        return lines
    }

    /// Where the next "\n" at or after `start` is (the text's end when none is). The first 16
    /// bytes are read one at a time, which is fastest for a short line; memchr, many bytes an
    /// instruction, reads the rest of a longer one.
    private func lineFeed(from start: Int) -> Int {
        var k = start
        while k < bytes.count && bytes[k] != 0x0A {
            k += 1
            if k &- start == 16 { return lineFeedInLongLine(from: k) }
        }
        return k
    }

    // Out of line: inlined, it slowed the byte loop that finds the end of a short line.
    @inline(never) private func lineFeedInLongLine(from k: Int) -> Int {
        guard let base = bytes.baseAddress, let found = memchr(base + k, 0x0A, bytes.count - k) else { return bytes.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    mutating func reserveCapacity(_ count: Int) {
        tokens.reserveCapacity(count)
    }

    mutating func removeAll() {
        tokens.removeAll(keepingCapacity: true)
        if !keys.isEmpty { keys.removeAll() }
    }

    /// Makes the keys of the words cut so far once, for a grammar that looks the same words up
    /// many times (quotes reads the phrases around every quotation); `key(_:)` reads them then.
    mutating func keyWords() {
        keys = tokens.indices.map { makeKey($0)?.value ?? 0 }
    }

    // MARK: Cutting

    /// What a byte starts. Most bytes are settled by this table; the leads of the Latin-1
    /// punctuation, General Punctuation and CJK blocks (C2, E2, E3) need a look at what follows.
    private enum ByteClass: UInt8 {
        case space, lineBreak, digit, mark, lead, letter, continuation

        /// A letter or the rest of one: what the scan of a word runs over, in one comparison.
        var goesOnWord: Bool { rawValue >= ByteClass.letter.rawValue }
    }

    private static let byteClasses: [ByteClass] = (0...255).map { b -> ByteClass in
        switch b {
        case 0x30...0x39: return .digit
        case 0x41...0x5A, 0x61...0x7A: return .letter
        case 0x0A, 0x0D: return .lineBreak
        case 0x09, 0x0B, 0x0C, 0x20: return .space
        case 0x00..<0x80: return .mark
        case 0x80..<0xC0: return .continuation
        case 0xC2, 0xE2, 0xE3: return .lead
        default: return .letter
        }
    }

    private static func mark(ofASCII b: UInt8) -> Mark {
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

    /// A C2, E2 or E3 sequence and its width: NBSP, the Unicode spaces (U+2000…U+200A, U+202F,
    /// U+205F) and the ideographic space are spaces, U+2028/2029 line breaks, the rest of E3 CJK
    /// letters, and the rest of C2 and E2 marks (« » — “ ” … − among them). A sequence cut short by
    /// the end of the text is a mark.
    private static func sequence(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (ByteClass, Mark, Int) {
        let lead = b[i]
        let width = lead == 0xC2 ? 2 : 3
        guard i + width <= b.count else { return (.mark, .other, b.count - i) }
        if lead == 0xC2 {
            switch b[i + 1] {
            case 0xA0: return (.space, .none, 2)
            case 0xAB: return (.mark, .openQuote, 2)
            case 0xBB: return (.mark, .closeQuote, 2)
            default: return (.mark, .other, 2)
            }
        }
        if lead == 0xE3 { return (b[i + 1] == 0x80 && b[i + 2] == 0x80 ? .space : .letter, .none, 3) }
        if b[i + 1] == 0x80 {
            switch b[i + 2] {
            case 0x80...0x8A, 0xAF: return (.space, .none, 3)
            case 0xA8, 0xA9: return (.lineBreak, .none, 3)
            case 0x90...0x95: return (.mark, .dash, 3)
            case 0x9C: return (.mark, .eitherQuote, 3)
            case 0x9D: return (.mark, .closeQuote, 3)
            case 0x9E, 0x9F: return (.mark, .openQuote, 3)
            case 0xA6: return (.mark, .ellipsis, 3)
            default: return (.mark, .other, 3)
            }
        }
        if b[i + 1] == 0x81 && b[i + 2] == 0x9F { return (.space, .none, 3) }
        if b[i + 1] == 0x88 && b[i + 2] == 0x92 { return (.mark, .dash, 3) }
        return (.mark, .other, 3)
    }

    /// Appends the tokens of a range of the text (a line, for the stages).
    mutating func append(_ range: Range<Int>) {
        let b = bytes
        let n = range.upperBound
        let compounds = words == .compounds
        // Moved out of self, not shared with it: with self still holding the array, the first
        // append would copy it whole.
        var tokens = self.tokens
        self.tokens = []
        Self.byteClasses.withUnsafeBufferPointer { table in
            var i = range.lowerBound
            var spaced = true
            var lineBreak = true
            while i < n {
                var cls = table[Int(b[i])]
                var mark = Mark.none
                var width = 1
                if cls == .lead { (cls, mark, width) = Self.sequence(b, at: i) }
                let start = i
                let kind: Kind
                switch cls {
                case .space, .lineBreak:
                    spaced = true
                    if cls == .lineBreak { lineBreak = true }
                    i += width
                    continue
                case .digit:
                    i += 1
                    while i < n && table[Int(b[i])] == .digit { i += 1 }
                    if compounds && i + 1 < n && b[i] == 0x2D && Self.letterStarts(b, at: i + 1, limit: n, table) {
                        i = Self.wordEnd(b, from: i + 1, limit: n, table, compounds: true)
                        kind = .word
                    } else {
                        kind = .number
                    }
                case .letter, .lead:  // a lead is no more: `sequence` classified it
                    i = Self.wordEnd(b, from: i, limit: n, table, compounds: compounds)
                    kind = .word
                case .mark, .continuation:
                    if compounds && b[i] == 0x27 && i + 1 < n && b[i + 1] == 0x27 {
                        // MediaWiki's emphasis ('' and ''') around a quotation: markup, not text
                        // the phrases hold ("''«…»'', — заявила актриса").
                        while i < n && b[i] == 0x27 { i += 1 }
                        continue
                    }
                    if mark == .none { mark = cls == .mark && width == 1 ? Self.mark(ofASCII: b[i]) : .other }
                    i += width
                    kind = .mark
                }
                tokens.append(Token(start: Int32(start), end: Int32(i), kind: kind, mark: mark, spaced: spaced, lineBreak: lineBreak))
                spaced = false
                lineBreak = false
            }
        }
        self.tokens = tokens
    }

    /// A letter starts at k (also a letter sequence behind a C2/E2/E3 lead).
    @inline(__always) private static func letterStarts(
        _ b: UnsafeBufferPointer<UInt8>, at k: Int, limit n: Int,
        _ table: UnsafeBufferPointer<ByteClass>
    ) -> Bool {
        guard k < n else { return false }
        let cls = table[Int(b[k])]
        if cls == .letter { return true }
        if cls == .lead { return sequence(b, at: k).0 == .letter }
        return false
    }

    /// Where a word that starts at `start` ends: after its letters, and with `compounds` after
    /// its digits and inner hyphens and apostrophes too.
    @inline(__always) private static func wordEnd(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, limit n: Int,
        _ table: UnsafeBufferPointer<ByteClass>, compounds: Bool
    ) -> Int {
        var end = start
        while true {
            while end < n && table[Int(b[end])].goesOnWord { end += 1 }
            guard end < n else { return end }
            let cls = table[Int(b[end])]
            if cls == .lead, case let (.letter, _, width) = sequence(b, at: end) {
                end += width
            } else if !compounds {
                return end
            } else if cls == .digit {
                end += 1
            } else if (b[end] == 0x2D || b[end] == 0x27) && end + 1 < n
                && (letterStarts(b, at: end + 1, limit: n, table) || table[Int(b[end + 1])] == .digit)
            {
                end += 1
            } else if b[end] == 0xE2 && end + 3 < n && b[end + 1] == 0x80 && b[end + 2] == 0x99
                && letterStarts(b, at: end + 3, limit: n, table)
            {
                end += 3
            } else {
                return end
            }
        }
    }

    // MARK: Reading tokens

    // The grammars ask these in nearly every condition, and each is a load and a comparison or
    // two: inlined, they cost no call.

    @inline(__always) func isWord(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .word }
    @inline(__always) func isNumber(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .number }
    @inline(__always) func isMark(_ i: Int, _ mark: Mark) -> Bool { i >= 0 && i < tokens.count && tokens[i].mark == mark }

    /// Token i directly follows token i-1, with no space between.
    @inline(__always) func joined(_ i: Int) -> Bool { i > 0 && i < tokens.count && !tokens[i].spaced }

    /// Token i is on the same line as token i-1.
    @inline(__always) func sameLine(_ i: Int) -> Bool { i > 0 && i < tokens.count && !tokens[i].lineBreak }

    @inline(__always) func digits(_ i: Int) -> Int { isNumber(i) ? Int(tokens[i].end - tokens[i].start) : 0 }

    /// The value of a number token of at most 4 digits (nil for longer runs).
    @inline(__always) func number(_ i: Int) -> Int? {
        guard isNumber(i), digits(i) <= 4 else { return nil }
        var value = 0
        for k in Int(tokens[i].start)..<Int(tokens[i].end) { value = value * 10 + Int(bytes[k] - 0x30) }
        return value
    }

    /// The byte of a one-byte mark (nil for other tokens and for marks of several bytes).
    @inline(__always) func asciiMark(_ i: Int) -> UInt8? {
        guard i >= 0, i < tokens.count, tokens[i].kind == .mark, tokens[i].end - tokens[i].start == 1 else { return nil }
        return bytes[Int(tokens[i].start)]
    }

    /// The first letter of word i is upper case (ASCII or Cyrillic).
    func isCapitalized(_ i: Int) -> Bool {
        guard isWord(i) else { return false }
        let s = Int(tokens[i].start)
        let c = bytes[s]
        if c >= 0x41 && c <= 0x5A { return true }
        return c == 0xD0 && s + 1 < bytes.count && ((0x90...0xAF).contains(bytes[s + 1]) || bytes[s + 1] == 0x81)
    }

    /// The lexicon key of word i; nil for other tokens and for words longer than 48 bytes, which
    /// no lexicon holds.
    @inline(__always) func key(_ i: Int) -> WordKey? {
        if i >= 0 && i < keys.count { return keys[i] == 0 ? nil : WordKey(hash: keys[i]) }
        return makeKey(i)
    }

    private func makeKey(_ i: Int) -> WordKey? {
        guard isWord(i), tokens[i].end - tokens[i].start <= 48 else { return nil }
        return WordKey(bytes, Int(tokens[i].start)..<Int(tokens[i].end))
    }

    func text(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return text(bytes: byteRange(range))
    }

    func text(bytes range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Whether the bytes hold what ends a phrase: . : ; ! ? ( ), a comma when `comma`, or the
    /// word "что" (what follows is said, not who says it).
    func breaksPhrase(_ range: Range<Int>, comma: Bool) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        let chto: [UInt8] = [0xD1, 0x87, 0xD1, 0x82, 0xD0, 0xBE]
        for i in range {
            switch bytes[i] {
            case 0x2E, 0x3A, 0x3B, 0x21, 0x3F, 0x28, 0x29: return true
            case 0x2C where comma: return true
            case 0xD1 where i + 6 <= range.upperBound && bytes[i..<(i + 6)].elementsEqual(chto):
                let before = i == 0 ? 0x20 : bytes[i - 1]
                let after = i + 6 < bytes.count ? bytes[i + 6] : 0x20
                if before < 0x80 && after < 0x80 { return true }
            default: break
            }
        }
        return false
    }

    func byteRange(_ range: Range<Int>) -> Range<Int> {
        Int(tokens[range.lowerBound].start)..<Int(tokens[range.upperBound - 1].end)
    }

    // MARK: Scalar offsets

    var scalarOffsets: ScalarOffsets { ScalarOffsets(bytes) }

    /// Unicode-scalar offsets (what records report) of byte offsets taken in increasing order:
    /// each is counted on from the one before, so the text is read once, however many mentions
    /// it has.
    struct ScalarOffsets {
        private let bytes: UnsafeBufferPointer<UInt8>
        private var countedBytes = 0
        private var countedScalars = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func offset(ofByte byte: Int) -> Int {
            countedScalars += scalarCount(from: countedBytes, to: byte)
            countedBytes = byte
            return countedScalars
        }

        /// The bytes in from..<to that are not continuation bytes, eight at a time (a
        /// continuation byte has its top bit set and the next one clear).
        private func scalarCount(from: Int, to: Int) -> Int {
            var count = 0
            var k = from
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while k + 8 <= to {
                    let x = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                    count += 8 - (x & ~(x << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                    k += 8
                }
            }
            while k < to {
                if bytes[k] & 0xC0 != 0x80 { count += 1 }
                k += 1
            }
            return count
        }
    }
}

/// A word as the lexicons list it — lower case for ASCII and Cyrillic, ё read as е (news write
/// both), ’ as ' — hashed, so a lexicon lookup builds no string.
struct WordKey: Hashable, Sendable {
    /// Never 0: a table of keys (`QuoteWordTable`) marks its empty slots with 0.
    let value: UInt64

    init(_ word: String) {
        var word = word
        self = word.withUTF8 { WordKey($0, 0..<$0.count) }
    }

    fileprivate init(hash: UInt64) {
        value = hash
    }

    /// FNV-1a over the folded letters, a Cyrillic letter being one unit (its code point), not two bytes.
    init(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func add(_ unit: UInt16) { hash = (hash ^ UInt64(unit)) &* 0x100_0000_01B3 }
        var k = range.lowerBound
        let end = range.upperBound
        Self.cyrillic.withUnsafeBufferPointer { cyrillic in
            while k < end {
                let c = b[k]
                if c < 0x80 {
                    add(UInt16(c &- 0x41 < 26 ? c | 0x20 : c))
                    k += 1
                } else if c & 0xFE == 0xD0 && k + 1 < end {
                    add(cyrillic[Int(c & 1) << 6 | Int(b[k + 1] & 0x3F)])
                    k += 2
                } else if c == 0xE2 && k + 2 < end && b[k + 1] == 0x80 && b[k + 2] == 0x99 {
                    add(0x27)  // ’ → '
                    k += 3
                } else {
                    add(UInt16(c) | 0x100)
                    k += 1
                }
            }
        }
        value = hash == 0 ? 1 : hash
    }

    /// U+0400…U+047F folded, А…Я to а…я and Ё, ё to е, by the lead's low bit (D0 or D1) and the
    /// second byte's low six bits: a lookup, so a text's mix of cases costs no mispredicted branches.
    /// Written out rather than computed, so it is a constant: a computed static is checked for its
    /// lazy initialization at every lookup.
    private static let cyrillic: [UInt16] = [
        0x400, 0x435, 0x402, 0x403, 0x404, 0x405, 0x406, 0x407, 0x408, 0x409, 0x40A, 0x40B, 0x40C, 0x40D, 0x40E, 0x40F,
        0x430, 0x431, 0x432, 0x433, 0x434, 0x435, 0x436, 0x437, 0x438, 0x439, 0x43A, 0x43B, 0x43C, 0x43D, 0x43E, 0x43F,
        0x440, 0x441, 0x442, 0x443, 0x444, 0x445, 0x446, 0x447, 0x448, 0x449, 0x44A, 0x44B, 0x44C, 0x44D, 0x44E, 0x44F,
        0x430, 0x431, 0x432, 0x433, 0x434, 0x435, 0x436, 0x437, 0x438, 0x439, 0x43A, 0x43B, 0x43C, 0x43D, 0x43E, 0x43F,
        0x440, 0x441, 0x442, 0x443, 0x444, 0x445, 0x446, 0x447, 0x448, 0x449, 0x44A, 0x44B, 0x44C, 0x44D, 0x44E, 0x44F,
        0x450, 0x435, 0x452, 0x453, 0x454, 0x455, 0x456, 0x457, 0x458, 0x459, 0x45A, 0x45B, 0x45C, 0x45D, 0x45E, 0x45F,
        0x460, 0x461, 0x462, 0x463, 0x464, 0x465, 0x466, 0x467, 0x468, 0x469, 0x46A, 0x46B, 0x46C, 0x46D, 0x46E, 0x46F,
        0x470, 0x471, 0x472, 0x473, 0x474, 0x475, 0x476, 0x477, 0x478, 0x479, 0x47A, 0x47B, 0x47C, 0x47D, 0x47E, 0x47F,
    ]
}
