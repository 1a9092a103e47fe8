/// Sets `lang` and `lang_confidence` from the title and the start of the text.
public struct LanguageStage: Stage {
    public let name = "language"

    public init() {}

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly([])
    }

    public func process(_ document: inout Document) -> Verdict {
        document.language = LanguageIdentifier.identify(document.title ?? "", document.text)
        return .keep
    }
}
