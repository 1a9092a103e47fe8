/// Pipeline stage around `TextNormalizer`; a document whose text normalizes to nothing is a
/// reject, since an empty record helps no analysis.
public struct NormalizeStage: ConfigurableStage {
    public static let stageName = "normalize"
    public var contract: StageContract { StageContract(writes: [.mojibake], edits: [.text, .title]) }
    let normalizer: TextNormalizer
    let typography: Typography
    let repairMojibake: Bool

    public init(normalizer: TextNormalizer = TextNormalizer(), typography: Typography = Typography(), repairMojibake: Bool = true) {
        self.normalizer = normalizer
        self.typography = typography
        self.repairMojibake = repairMojibake
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["mojibake", "nfc", "line_breaks", "trim_lines", "invisible", "spaces", "dashes", "quotes", "html_entities"])
        repairMojibake = try options.bool("mojibake", default: true)
        typography = Typography(
            dashes: try options.bool("dashes", default: true), quotes: try options.bool("quotes", default: true),
            htmlEntities: try options.bool("html_entities", default: true))
        normalizer = TextNormalizer(
            nfc: try options.bool("nfc", default: true),
            unifyLineBreaks: try options.bool("line_breaks", default: true),
            trimLines: try options.bool("trim_lines", default: true),
            removeInvisible: try options.bool("invisible", default: true),
            unifySpaces: try options.bool("spaces", default: true))
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
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
        document.text = normalizeText(document.text)
        if let title = document.title {
            // A title is one line: its line breaks become spaces (bytes, not Characters: titles are many).
            let decoded = typography.htmlEntities ? HTMLEntities.decode(title) : title
            var oneLine = normalizer.normalize(decoded)
            if oneLine.withUTF8({ ByteScan.contains($0, 0x0A) }) {
                oneLine = String(passOutput: oneLine.utf8.map { $0 == 0x0A ? 0x20 : $0 })
            }
            let clean = typography.rewriteQuotesAndDashes(oneLine)
            document.title = clean.isEmpty ? nil : clean
        }
        if document.text.isEmpty {
            return .reject(.emptyText, "the text is empty after normalization")
        }
        return .keep
    }

    /// HTML entities (rare) first, so what they stand for (NBSP, a soft hyphen, a line break) is
    /// cleaned like the same character typed in; then the normalizer's byte passes and typography
    /// on their bytes: one String is made for the lot.
    private func normalizeText(_ text: String) -> String {
        var text = text
        if typography.htmlEntities && text.withUTF8({ ByteScan.contains($0, 0x26) }) { text = HTMLEntities.decode(text) }
        let cleaned = text.withUTF8 { normalizer.cleanedBytes($0) }
        var pending = cleaned.bytes
        if let bytes = pending {
            pending = bytes.withUnsafeBufferPointer { typography.rewrite($0) } ?? bytes
        } else {
            pending = text.withUTF8 { typography.rewrite($0) }
        }
        if let bytes = pending { text = String(passOutput: bytes) }
        return normalizer.composed(text, surelyNFC: cleaned.surelyNFC)
    }
}
