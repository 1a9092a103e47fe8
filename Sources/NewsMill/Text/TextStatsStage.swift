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

    public static func count(_ text: String) -> TextStats {
        var chars = 0
        var words = 0
        var sentences = 0
        var paragraphs = 0
        var inWord = false
        var lineHasText = false
        // A sentence ends at a terminator followed by a blank or the end of a paragraph.
        var pendingTerminator = false
        var sentenceOpen = false

        func endParagraph() {
            if lineHasText {
                paragraphs += 1
                if sentenceOpen { sentences += 1 }
            }
            lineHasText = false
            sentenceOpen = false
            pendingTerminator = false
            inWord = false
        }

        for scalar in text.unicodeScalars {
            chars += 1
            let v = scalar.value
            if v == 0x0A { endParagraph(); continue }
            let isWordChar: Bool
            if v < 0x80 {
                isWordChar = (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A)
            } else if v >= 0x400 && v <= 0x4FF {
                isWordChar = true
            } else {
                isWordChar = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            }
            if isWordChar {
                if !inWord { words += 1 }
                inWord = true
                lineHasText = true
                sentenceOpen = true
                pendingTerminator = false
                continue
            }
            // Hyphens and apostrophes inside a word keep it one word ("материально-технический").
            let joinsWord = v == 0x2D || v == 0x27 || v == 0x2019
            if !(joinsWord && inWord) { inWord = false }
            if v == 0x2E || v == 0x21 || v == 0x3F || v == 0x2026 {
                if sentenceOpen { pendingTerminator = true }
            } else if v == 0x20 || v == 0x09 || v == 0xA0 {
                if pendingTerminator {
                    sentences += 1
                    sentenceOpen = false
                    pendingTerminator = false
                }
            } else if !(v == 0xBB || v == 0x22 || v == 0x29 || v == 0x201D) {
                // Closing quotes and brackets may follow a terminator; anything else cancels it.
                pendingTerminator = false
                if !scalar.properties.isWhitespace { lineHasText = true }
            }
        }
        endParagraph()
        return TextStats(chars: chars, words: words, sentences: sentences, paragraphs: paragraphs)
    }
}
