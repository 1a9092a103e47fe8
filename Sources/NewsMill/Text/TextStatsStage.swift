/// Counts characters (Unicode scalars, as offsets count them), words, sentences and paragraphs.
public struct StatsStage: Stage {
    public let name = "stats"

    public init() {}

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly([])
    }

    public func process(_ document: inout Document) -> Verdict {
        document.stats = Self.count(document.text)
        return .keep
    }

    private enum Kind { case word, joiner, terminator, closer, blank, newline, other }

    /// One pass over the UTF-8 bytes: ASCII and Cyrillic are classified by byte, everything
    /// else through the scalar's Unicode properties.
    public static func count(_ text: String) -> TextStats {
        var text = text
        return text.withUTF8 { count(utf8: $0) }
    }

    static func count(utf8 s: UnsafeBufferPointer<UInt8>) -> TextStats {
        var chars = 0
        var words = 0
        var sentences = 0
        var paragraphs = 0
        var inWord = false
        var lineHasText = false
        var sentenceOpen = false
        var pendingTerminator = false
        var i = 0
        let n = s.count
        while i <= n {
            let kind: Kind
            var width = 1
            if i == n {
                kind = .newline
            } else {
                let b = s[i]
                if b < 0x80 {
                    switch b {
                    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: kind = .word
                    case 0x2D, 0x27: kind = .joiner
                    case 0x2E, 0x21, 0x3F: kind = .terminator
                    case 0x22, 0x29: kind = .closer
                    case 0x20, 0x09: kind = .blank
                    case 0x0A: kind = .newline
                    default: kind = .other
                    }
                } else if b == 0xD0 || b == 0xD1 || b == 0xD2 || b == 0xD3 {
                    kind = .word  // U+0400–U+04FF Cyrillic
                    width = 2
                } else {
                    width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                    var value = UInt32(b) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                    for k in 1..<width where i + k < n { value = value << 6 | UInt32(s[i + k] & 0x3F) }
                    switch value {
                    case 0xA0: kind = .blank
                    case 0x2019: kind = .joiner
                    case 0x2026: kind = .terminator
                    case 0xBB, 0x201D: kind = .closer
                    case 0xAB, 0x2010...0x2015, 0x2018, 0x201A...0x201C, 0x201E, 0x2022, 0x2116, 0x20AC, 0xB0, 0xA9:
                        kind = .other  // common punctuation, spared the property lookups
                    default:
                        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                            kind = .word
                        } else if scalar.properties.isWhitespace {
                            kind = .blank
                        } else {
                            kind = .other
                        }
                    }
                }
                chars += 1
            }
            i += width
            switch kind {
            case .word:
                if !inWord { words += 1 }
                inWord = true
                lineHasText = true
                sentenceOpen = true
                pendingTerminator = false
            case .newline:
                if lineHasText {
                    paragraphs += 1
                    if sentenceOpen { sentences += 1 }
                }
                lineHasText = false
                sentenceOpen = false
                pendingTerminator = false
                inWord = false
            case .joiner:
                // Hyphens and apostrophes inside a word keep it one word ("материально-технический").
                if !inWord { pendingTerminator = false }
                lineHasText = true
            case .terminator:
                inWord = false
                if sentenceOpen { pendingTerminator = true }
            case .closer:
                // Closing quotes and brackets may follow a terminator.
                inWord = false
            case .blank:
                inWord = false
                if pendingTerminator {
                    sentences += 1
                    sentenceOpen = false
                    pendingTerminator = false
                }
            case .other:
                inWord = false
                pendingTerminator = false
                lineHasText = true
            }
        }
        return TextStats(chars: chars, words: words, sentences: sentences, paragraphs: paragraphs)
    }
}
