/// Counts characters (Unicode scalars, as offsets count them), words, sentences and paragraphs.
public struct StatsStage: ConfigurableStage {
    public static let stageName = "stats"
    public static let recordBlocks: [RecordBlock] = [.stats]
    public var contract: StageContract { StageContract(reads: [.text], writes: [.stats]) }
    /// Count sentences with the splitter (initials, abbreviations, dialogue) or, cheaper, by
    /// terminal punctuation alone.
    public let useSentenceSplitter: Bool

    public init(useSentenceSplitter: Bool = true) {
        self.useSentenceSplitter = useSentenceSplitter
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["sentences"])
        useSentenceSplitter = try options.choice("sentences", default: "splitter", allowed: ["splitter", "punctuation"]) == "splitter"
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        var stats = Self.count(document.text)
        if useSentenceSplitter { stats.sentences = SentenceSplitter.count(document.text) }
        document.stats = stats
        return .keep
    }

    private enum Kind: UInt8 { case word, joiner, terminator, closer, blank, newline, other, decode }

    /// Class of each lead byte. Bytes 0xC3–0xCA (U+00C0–U+02BF: Latin letters, IPA), 0xCE–0xCF
    /// (Greek) and 0xD0–0xD3 (Cyrillic) start letters, apart from two Latin-1 signs handled
    /// below; other multi-byte scalars are looked up.
    private static let leadClass: [Kind] = (0...255).map { (b: Int) -> Kind in
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .word
        case 0x2D, 0x27: return .joiner
        case 0x2E, 0x21, 0x3F: return .terminator
        case 0x22, 0x29: return .closer
        case 0x20, 0x09: return .blank
        case 0x0A: return .newline
        case 0x00...0x7F: return .other
        case 0xC3...0xCA, 0xCE, 0xCF, 0xD0...0xD3: return .word
        default: return .decode
        }
    }

    /// One pass over the UTF-8 bytes, classified by a lead-byte table; only uncommon scalars
    /// go through their Unicode properties.
    public static func count(_ text: String) -> TextStats {
        var text = text
        return text.withUTF8 { count(utf8: $0) }
    }

    static func count(utf8 s: UnsafeBufferPointer<UInt8>) -> TextStats {
        leadClass.withUnsafeBufferPointer { classes in
            transitions.withUnsafeBufferPointer { table in count(utf8: s, classes: classes, transitions: table) }
        }
    }

    /// The counting state: four flags.
    private struct State {
        var inWord = false
        var lineHasText = false
        var sentenceOpen = false
        var pendingTerminator = false

        var bits: UInt16 {
            (inWord ? 1 : 0) | (lineHasText ? 2 : 0) | (sentenceOpen ? 4 : 0) | (pendingTerminator ? 8 : 0)
        }

        init(bits: Int) {
            inWord = bits & 1 != 0
            lineHasText = bits & 2 != 0
            sentenceOpen = bits & 4 != 0
            pendingTerminator = bits & 8 != 0
        }

        /// The rules, applied to one character: returns the words, sentences and paragraphs it completes.
        mutating func step(_ kind: Kind) -> (words: Int, sentences: Int, paragraphs: Int) {
            switch kind {
            case .word:
                let newWord = !inWord
                inWord = true
                lineHasText = true
                sentenceOpen = true
                pendingTerminator = false
                return (newWord ? 1 : 0, 0, 0)
            case .newline:
                let paragraph = lineHasText
                let sentence = lineHasText && sentenceOpen
                self = State(bits: 0)
                return (0, sentence ? 1 : 0, paragraph ? 1 : 0)
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
                    sentenceOpen = false
                    pendingTerminator = false
                    return (0, 1, 0)
                }
            case .other, .decode:
                inWord = false
                pendingTerminator = false
                lineHasText = true
            }
            return (0, 0, 0)
        }
    }

    /// `step` tabulated for every state and kind: next state in bits 0–3, then one bit each for
    /// a completed word, sentence and paragraph. The hot loop then runs without branches.
    private static let transitions: [UInt16] = (0..<16).flatMap { bits in
        (0..<8).map { raw -> UInt16 in
            var state = State(bits: bits)
            let done = state.step(Kind(rawValue: UInt8(raw))!)
            return state.bits | UInt16(done.words) << 4 | UInt16(done.sentences) << 5 | UInt16(done.paragraphs) << 6
        }
    }

    private static func count(
        utf8 s: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<Kind>,
        transitions: UnsafeBufferPointer<UInt16>
    ) -> TextStats {
        var chars = 0
        var words = 0
        var sentences = 0
        var paragraphs = 0
        var state = 0
        var i = 0
        let n = s.count
        while i < n {
            let b = s[i]
            var kind = classes[Int(b)]
            var width = 1
            if b >= 0x80 {
                width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                if kind == .decode {
                    kind = classify(s, at: i, width: width)
                } else if b == 0xC3 && i + 1 < n && (s[i + 1] == 0x97 || s[i + 1] == 0xB7) {
                    kind = .other  // × and ÷ sit among the Latin-1 letters
                }
            }
            let entry = Int(transitions[state << 3 | Int(kind.rawValue)])
            state = entry & 0xF
            words &+= (entry >> 4) & 1
            sentences &+= (entry >> 5) & 1
            paragraphs &+= (entry >> 6) & 1
            chars &+= 1
            i &+= width
            guard kind == .word else { continue }
            // The rest of a word changes no state: run through it. Word classes of lead
            // bytes are ASCII or two-byte leads; × and ÷ (C3 97, C3 B7) end the run.
            while i < n {
                let next = s[i]
                guard classes[Int(next)] == .word else { break }
                if next < 0x80 {
                    i &+= 1
                } else {
                    if next == 0xC3 && i + 1 < n && (s[i + 1] == 0x97 || s[i + 1] == 0xB7) { break }
                    i &+= 2
                }
                chars &+= 1
            }
        }
        let end = Int(transitions[state << 3 | Int(Kind.newline.rawValue)])
        sentences += (end >> 5) & 1
        paragraphs += (end >> 6) & 1
        return TextStats(chars: chars, words: words, sentences: sentences, paragraphs: paragraphs)
    }

    private static func classify(_ s: UnsafeBufferPointer<UInt8>, at i: Int, width: Int) -> Kind {
        let n = s.count
        var value = UInt32(s[i]) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width where i + k < n { value = value << 6 | UInt32(s[i + k] & 0x3F) }
        switch value {
        case 0xA0: return .blank
        case 0x2019: return .joiner
        case 0x2026: return .terminator
        case 0xBB, 0x201D: return .closer
        case 0xAB, 0x2010...0x2015, 0x2018, 0x201A...0x201C, 0x201E, 0x2022, 0x2116, 0x20AC, 0xB0, 0xA9:
            return .other  // common punctuation, spared the property lookups
        default:
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return .word }
            if scalar.properties.isWhitespace { return .blank }
            return .other
        }
    }
}
