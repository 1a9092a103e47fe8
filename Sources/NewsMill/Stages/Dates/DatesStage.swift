/// Sets `dates`: the date expressions of the text with their ISO values and offsets. A date
/// without a year takes the year of the document's publication date when there is one
/// (`year_from_published`), else it stays month-day only ("--01-23"). With `relative`, dates named
/// from the day of writing ("вчера", "в пятницу", "на прошлой неделе") are found too, valued from
/// the publication day when there is one.
public struct DatesStage: ConfigurableStage {
    public static let stageName = "dates"
    public static let recordBlocks: [RecordBlock] = [.dates]
    public var contract: StageContract {
        StageContract(reads: yearFromPublished || relative ? [.text, .title, .published] : [.text, .title], writes: [.dates])
    }
    let yearFromPublished: Bool
    let relative: Bool

    public init(yearFromPublished: Bool = true, relative: Bool = true) {
        self.yearFromPublished = yearFromPublished
        self.relative = relative
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["year_from_published", "relative"])
        self.init(
            yearFromPublished: try options.bool("year_from_published", default: true), relative: try options.bool("relative", default: true)
        )
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        var extractor = DateExtractor(published: document.published, relative: relative)
        if !yearFromPublished { extractor.reference = nil }
        document.dates = extractor.extract(from: document.text)
        document.titleDates = document.title.map { extractor.extract(from: $0) } ?? []
        return .keep
    }
}
