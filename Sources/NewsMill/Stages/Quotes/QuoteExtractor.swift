import NewsMillNER

/// Finds direct speech in Russian news text, with its speaker and attribution verb.
///
/// What is a quotation:
/// - a paragraph opening with a dash ("— Мы не говорим… — заявил военный."): the speaker's words,
///   cut at the narrator's words ("[,!?…] — " and a lower-case word); "— A, — сказал он. — B." gives
///   two quotations, A and B, with the same attribution. A dash paragraph without narrator's words
///   is a dialogue line (speaker from a "X сказал:" paragraph before it, else none) unless it is
///   part of a list: items that start in lower case or end with ";" or ",", or follow a
///   paragraph ending with ":" that has no speech verb;
/// - words in «…», "…" or “…” with an attribution: after them (", — заявил X", ", сказал X"),
///   before them ("X заявил: «…»", "По словам X, «…»", "Как сказал X, «…»", "X считает, что «…»",
///   a fragment in lower case inside such a clause), or in a paragraph ending "X сказал:" before
///   it; narrator's words inside the marks («A, — замечает X. — B») cut it like a dash quotation;
///   a quoted whole sentence of four words or more stands as a quotation without attribution, and
///   takes the speaker of a quotation in the same or the paragraph before;
/// - a quotation over several paragraphs: a paragraph whose « is not closed, continued by
///   paragraphs opening with «; each paragraph's part is one mention with the shared attribution;
/// - `reported`: any of these attributed with a relaying verb ("цитирует … телеканал CNN",
///   "передаёт ТАСС", "пишет газета"): the speaker is who is quoted, the source the outlet;
/// - `block`: a paragraph without marks after a paragraph ending "X заявил:" (a block quotation
///   whose marks were lost).
///
/// What is not: a dash inside a sentence ("В Венесуэле — двоевластие."); quoted names and titles
/// («Газпром», «Коммерсант», short quoted words with no attribution: "провозгласил себя
/// «исполняющим обязанности»"); indirect speech without marks ("сообщил, что …").
public struct QuoteExtractor: Sendable {
    /// Keep quotations with neither speaker nor verb (dialogue lines, quoted sentences).
    public var includeUnattributed: Bool
    /// Keep block quotations (paragraphs after "X заявил:").
    public var includeBlocks: Bool

    public init(includeUnattributed: Bool = true, includeBlocks: Bool = true) {
        self.includeUnattributed = includeUnattributed
        self.includeBlocks = includeBlocks
    }

    public func extract(from text: String, entities: [EntityMention]? = nil) -> [QuoteMention] {
        var text = text
        return text.withUTF8 { bytes in
            let (tokens, paragraphs) = WordTokens.quoteParagraphs(bytes)
            guard tokens.count > 0 else { return [] }
            let spans = QuoteEntities(entities ?? [], in: tokens)
            var finder = QuoteFinder(
                tokens: tokens, paragraphs: paragraphs, reader: AttributionReader(tokens: tokens, entities: spans),
                options: self)
            finder.run()
            return QuoteOutput(tokens: tokens, entities: spans).mentions(finder.found)
        }
    }
}

/// A quotation found, as token ranges.
struct FoundQuote {
    var words: Range<Int>
    var form: QuoteForm
    var attribution: Attribution?
    var paragraph: Int
    /// The speaker's words of a quotation the narrator's words cut ("«A, — сказал он. — B»"):
    /// A and B; empty when `words` are all the speaker's.
    var parts: [Range<Int>] = []
}

/// The paragraph-by-paragraph grammar of quotations (see `QuoteExtractor`).
struct QuoteFinder {
    let tokens: WordTokens
    /// Token ranges of the text's paragraphs (`WordTokens.quoteParagraphs`).
    let paragraphs: [Range<Int>]
    let reader: AttributionReader
    let options: QuoteExtractor
    private(set) var found: [FoundQuote] = []

    /// The spans of quote marks at the top level of a paragraph; `close` nil when the paragraph
    /// ends before the span closes.
    struct Span {
        var open: Int
        var close: Int?
    }

    private var spansOf: [[Span]] = []
    /// Spans already taken as the continuation of a quotation from an earlier paragraph.
    private var continued: Set<Int> = []
    /// Whether the current run of dash paragraphs is a list.
    private var dashRunIsList = false

    init(tokens: WordTokens, paragraphs: [Range<Int>], reader: AttributionReader, options: QuoteExtractor) {
        self.tokens = tokens
        self.paragraphs = paragraphs
        self.reader = reader
        self.options = options
    }

    mutating func run() {
        spansOf = paragraphs.map(spans(in:))
        for p in paragraphs.indices {
            if isDashParagraph(p) {
                if p == 0 || !isDashParagraph(p - 1) { dashRunIsList = isList(from: p) }
                if dashQuotes(p) { continue }
            }
            if continued.contains(p) { continue }
            if interviewAnswer(p) { continue }
            if blockQuote(p) { continue }
            for span in spansOf[p] { quotes(from: span, in: p) }
        }
    }

    // MARK: Quote marks

    private func spans(in paragraph: Range<Int>) -> [Span] {
        var result: [Span] = []
        var depth = 0
        var open = 0
        for i in paragraph {
            let mark = tokens[i].mark
            let opening: Bool
            switch mark {
            case .openQuote: opening = true
            case .closeQuote: opening = false
            case .eitherQuote: opening = reader.opens(i)
            default: continue
            }
            if opening {
                if depth == 0 { open = i }
                depth += 1
            } else if depth > 0 {
                depth -= 1
                if depth == 0 { result.append(Span(open: open, close: i)) }
            }
        }
        if depth > 0 { result.append(Span(open: open, close: nil)) }
        return result
    }

    private func inner(_ span: Span, in p: Int) -> Range<Int> {
        (span.open + 1)..<(span.close ?? paragraphs[p].upperBound)
    }

    private func wordCount(_ range: Range<Int>) -> Int {
        var n = 0
        for k in range where tokens[k].kind != .mark { n += 1 }
        return n
    }

    // MARK: Dash paragraphs

    private func isDashParagraph(_ p: Int) -> Bool {
        let range = paragraphs[p]
        let first = range.lowerBound
        guard range.count >= 2, tokens[first].mark == .dash else { return false }
        // "-5 градусов" is a number; "—Да" (no space) is still speech after an em or en dash.
        return tokens[first + 1].spaced || tokens[first].end - tokens[first].start > 1
    }

    /// Lists set with dashes: any item in lower case or ending with ";" or ",", or an
    /// introduction ending with ":" that names no speech.
    private func isList(from p: Int) -> Bool {
        if p > 0, endsWithColon(p - 1), introduction(before: p) == nil { return true }
        var q = p
        while q < paragraphs.count && isDashParagraph(q) {
            let range = paragraphs[q]
            let first = range.lowerBound + 1
            let last = range.upperBound - 1
            if tokens.isLowerCase(first) && narratorClauses(in: q) == 0 { return true }
            if tokens.isMark(last, .semicolon) || tokens.isMark(last, .comma) { return true }
            q += 1
        }
        return false
    }

    private func narratorClauses(in p: Int) -> Int {
        let range = paragraphs[p]
        return segments((range.lowerBound + 1)..<range.upperBound, requireVerb: false).filter { $0.clause != nil }.count
    }

    /// Quotations of a dash paragraph; false when the paragraph is not speech (a list item), so
    /// its quote marks are read as in any paragraph.
    private mutating func dashQuotes(_ p: Int) -> Bool {
        let range = paragraphs[p]
        let speech = (range.lowerBound + 1)..<range.upperBound
        let parts = segments(speech, requireVerb: false)
        if parts.contains(where: { $0.clause != nil }) {
            // A part takes the narrator's words after it, else those before it.
            var previous: Attribution?
            var pieces: [(words: Range<Int>, attribution: Attribution?)] = []
            for (k, part) in parts.enumerated() {
                var current = previous
                if let clause = part.clause, let a = attribution(ofNarrator: clause) {
                    current = a
                    previous = a
                } else if part.clause == nil, previous == nil {
                    current = parts[(k + 1)...].lazy.compactMap { $0.clause }.first.flatMap { self.attribution(ofNarrator: $0) }
                }
                pieces.append((part.words, current))
            }
            addInterrupted(pieces, form: .dash, paragraph: p)
            return true
        }
        if dashRunIsList { return false }
        let first = speech.lowerBound, last = speech.upperBound - 1
        let opensLikeSpeech =
            tokens.isCapitalized(first) || tokens[first].kind == .number || tokens[first].mark == .openQuote
            || tokens[first].mark == .eitherQuote
        let closesLikeSpeech = tokens.endsSentence(last) || tokens[last].mark == .closeQuote || tokens[last].mark == .eitherQuote
        guard opensLikeSpeech && closesLikeSpeech else { return false }
        // A run of dash paragraphs after one attribution goes on in the same voice.
        let attribution = introduction(before: p) ?? (p > 0 && isDashParagraph(p - 1) ? inherited(at: p) : nil)
        add(words: speech, attribution: attribution, form: .dash, paragraph: p)
        return true
    }

    /// The attribution of narrator's words ("заявил военный"); nil when they hold no speech verb
    /// (the cut still stands: "— Да, — кивнул он.").
    private func attribution(ofNarrator clause: Range<Int>) -> Attribution? {
        guard let v = reader.verb(in: clause) else { return nil }
        return reader.read(verb: v, clause: clause, quoteFirst: true)
    }

    struct Segment {
        var words: Range<Int>
        /// The narrator's words after these words.
        var clause: Range<Int>?
    }

    /// Speech cut at the narrator's words: "A, — сказал он. — B" → A (clause "сказал он") and B.
    /// Narration after the clause that does not go on with a dash ends the speech.
    private func segments(_ range: Range<Int>, requireVerb: Bool) -> [Segment] {
        var result: [Segment] = []
        var partStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            if let close = reader.quoteGroupEnd(i, limit: range.upperBound) {
                i = close + 1
                continue
            }
            if isNarratorDash(i, after: partStart, limit: range.upperBound) {
                let partEnd = tokens.isMark(i - 1, .comma) ? i - 1 : i
                let clauseEnd = narratorClauseEnd(from: i + 1, limit: range.upperBound)
                // ". — B", ", — b", ": — B": the speech goes on.
                let goesOn =
                    clauseEnd + 1 < range.upperBound && tokens[clauseEnd + 1].mark == .dash
                    && [.period, .comma, .colon].contains(tokens[clauseEnd].mark)
                // In marks, a dash of the speaker's own is told apart by the verb or by the dash
                // that takes the speech up again.
                guard !requireVerb || goesOn || reader.verb(in: (i + 1)..<clauseEnd) != nil else {
                    i += 1
                    continue
                }
                result.append(Segment(words: partStart..<partEnd, clause: (i + 1)..<clauseEnd))
                if !goesOn { return result.filter { !$0.words.isEmpty } }
                partStart = clauseEnd + 2
                i = partStart
                continue
            }
            i += 1
        }
        if partStart < range.upperBound { result.append(Segment(words: partStart..<range.upperBound, clause: nil)) }
        return result.filter { !$0.words.isEmpty }
    }

    /// ", — заявил": a spaced dash after , ! ? or …, before a lower-case word.
    private func isNarratorDash(_ i: Int, after start: Int, limit: Int) -> Bool {
        guard i > start, i + 1 < limit, tokens[i].mark == .dash, tokens[i].spaced, tokens[i + 1].spaced,
            tokens.isLowerCase(i + 1)
        else { return false }
        switch tokens[i - 1].mark {
        case .comma, .exclamation, .question, .ellipsis: return true
        default: return false
        }
    }

    /// Narrator's words end at the end of their sentence, a colon, a bracket, or a dash that
    /// takes the speech up again.
    private func narratorClauseEnd(from start: Int, limit: Int) -> Int {
        var k = start
        while k < limit {
            if let close = reader.quoteGroupEnd(k, limit: limit) {
                k = close + 1
                continue
            }
            let mark = tokens[k].mark
            if tokens.endsSentence(k) || mark == .colon || mark == .semicolon || mark == .openBracket { return k }
            if mark == .dash && tokens[k].spaced { return tokens.isMark(k - 1, .comma) ? k - 1 : k }
            if mark == .openQuote || mark == .eitherQuote { return k }
            k += 1
        }
        return limit
    }

    // MARK: Introductions and block quotations

    /// "Министр сказал:" closing the paragraph before p: the attribution of what follows. With
    /// `naming`, a sentence without a speech verb that names a person or an organisation
    /// introduces too ("…приветствовал губернатор Виктор Томенко:").
    private func introduction(before p: Int, naming: Bool = false) -> Attribution? {
        guard p > 0, endsWithColon(p - 1) else { return nil }
        let range = paragraphs[p - 1]
        let colon = range.upperBound - 1
        let start = sentenceStart(before: colon, in: range)
        guard let anchor = reader.anchor(before: colon, from: start) else {
            return naming ? namingClause(start..<colon) : nil
        }
        return read(anchor, clause: start..<colon)
    }

    /// An attribution without a verb: the clause names a person or organisation, whom the
    /// output takes as the speaker ("Глава Минздрава Мэтт Хэнкок поздравил пару через Twitter: «…»").
    private func namingClause(_ clause: Range<Int>) -> Attribution? {
        guard !clause.isEmpty, !reader.entities.isEmpty else { return nil }
        let named = reader.entities.overlapping(tokens.byteRange(clause)).contains { $0.type == .person || $0.type == .organization }
        return named ? Attribution(clause: clause) : nil
    }

    /// An interview's answer or question: a paragraph opening with a person's or an outlet's name
    /// and a colon ("Фридрих фон Болен: Я думаю…", "«Лента.ру»: Как вы…").
    private mutating func interviewAnswer(_ p: Int) -> Bool {
        let range = paragraphs[p]
        guard range.count >= 4, !reader.entities.isEmpty else { return false }
        var first = range.lowerBound
        if tokens[first].mark == .openQuote || tokens[first].mark == .eitherQuote { first += 1 }
        // "СМИ: …" heads a report, not an interview.
        guard let name = reader.entities.starting(at: Int(tokens[first].start)), name.type != .location,
            tokens.key(first) != QuoteLexicon.media
        else { return false }
        var colon = first
        while colon < range.upperBound && Int(tokens[colon].end) <= name.bytes.upperBound { colon += 1 }
        if colon < range.upperBound, tokens[colon].mark == .closeQuote || tokens[colon].mark == .eitherQuote { colon += 1 }
        guard colon < range.upperBound, tokens.isMark(colon, .colon) else { return false }
        let words = (colon + 1)..<range.upperBound
        guard wordCount(words) >= 3, tokens.isCapitalized(words.lowerBound) || tokens[words.lowerBound].kind != .word else { return false }
        add(words: words, attribution: Attribution(speaker: first..<colon, clause: first..<colon), form: .interview, paragraph: p)
        return true
    }

    private func endsWithColon(_ p: Int) -> Bool {
        let range = paragraphs[p]
        return !range.isEmpty && tokens.isMark(range.upperBound - 1, .colon)
    }

    private func read(_ anchor: AttributionReader.Anchor, clause: Range<Int>) -> Attribution {
        switch anchor {
        case .verb(let v): return reader.read(verb: v, clause: clause, quoteFirst: false)
        case .phrase(let phrase): return reader.read(phrase: phrase, clause: clause)
        }
    }

    /// Where the sentence holding token k starts, or `floor` when it starts before that: the
    /// scan back stops there, so quotations in a paragraph without a full stop are not each
    /// read back to its start.
    private func sentenceStart(before k: Int, in range: Range<Int>, notBefore floor: Int = 0) -> Int {
        let first = max(range.lowerBound, floor)
        var s = k - 1
        while s >= first && !tokens.endsSentence(s) { s -= 1 }
        return s + 1
    }

    private mutating func blockQuote(_ p: Int) -> Bool {
        guard options.includeBlocks else { return false }
        let range = paragraphs[p]
        let first = range.lowerBound
        // A paragraph ending with ":" introduces what follows it.
        guard !range.isEmpty, tokens.isCapitalized(first), wordCount(range) >= 3, !endsWithColon(p),
            !isNarration(range), let intro = introduction(before: p, naming: true)
        else { return false }
        add(words: range, attribution: intro, form: .block, paragraph: p)
        return true
    }

    // MARK: Quotations in marks

    private mutating func quotes(from span: Span, in p: Int) {
        // A « left open goes on in the next paragraphs that open with «.
        var parts = [(span: span, paragraph: p)]
        while parts[parts.count - 1].span.close == nil {
            let q = parts[parts.count - 1].paragraph + 1
            guard q < paragraphs.count, let next = spansOf[q].first, next.open == paragraphs[q].lowerBound,
                !isDashParagraph(q)
            else { break }
            parts.append((next, q))
            continued.insert(q)
        }
        let first = parts[0], last = parts[parts.count - 1]
        var attribution: Attribution?
        if let close = last.span.close { attribution = attributionAfter(close, in: last.paragraph) }
        if attribution == nil { attribution = attributionBefore(first.span, in: first.paragraph) }
        if attribution == nil, parts.count == 1 { attribution = coordinatedAttribution(span, in: p) }

        var pieces: [(words: Range<Int>, clause: Range<Int>?, paragraph: Int)] = []
        for part in parts {
            for segment in segments(inner(part.span, in: part.paragraph), requireVerb: true) {
                pieces.append((trimmed(segment.words), segment.clause, part.paragraph))
            }
        }
        let interposed = pieces.contains { $0.clause != nil }
        var unattributed = false
        if attribution == nil && !interposed {
            guard isQuotedSentence(first, last) else { return }
            attribution = inherited(at: first.paragraph)
            unattributed = attribution == nil
            guard !unattributed || options.includeUnattributed else { return }
        }
        var current = attribution
        var voiced: [(words: Range<Int>, attribution: Attribution?)] = []
        for (k, piece) in pieces.enumerated() {
            if k > 0 && piece.paragraph != pieces[k - 1].paragraph {
                addInterrupted(voiced, form: .quoted, paragraph: pieces[k - 1].paragraph)
                voiced = []
            }
            if let clause = piece.clause, let a = self.attribution(ofNarrator: clause) {
                current = a
            } else if piece.clause == nil && k == 0 && attribution == nil {
                current = pieces.lazy.compactMap { $0.clause }.first.flatMap { self.attribution(ofNarrator: $0) }
            }
            voiced.append((piece.words, current))
        }
        if let last = pieces.last { addInterrupted(voiced, form: .quoted, paragraph: last.paragraph) }
    }

    /// The pieces of one paragraph's speech that the narrator's words cut ("«A, — сказал он. —
    /// B»") are one quotation while the same voice goes on: a piece whose narrator names someone
    /// else ("— Готов? — спросил он. — Готов, — ответил Иван.") starts another.
    private mutating func addInterrupted(
        _ pieces: [(words: Range<Int>, attribution: Attribution?)], form: QuoteForm, paragraph: Int
    ) {
        var run: [Range<Int>] = []
        var attribution: Attribution?
        func flush(_ finder: inout QuoteFinder) {
            guard let first = run.first, let last = run.last else { return }
            finder.add(
                words: first.lowerBound..<last.upperBound, attribution: attribution, form: form, paragraph: paragraph,
                parts: run.count > 1 ? run : [])
            run = []
        }
        for piece in pieces {
            if !run.isEmpty && !sameVoice(attribution, piece.attribution) { flush(&self) }
            if run.isEmpty { attribution = piece.attribution }
            run.append(piece.words)
        }
        flush(&self)
    }

    private func sameVoice(_ a: Attribution?, _ b: Attribution?) -> Bool {
        guard let b, let other = b.speaker else { return true }
        guard let a, let speaker = a.speaker else { return false }
        // "рассказал Андреа" and "заключил Андреа Падован" share a name.
        return speaker.contains { k in tokens.isWord(k) && other.contains { tokens.key($0) == tokens.key(k) } }
    }

    /// The words of a part without a stray comma before the narrator's dash.
    private func trimmed(_ words: Range<Int>) -> Range<Int> {
        var w = words
        while let last = w.last, w.count > 1, tokens[last].mark == .comma { w = w.dropLast() }
        return w
    }

    /// A paragraph after "X заявил:" that tells of speech instead of giving it ("Он добавил,
    /// что …", "Министр сказал, что …"): the quotation the colon announced was lost.
    private func isNarration(_ range: Range<Int>) -> Bool {
        var k = range.lowerBound
        var words = 0
        while k < range.upperBound && !tokens.endsSentence(k) {
            if tokens.isWord(k) {
                words += 1
                if QuoteLexicon.verb(tokens.key(k)) != nil {
                    let before = tokens.key(k - 1)
                    if words <= 3
                        && ((QuoteLexicon.pronouns.contains(before) && !QuoteLexicon.firstPerson.contains(before))
                            || before == QuoteLexicon.kak)
                    {
                        return true
                    }
                    if tokens.isMark(k + 1, .comma) && tokens.key(k + 2) == QuoteLexicon.chto { return true }
                }
            }
            k += 1
        }
        return false
    }

    /// "«…», — заявил X", "«…» — сказал X", "«…», сказал X".
    private func attributionAfter(_ close: Int, in p: Int) -> Attribution? {
        let end = paragraphs[p].upperBound
        var j = close + 1
        let comma = tokens.isMark(j, .comma)
        if comma { j += 1 }
        let words = inner(Span(open: openOf(close, in: p), close: close), in: p)
        if j < end && tokens[j].mark == .dash {
            j += 1
        } else if !comma || (wordCount(words) < 3 && !tokens.isLowerCase(words.lowerBound)) {
            // "«Спартак» с «Академией футбола», пишет газета": without the dash, a name; words in
            // lower case are not ("«выгоден нам», заявил премьер").
            return nil
        }
        guard j < end, tokens.isLowerCase(j) else { return nil }
        let clause = j..<narratorClauseEnd(from: j, limit: end)
        guard let v = reader.verb(in: clause) else { return nil }
        return reader.read(verb: v, clause: clause, quoteFirst: true)
    }

    /// "«очень могущественное государство» и «выгоден нам», заявил премьер": fragments in lower case
    /// joined by "и" or a comma share the attribution after the last of them.
    private func coordinatedAttribution(_ span: Span, in p: Int) -> Attribution? {
        guard tokens.isLowerCase(span.open + 1) else { return nil }
        let spans = spansOf[p]
        var index = indexOf(open: span.open, in: spans)
        guard index < spans.count, spans[index].open == span.open else { return nil }
        var current = span
        for _ in 0..<3 {
            guard let close = current.close, index + 1 < spans.count else { return nil }
            let next = spans[index + 1]
            guard next.open == close + 2, tokens.key(close + 1) == QuoteLexicon.i || tokens.isMark(close + 1, .comma),
                tokens.isLowerCase(next.open + 1), let nextClose = next.close
            else { return nil }
            if let attribution = attributionAfter(nextClose, in: p) { return attribution }
            current = next
            index += 1
        }
        return nil
    }

    /// Spans are in text order, so a binary search: a dialogue paragraph holds thousands.
    private func openOf(_ close: Int, in p: Int) -> Int {
        let spans = spansOf[p]
        let lower = indexOf(open: close, in: spans)
        guard lower > 0, spans[lower - 1].close == close else { return close }
        return spans[lower - 1].open
    }

    /// The first span opening at or after token `open`.
    private func indexOf(open: Int, in spans: [Span]) -> Int {
        var lower = 0, upper = spans.count
        while lower < upper {
            let mid = (lower + upper) / 2
            if spans[mid].open < open { lower = mid + 1 } else { upper = mid }
        }
        return lower
    }

    /// "X заявил: «…»", "По словам X, «…»", "Как сказал X, «…»", "X считает, что «…»", a lower-case
    /// fragment further on in such a sentence, or "X сказал:" closing the paragraph before.
    private func attributionBefore(_ span: Span, in p: Int) -> Attribution? {
        let range = paragraphs[p]
        let o = span.open
        if o == range.lowerBound { return introduction(before: p, naming: true) }
        let start = sentenceStart(before: o, in: range, notBefore: o - 30)
        guard var anchor = reader.anchor(before: o, from: start) else {
            // "Глава Минздрава Мэтт Хэнкок поздравил пару через Twitter: «…»".
            return tokens.isMark(o - 1, .colon) ? namingClause(start..<(o - 1)) : nil
        }
        // "По словам актрисы, власти не отвечают на её просьбы: «…»".
        if case .verb(let v) = anchor, let opening = reader.openingPhrase(at: start), opening.upperBound <= v {
            anchor = .phrase(opening)
        }
        let anchorEnd: Int
        var byPhrase = false
        var naming = false
        switch anchor {
        case .verb(let v):
            anchorEnd = v + 1
            byPhrase = tokens.key(v - 1) == QuoteLexicon.kak
            naming = QuoteLexicon.verb(tokens.key(v)) == .naming
        case .phrase(let phrase):
            anchorEnd = phrase.upperBound
            byPhrase = true
        }
        let words = inner(span, in: p)
        let connector = o - 1
        let lowerCase = tokens.isLowerCase(words.lowerBound)
        let fragment = lowerCase && wordCount(words) >= 2
        var accepted = false
        if case .verb(let v) = anchor, v == connector - 1, QuoteLexicon.about.contains(tokens.key(connector)) {
            // "порассуждал о «предательстве Новороссии»": what is spoken of, in the speaker's words.
            accepted = fragment
        } else if naming && lowerCase && wordCount(words) == 1 {
            // "назвал результаты выборов «катастрофой»": one word in lower case after a naming verb
            // is the speaker's word; a title would be capitalized.
            accepted = true
        } else if tokens.isMark(connector, .colon) {
            accepted = true
        } else if tokens.key(connector) == QuoteLexicon.chto && connector >= anchorEnd {
            // "заявил, что «Газпром» повысит цены" names a company; a quotation ends the sentence or is long.
            let closesSentence =
                span.close.map { $0 + 1 == range.upperBound || tokens.endsSentence($0 + 1) || tokens.endsSentence($0 - 1) } ?? true
            accepted = wordCount(words) >= 2 && (fragment || closesSentence || wordCount(words) >= 4)
        } else if tokens.isMark(connector, .comma) && byPhrase {
            accepted = true
        } else if fragment {
            // Further on in the reported clause: "заявил, что решение «было ошибкой»"; the words
            // something is named with: "назвал Маркса «величайшим мыслителем»"; a phrase of four
            // words or more in lower case after a speech verb is its speaker's words, not a name
            // ("высказался за право «создавать семейные отношения, …»").
            accepted =
                byPhrase || naming || wordCount(words) >= 4
                || (anchorEnd..<o).contains { tokens.key($0) == QuoteLexicon.chto || tokens.isMark($0, .colon) }
        }
        guard accepted else { return nil }
        return read(anchor, clause: start..<o)
    }

    /// A whole sentence in marks: opens a sentence, starts in capitals, four words or more, ends one.
    private func isQuotedSentence(_ first: (span: Span, paragraph: Int), _ last: (span: Span, paragraph: Int)) -> Bool {
        let range = paragraphs[first.paragraph]
        let o = first.span.open
        // "«…», — сказал Трамп, когда его спросили. — «…»": the narrator's dash opens it too.
        let opensSentence =
            o == range.lowerBound || tokens.endsSentence(o - 1) || tokens.isMark(o - 1, .closeQuote)
            || (tokens[o - 1].mark == .dash && (o - 1 == range.lowerBound || tokens.endsSentence(o - 2)))
        let words = inner(first.span, in: first.paragraph)
        guard opensSentence, tokens.isCapitalized(words.lowerBound), wordCount(words) >= 4 else { return false }
        guard let close = last.span.close else { return true }
        let end = paragraphs[last.paragraph].upperBound
        if close + 1 == end || tokens.endsSentence(close + 1) || tokens.endsSentence(close - 1) { return true }
        // "«На мне парадная форма», — с этими словами Квачков …": narrator's words follow it.
        var j = close + 1
        if tokens.isMark(j, .comma) { j += 1 }
        return j + 1 < end && tokens[j].mark == .dash && tokens.isLowerCase(j + 1)
    }

    /// The speaker of the quotation just before, in this paragraph or the one before.
    private func inherited(at p: Int) -> Attribution? {
        guard let previous = found.last, previous.paragraph >= p - 1, var a = previous.attribution, a.speaker != nil else { return nil }
        a.verb = nil
        return a
    }

    private mutating func add(
        words: Range<Int>, attribution: Attribution?, form: QuoteForm, paragraph: Int, parts: [Range<Int>] = []
    ) {
        var words = words
        // "— «Мы готовы», — сказал он": the dash quotation's words without their marks.
        if parts.isEmpty, words.count >= 3, let close = reader.quoteGroupEnd(words.lowerBound, limit: words.upperBound),
            close == words.upperBound - 1
        {
            words = (words.lowerBound + 1)..<close
        }
        let parts = parts.filter { wordCount($0) > 0 }
        guard !words.isEmpty, wordCount(words) > 0 else { return }
        if attribution == nil && !options.includeUnattributed { return }
        let form = attribution?.relayed == true ? .reported : form
        found.append(
            FoundQuote(words: words, form: form, attribution: attribution, paragraph: paragraph, parts: parts.count > 1 ? parts : []))
    }
}
