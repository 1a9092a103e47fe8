/// Sets `quotes`: direct speech with its speaker, attribution verb and offsets (`QuoteExtractor`
/// says what counts). Run after `entities` to have speakers resolved to PER/ORG mentions.
public struct QuotesStage: ConfigurableStage {
    public static let stageName = "quotes"
    public static let recordBlocks: [RecordBlock] = [.quotes]
    public var contract: StageContract { StageContract(reads: [.text, .entities], writes: [.quotes]) }
    let extractor: QuoteExtractor

    public init(extractor: QuoteExtractor = QuoteExtractor()) {
        self.extractor = extractor
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["unattributed", "blocks"])
        self.init(
            extractor: QuoteExtractor(
                includeUnattributed: try options.bool("unattributed", default: true),
                includeBlocks: try options.bool("blocks", default: true)))
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        document.quotes = extractor.extract(from: document.text, entities: document.entities)
        return .keep
    }
}
