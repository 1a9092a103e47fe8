/// Sets `lead`: the first paragraph of the text that is a real paragraph (40 characters or
/// more), so a short byline or dateline line above it is passed over.
public struct LeadStage: ConfigurableStage {
    public static let stageName = "lead"
    public static let recordBlocks: [RecordBlock] = [.lead]
    public var contract: StageContract { StageContract(reads: [.text], writes: [.lead]) }
    static let minimumCharacters = 40

    public init() {}

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly([])
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        var text = document.text
        // Byte ranges of the first paragraphs; the scan stops at the first long enough one.
        let range: Range<Int>? = text.withUTF8 { s in
            var first: Range<Int>?
            var start = 0
            for _ in 0..<4 where start < s.count {
                var end = start
                var characters = 0
                while end < s.count && s[end] != 0x0A {
                    if s[end] & 0xC0 != 0x80 { characters += 1 }
                    end += 1
                }
                if first == nil { first = start..<end }
                if characters >= Self.minimumCharacters { return start..<end }
                start = end + 1
            }
            return first
        }
        document.lead = range.map { r in
            let utf8 = text.utf8
            return String(
                Substring(utf8[utf8.index(utf8.startIndex, offsetBy: r.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: r.upperBound)]))
        }
        return .keep
    }
}
