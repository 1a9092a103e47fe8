/// Pipeline stage around `TextNormalizer`; a document whose text normalizes to nothing is a
/// reject, since an empty record helps no analysis.
public struct NormalizeStage: Stage {
    public let name = "normalize"
    public var changesText: Bool { true }
    let normalizer: TextNormalizer
    let typography: Typography
    let repairMojibake: Bool

    public init(normalizer: TextNormalizer = TextNormalizer(), typography: Typography = Typography(), repairMojibake: Bool = true) {
        self.normalizer = normalizer
        self.typography = typography
        self.repairMojibake = repairMojibake
    }

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["mojibake", "nfc", "line_breaks", "trim_lines", "invisible", "spaces", "dashes", "quotes", "html_entities"])
        repairMojibake = try options.bool("mojibake", default: true)
        typography = Typography(dashes: try options.bool("dashes", default: true), quotes: try options.bool("quotes", default: true),
                                htmlEntities: try options.bool("html_entities", default: true))
        normalizer = TextNormalizer(
            nfc: try options.bool("nfc", default: true),
            unifyLineBreaks: try options.bool("line_breaks", default: true),
            trimLines: try options.bool("trim_lines", default: true),
            removeInvisible: try options.bool("invisible", default: true),
            unifySpaces: try options.bool("spaces", default: true))
    }

    public func process(_ document: inout Document) -> Verdict {
        if repairMojibake {
            if let repaired = MojibakeRepair.repair(document.text) {
                document.text = repaired.text
                document.mojibakeRepairedFrom = repaired.misreadAs
            }
            // Titles are short but repaired on their own evidence.
            if let title = document.title, let fixed = MojibakeRepair.repair(title) {
                document.title = fixed.text
                document.mojibakeRepairedFrom = document.mojibakeRepairedFrom ?? fixed.misreadAs
            }
        }
        document.text = typography.apply(normalizer.normalize(document.text))
        if let title = document.title {
            let clean = typography.apply(normalizer.normalize(title).split(separator: "\n").joined(separator: " "))
            document.title = clean.isEmpty ? nil : clean
        }
        if document.text.isEmpty {
            return .reject(.emptyText, "the text is empty after normalization")
        }
        return .keep
    }
}
