/// Sets `numbers`: the figures of the text with their normalized values, units or counted
/// nouns, currencies and offsets. When the dates stage ran before, nothing inside a date span
/// is a figure; without it, years and day-month dates are still recognised and left out.
public struct NumbersStage: ConfigurableStage {
    public static let stageName = "numbers"
    public static let recordBlocks: [RecordBlock] = [.numbers]
    public var contract: StageContract { StageContract(reads: [.text, .title, .dates], writes: [.numbers]) }
    let extractor: NumberExtractor

    public init(options: NumberExtractor.Options = NumberExtractor.Options()) {
        extractor = NumberExtractor(options: options)
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["words", "ordinals", "counted_nouns", "max_mentions"])
        self.init(
            options: NumberExtractor.Options(
                words: try options.bool("words", default: true),
                ordinals: try options.bool("ordinals", default: true),
                countedNouns: try options.bool("counted_nouns", default: true),
                maxMentions: try options.int("max_mentions", default: 10_000, range: 1...10_000_000)))
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        let numbers = extractor.extract(from: document.text, skipping: document.dates ?? [])
        // Reaching the limit means the rest of the text was not read: said in report.json.
        if numbers.count >= extractor.options.maxMentions { counts.add("texts_at_max_mentions") }
        document.numbers = numbers
        document.titleNumbers = document.title.map { extractor.extract(from: $0, skipping: document.titleDates ?? []) } ?? []
        return .keep
    }
}
