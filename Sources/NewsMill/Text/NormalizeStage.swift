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
        document.text = normalizeText(document.text)
        if let title = document.title {
            // A title is one line: its line breaks become spaces (bytes, not Characters: titles are many).
            let oneLine = String(decoding: normalizer.normalize(title).utf8.map { $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self)
            let clean = typography.apply(oneLine)
            document.title = clean.isEmpty ? nil : clean
        }
        if document.text.isEmpty {
            return .reject(.emptyText, "the text is empty after normalization")
        }
        return .keep
    }

    /// The normalizer's byte passes, then typography on their bytes: one String is made (and
    /// validated) for the lot. HTML entities (rare) are decoded in between, on a String.
    private func normalizeText(_ text: String) -> String {
        var text = text
        var pending: [UInt8]? = text.withUTF8 { normalizer.cleanedBytes($0) }
        let hasAmpersand = pending.map { $0.contains(0x26) } ?? text.withUTF8 { $0.contains(0x26) }
        if typography.htmlEntities && hasAmpersand {
            if let bytes = pending {
                text = String(decoding: bytes, as: UTF8.self)
                pending = nil
            }
            text = HTMLEntities.decode(text)
        }
        if let bytes = pending {
            pending = bytes.withUnsafeBufferPointer { typography.rewrite($0) } ?? bytes
        } else {
            pending = text.withUTF8 { typography.rewrite($0) }
        }
        if let bytes = pending { text = String(decoding: bytes, as: UTF8.self) }
        return normalizer.composed(text)
    }
}
