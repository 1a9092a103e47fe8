/// Finds figures in Russian (and plain English) text: counts with their counted noun ("16
/// человек", "150 участников"), bare numbers ("150"), amounts of money ("$5 млн", "5,3 млрд
/// рублей", "€10"), percentages ("20%", "20 процентов"), ordinals ("третий", "5-й", "XXI"),
/// numbers in words ("двадцать пять", "полторы тысячи"), ranges as two figures ("от 5 до 7
/// человек"). Dates, years, times, phone and version numbers and numbers inside names or codes
/// ("Су-27", "COVID-19") are not figures.
public struct NumberExtractor: Sendable {
    public struct Options: Sendable, Equatable {
        /// Numbers spelled in words: "десять", "полторы тысячи", "двое".
        public var words = true
        /// Ordinals: "третий", "5-й", "XXI".
        public var ordinals = true
        /// The noun after a number is its unit when it looks like a noun ("150 участников"); off,
        /// only the units and nouns of the lexicon count ("км", "человек", "лет").
        public var countedNouns = true
        /// At most this many figures a text: a table of millions of numbers would otherwise cost
        /// hundreds of bytes each in memory; the stage counts the texts that reach it.
        public var maxMentions = 10_000

        public init(words: Bool = true, ordinals: Bool = true, countedNouns: Bool = true, maxMentions: Int = 10_000) {
            self.words = words
            self.ordinals = ordinals
            self.countedNouns = countedNouns
            self.maxMentions = maxMentions
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// The figures of `text` in order; none overlaps a span of `dates` (the dates stage's
    /// mentions of the same text, in order).
    public func extract(from text: String, skipping dates: [DateMention] = []) -> [NumberMention] {
        var text = text
        return text.withUTF8 { extract(utf8: $0, skipping: dates) }
    }

    private func extract(utf8: UnsafeBufferPointer<UInt8>, skipping dates: [DateMention]) -> [NumberMention] {
        // One grammar for every line, cutting each into its own tokens: a grammar made per line
        // would copy (retain and release) the tokens for each.
        var grammar = NumberGrammar(tokens: WordTokens(utf8, words: .letters), options: options)
        var mentions: [NumberMention] = []
        var figures: [NumberFigure] = []
        var offsets = grammar.tokens.scalarOffsets
        var nextDate = 0
        func overlapsDate(_ start: Int, _ end: Int) -> Bool {
            while nextDate < dates.count && dates[nextDate].end <= start { nextDate += 1 }
            return nextDate < dates.count && dates[nextDate].start < end
        }
        for line in grammar.tokens.lines {
            if mentions.count >= options.maxMentions { break }
            grammar.tokens.removeAll()
            grammar.tokens.append(line)
            var i = 0
            while i < grammar.tokens.count && mentions.count + figures.count < options.maxMentions {
                i = grammar.isAnchor(i) ? grammar.read(at: i, into: &figures) : i + 1
            }
            // A currency sign between two numbers ("4$3 млрд") can close one figure and open the
            // next; mentions never overlap, so the later one starts after the earlier one ends.
            var previousEnd = 0
            for var figure in figures {
                figure.start = max(figure.start, previousEnd)
                guard figure.start < figure.end else { continue }
                previousEnd = figure.end
                let tokens = grammar.tokens
                let startByte = Int(tokens[figure.start].start)
                let start = offsets.offset(ofByte: startByte)
                let end = offsets.offset(ofByte: Int(tokens[figure.end - 1].end))
                if overlapsDate(start, end) { continue }
                let value = figure.amount.double
                mentions.append(
                    NumberMention(
                        text: tokens.text(figure.start..<figure.end), start: start, end: end,
                        value: figure.negative ? -value : value, kind: figure.kind,
                        unit: figure.unit.map { tokens.text($0) }, currency: figure.currency))
            }
            figures.removeAll(keepingCapacity: true)
        }
        if mentions.count > options.maxMentions { mentions.removeLast(mentions.count - options.maxMentions) }
        return mentions
    }
}
