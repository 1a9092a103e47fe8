/// Sets `lang` and `lang_confidence` from the title and the start of the text.
public struct LanguageStage: ConfigurableStage {
    public static let stageName = "language"
    public static let recordBlocks: [RecordBlock] = [.language]
    public var contract: StageContract { StageContract(reads: [.title, .text], writes: [.language]) }

    public init() {}

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly([])
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        document.language = LanguageIdentifier.identify(document.title ?? "", document.text)
        return .keep
    }
}
