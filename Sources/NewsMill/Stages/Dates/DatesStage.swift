/// Sets `dates`: the absolute date expressions of the text with their ISO values and offsets.
/// A date without a year takes the year of the document's publication date when there is one
/// (`year_from_published`), else it stays month-day only ("--01-23").
public struct DatesStage: ConfigurableStage {
    public static let stageName = "dates"
    public static let recordBlocks: [RecordBlock] = [.dates]
    public var contract: StageContract { StageContract(reads: yearFromPublished ? [.text, .published] : [.text], writes: [.dates]) }
    let yearFromPublished: Bool

    public init(yearFromPublished: Bool = true) {
        self.yearFromPublished = yearFromPublished
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["year_from_published"])
        self.init(yearFromPublished: try options.bool("year_from_published", default: true))
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        let extractor = DateExtractor(published: yearFromPublished ? document.published : nil)
        document.dates = extractor.extract(from: document.text)
        return .keep
    }
}
