/// Pipeline stage around `TextNormalizer`; a document whose text normalizes to nothing is a
/// reject, since an empty record helps no analysis.
public struct NormalizeStage: Stage {
    public let name = "normalize"
    let normalizer: TextNormalizer

    public init(normalizer: TextNormalizer = TextNormalizer()) {
        self.normalizer = normalizer
    }

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["nfc", "line_breaks", "trim_lines"])
        normalizer = TextNormalizer(
            nfc: try options.bool("nfc", default: true),
            unifyLineBreaks: try options.bool("line_breaks", default: true),
            trimLines: try options.bool("trim_lines", default: true))
    }

    public func process(_ document: inout Document) -> Verdict {
        document.text = normalizer.normalize(document.text)
        if let title = document.title {
            let clean = normalizer.normalize(title).split(separator: "\n").joined(separator: " ")
            document.title = clean.isEmpty ? nil : clean
        }
        if document.text.isEmpty {
            return .reject(.emptyText, "the text is empty after normalization")
        }
        return .keep
    }
}
