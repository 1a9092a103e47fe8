/// Sets `lead`: the first paragraph of the text that is a real paragraph (40 characters or
/// more), so a short byline or dateline line above it is passed over.
public struct LeadStage: Stage {
    public let name = "lead"
    static let minimumCharacters = 40

    public init() {}

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly([])
    }

    public func process(_ document: inout Document) -> Verdict {
        var first: Substring?
        for paragraph in document.text.utf8.split(separator: 0x0A).prefix(4) {
            let line = Substring(paragraph)
            if first == nil { first = line }
            if line.unicodeScalars.count >= Self.minimumCharacters {
                document.lead = String(line)
                return .keep
            }
        }
        document.lead = first.map(String.init)
        return .keep
    }
}
