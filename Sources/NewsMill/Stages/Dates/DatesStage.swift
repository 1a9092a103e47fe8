/// Sets `dates`: the absolute date expressions of the text with their ISO values and offsets.
/// A date without a year takes the year of the document's publication date when there is one
/// (`year_from_published`), else it stays month-day only ("--01-23").
public struct DatesStage: Stage {
    public let name = "dates"
    public var recordsOffsets: Bool { true }
    let yearFromPublished: Bool

    public init(yearFromPublished: Bool = true) {
        self.yearFromPublished = yearFromPublished
    }

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["year_from_published"])
        self.init(yearFromPublished: try options.bool("year_from_published", default: true))
    }

    public func process(_ document: inout Document) -> Verdict {
        let extractor = DateExtractor(published: yearFromPublished ? document.published : nil)
        document.dates = extractor.extract(from: document.text)
        return .keep
    }
}
