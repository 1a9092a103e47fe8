/// Sets `quotes`: direct speech with its speaker, attribution verb and offsets (`QuoteExtractor`
/// says what counts). Run after `entities` to have speakers resolved to PER/ORG mentions.
public struct QuotesStage: Stage {
    public let name = "quotes"
    public var recordsOffsets: Bool { true }
    let extractor: QuoteExtractor

    public init(extractor: QuoteExtractor = QuoteExtractor()) {
        self.extractor = extractor
    }

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["unattributed", "blocks"])
        self.init(extractor: QuoteExtractor(includeUnattributed: try options.bool("unattributed", default: true),
                                            includeBlocks: try options.bool("blocks", default: true)))
    }

    public func process(_ document: inout Document) -> Verdict {
        document.quotes = extractor.extract(from: document.text, entities: document.entities)
        return .keep
    }
}
