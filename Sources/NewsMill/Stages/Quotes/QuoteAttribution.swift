/// Who said a quotation and how, as token ranges of the text: the attribution verb or phrase,
/// the speaker's noun phrase, and for relayed words the outlet that relays them.
struct Attribution {
    var verb: Range<Int>?
    var speaker: Range<Int>?
    var source: Range<Int>?
    var relayed = false
    /// The words where the speaker is named; an entity in them is in reach when no phrase is found.
    var clause: Range<Int>
}

/// Reads attributions around a verb ("заявил военный", "глава МИД Сергей Лавров заявил",
/// "цитирует одного из солдат телеканал CNN", "говорится в заявлении МИД") or a phrase
/// ("по словам X"). Noun phrases are found by their edges — prepositions, conjunctions, adverbs,
/// punctuation — not by a parser, so they stay short and sometimes take a word too many.
struct AttributionReader {
    let tokens: WordTokens
    let entities: QuoteEntities
    /// For a token opening a quoted group, the token closing it, and the reverse; -1 for marks
    /// that pair with nothing. Paired once in one pass, so following a group is a lookup: a scan
    /// from each mark to its partner would run to the end of the paragraph from every « of
    /// "«««…" and take quadratic time.
    private let partner: [Int32]

    init(tokens: WordTokens, entities: QuoteEntities) {
        self.tokens = tokens
        self.entities = entities
        var partner = [Int32](repeating: -1, count: tokens.count)
        var open: [Int32] = []
        for j in 0..<tokens.count {
            let opening: Bool
            switch tokens[j].mark {
            case .openQuote: opening = true
            case .closeQuote: opening = false
            case .eitherQuote: opening = Self.opens(j, in: tokens)
            default: continue
            }
            if opening {
                open.append(Int32(j))
            } else if let o = open.popLast() {
                partner[Int(o)] = Int32(j)
                partner[j] = o
            }
        }
        self.partner = partner
    }

    typealias Lexicon = QuoteLexicon

    static let maxPhraseWords = 8

    /// A speech verb among the first `within` words of a range.
    func verb(in range: Range<Int>, within: Int = 4) -> Int? {
        var words = 0
        for k in range where tokens.isWord(k) {
            if isSpeechVerb(k) { return k }
            words += 1
            if words == within { break }
        }
        return nil
    }

    /// A verb of the lexicon used for speech: "признали виновным" is a verdict.
    func isSpeechVerb(_ k: Int) -> Bool {
        Lexicon.verb(tokens.key(k)) != nil && !Lexicon.verdicts.contains(tokens.key(k + 1))
    }

    /// "По словам актрисы, …": the phrase that opens a sentence attributes all of it.
    func openingPhrase(at start: Int) -> Range<Int>? {
        let k = start
        guard tokens.key(k) == Lexicon.po else { return nil }
        if Lexicon.opinionNouns.contains(tokens.key(k + 1)) { return k..<(k + 2) }
        if Lexicon.possessives.contains(tokens.key(k + 1)) && Lexicon.opinionNouns.contains(tokens.key(k + 2)) { return k..<(k + 3) }
        return nil
    }

    enum Anchor {
        case verb(Int)
        /// "по словам", "по его мнению": the tokens from "по" to the noun.
        case phrase(Range<Int>)
    }

    /// The attribution nearest before token `end`, scanning back to `start`.
    func anchor(before end: Int, from start: Int) -> Anchor? {
        var k = end - 1
        while k >= start {
            // A verb inside an earlier quotation is its speaker's, not the narrator's:
            // "сообщил, что «состояние тяжелое, говорят врачи» и «…»".
            if let open = quoteGroupStart(k, limit: start) {
                k = open - 1
                continue
            }
            let key = tokens.key(k)
            if isSpeechVerb(k) { return .verb(k) }
            if Lexicon.opinionNouns.contains(key) {
                if tokens.key(k - 1) == Lexicon.po { return .phrase((k - 1)..<(k + 1)) }
                if Lexicon.possessives.contains(tokens.key(k - 1)) && tokens.key(k - 2) == Lexicon.po { return .phrase((k - 2)..<(k + 1)) }
            }
            k -= 1
        }
        return nil
    }

    /// The attribution of a verb. `quoteFirst`: the quotation comes before the clause ("«…», —
    /// заявил X"), so the speaker is looked for after the verb first; else before it ("X заявил: «…»").
    func read(verb v: Int, clause: Range<Int>, quoteFirst: Bool) -> Attribution {
        var a = Attribution(verb: v..<(v + 1), clause: clause)
        switch Lexicon.verb(tokens.key(v)) {
        case .impersonal?:
            a.speaker = locativeSource(around: v, in: clause)
        case .relay?:
            readRelay(verb: v, clause: clause, into: &a)
        case .naming?:
            // "назвал его «…»": the words after the verb are what is named. After "и" or as a
            // gerund ("…и назвал его", "назвав его") the speaker is the sentence's subject, which
            // the output finds as the first name in the clause.
            let joinsEarlier = Lexicon.namingGerunds.contains(tokens.key(v)) || tokens.key(v - 1) == Lexicon.i
            a.speaker = joinsEarlier ? nil : phraseBefore(v - 1, to: clause.lowerBound)
        default:
            // "прокомментировал отравление и порассуждал о «…»": a second verb shares the first's
            // subject, not the first verb's object.
            if tokens.key(v - 1) == Lexicon.i {
                if let earlier = earlierVerb(before: v - 1, from: clause.lowerBound) {
                    a.speaker = read(verb: earlier, clause: clause, quoteFirst: false).speaker
                    return a
                }
                // "Президент выразил уверенность, что … и отметил, что «…»": the sentence's subject,
                // the capitalized words that open it (a role before a name finds the name).
                var end = clause.lowerBound
                while end < v && tokens.isCapitalized(end) && !Lexicon.stops.contains(tokens.key(end)) { end += 1 }
                if end > clause.lowerBound {
                    a.speaker = clause.lowerBound..<end
                    return a
                }
            }
            // "сказал ТАСС источник", "подтвердил «Ъ» участник рынка": the outlet told is no speaker
            // when someone is named after it.
            let told = outletEnd(v + 1, to: clause.upperBound) ?? (v + 1)
            // "заявили в Кремле": a place for the people who speak there, when no one is named.
            let after =
                phraseAfter(told, to: clause.upperBound)
                ?? (isPlural(v) && Lexicon.locatives.contains(tokens.key(told)) ? phraseAfter(told + 1, to: clause.upperBound) : nil)
                ?? (told > v + 1 ? phraseAfter(v + 1, to: clause.upperBound) : nil)
            let before = phraseBefore(v - 1, to: clause.lowerBound)
            let opensClause = v == clause.lowerBound || tokens[v - 1].kind == .mark || Lexicon.clauseOpeners.contains(tokens.key(v - 1))
            // "«…», говорит Юханссон, «…»": a verb right after a quotation and its comma has its
            // speaker after it.
            let afterQuote = tokens.isMark(v - 1, .comma) && quoteGroupStart(v - 2, limit: clause.lowerBound - 64) != nil
            a.speaker = quoteFirst || afterQuote ? after ?? before : before ?? (opensClause ? after : nil)
        }
        return a
    }

    /// The speech verb of the same clause before token k, when no other "и" comes between.
    private func earlierVerb(before k: Int, from start: Int) -> Int? {
        var j = k - 1
        while j >= start && j >= k - 24 {
            let key = tokens.key(j)
            if key == Lexicon.i || tokens.endsSentence(j) { return nil }
            if let verb = Lexicon.verb(key) { return verb == .speech ? j : nil }
            j -= 1
        }
        return nil
    }

    /// Where an outlet's name (in the dative: "ТАСС", "«Ъ»", "РИА Новости", "Интерфаксу") starting
    /// at token k ends; nil when none starts there or nothing follows it.
    private func outletEnd(_ k: Int, to end: Int) -> Int? {
        var next: Int
        if let close = quoteGroupEnd(k, limit: end) {
            guard close - k - 1 >= 1, close - k - 1 <= 2, ((k + 1)..<close).allSatisfy({ Lexicon.toldOutlets.contains(tokens.key($0)) })
            else {
                return nil
            }
            next = close + 1
        } else {
            guard tokens.isWord(k), Lexicon.toldOutlets.contains(tokens.key(k)) else { return nil }
            next = k + 1
            if tokens.key(next) == Lexicon.novosti { next += 1 }
        }
        return next < end && tokens.isWord(next) ? next : nil
    }

    /// "заявили", "сообщают", "говорят": a verb with no one named behind it.
    private func isPlural(_ v: Int) -> Bool {
        let end = Int(tokens[v].end)
        guard end - Int(tokens[v].start) >= 4 else { return false }
        let b = tokens.bytes
        let last = (b[end - 2], b[end - 1]), before = (b[end - 4], b[end - 3])
        let i = (UInt8(0xD0), UInt8(0xB8)), l = (UInt8(0xD0), UInt8(0xBB)), t = (UInt8(0xD1), UInt8(0x82))
        let yu = (UInt8(0xD1), UInt8(0x8E)), ya = (UInt8(0xD1), UInt8(0x8F)), u = (UInt8(0xD1), UInt8(0x83))
        return (last == i && before == l) || (last == t && (before == yu || before == ya || before == u))
    }

    func read(phrase: Range<Int>, clause: Range<Int>) -> Attribution {
        var a = Attribution(verb: phrase, clause: clause)
        if phrase.count == 3 {
            a.speaker = (phrase.lowerBound + 1)..<(phrase.lowerBound + 2)
        } else {
            a.speaker = phraseAfter(phrase.upperBound, to: clause.upperBound)
        }
        return a
    }

    // MARK: Relayed words

    /// "цитирует одного из солдат телеканал CNN", "передаёт ТАСС со ссылкой на источник",
    /// "приводит Reuters слова представителя ООН", "сообщает CNN": the outlet is the source, the
    /// person it quotes the speaker; when only the outlet is named it is the speaker too.
    private func readRelay(verb v: Int, clause: Range<Int>, into a: inout Attribution) {
        a.relayed = true
        var end = clause.upperBound
        var k = v + 1
        while k < end, tokens.isWord(k) {
            let key = tokens.key(k)
            if key == Lexicon.so && tokens.key(k + 1) == Lexicon.reference && tokens.key(k + 2) == Lexicon.na {
                a.speaker = phraseAfter(k + 3, to: end)
                end = k
                break
            }
            if key == Lexicon.words {
                a.speaker = phraseAfter(k + 1, to: end)
                end = k
                break
            }
            k += 1
        }
        if a.speaker == nil, let close = quoteGroupEnd(v + 1, limit: end), close > v + 2 {
            // "пишет «Коммерсант»": the outlet's name without its marks.
            a.source = (v + 2)..<close
        } else if a.speaker == nil, let outlet = outletStart(from: v + 1, to: end) {
            let source = outletPhrase(outlet, to: end)
            a.source = source
            if outlet > v + 1 {
                a.speaker = phraseAfter(v + 1, to: outlet, allowPartitive: true)
            } else if source.upperBound < end {
                a.speaker = phraseAfter(source.upperBound, to: end)
            }
        } else {
            a.source = phraseAfter(v + 1, to: end) ?? phraseBefore(v - 1, to: clause.lowerBound)
        }
        if a.speaker == nil { a.speaker = a.source }
        if a.source == nil { a.source = a.speaker }
    }

    /// Where an outlet is named: an outlet noun, an ORG entity, a Latin name or an acronym ("ТАСС").
    private func outletStart(from start: Int, to end: Int) -> Int? {
        var k = start
        while k < end, tokens.isWord(k) || tokens.isMark(k, .openQuote) || tokens.isMark(k, .eitherQuote) {
            if tokens.isWord(k) {
                if Lexicon.outlets.contains(tokens.key(k)) { return k }
                if let entity = entities.starting(at: Int(tokens[k].start)), entity.type == .organization { return k }
                if (tokens.isLatin(k) && tokens.isCapitalized(k)) || tokens.isAcronym(k) { return k }
            }
            k += 1
        }
        return nil
    }

    /// The outlet noun and the name after it: "телеканал CNN", "газета «Коммерсант»", "ТАСС".
    private func outletPhrase(_ start: Int, to end: Int) -> Range<Int> {
        var k = start + 1
        while k < end {
            if (tokens.isCapitalized(k) || tokens.isLatin(k)) && Lexicon.verb(tokens.key(k)) == nil {
                k += 1
            } else if let close = quoteGroupEnd(k, limit: end) {
                k = close + 1
            } else {
                break
            }
        }
        return start..<k
    }

    /// "говорится в заявлении МИД", "В сообщении Белого дома говорится": the document after "в".
    private func locativeSource(around v: Int, in clause: Range<Int>) -> Range<Int>? {
        var found: Range<Int>?
        if Lexicon.locatives.contains(tokens.key(v + 1)) { found = phraseAfter(v + 2, to: clause.upperBound) }
        var k = v - 1
        while found == nil && k >= clause.lowerBound {
            if Lexicon.locatives.contains(tokens.key(k)) { found = phraseAfter(k + 1, to: v) }
            k -= 1
        }
        // "в котором говорится" names the document only further back.
        guard let found, !Lexicon.relatives.contains(tokens.key(found.lowerBound)), tokens.key(found.lowerBound) != Lexicon.relativeLocative
        else { return nil }
        return found
    }

    // MARK: Noun phrases

    /// The speaker's phrase after a verb: words up to an edge, past adverbs ("также"),
    /// addressees ("журналистам", "изданию The Guardian") and circumstances ("в интервью CNN",
    /// "на брифинге") that come between the verb and the speaker.
    func phraseAfter(_ from: Int, to end: Int, allowPartitive: Bool = true) -> Range<Int>? {
        var k = from
        var jumpedComma = false
        skipping: while k < end {
            let key = tokens.key(k)
            if tokens.isWord(k) && Lexicon.skips.contains(key) {
                k += 1
            } else if tokens.isWord(k) && Lexicon.addressees.contains(key) {
                k = modifiersEnd(k + 1, to: end)
            } else if tokens.isWord(k) && Lexicon.stops.contains(key) && k + 1 < end && Lexicon.circumstances.contains(tokens.key(k + 1)) {
                k = modifiersEnd(k + 2, to: end)
            } else if tokens.isMark(k, .comma) && !jumpedComma {
                // "— заявил, отвечая на вопрос журналистов, министр": past the inserted phrase;
                // ", что …" is what was said, not who said it.
                if tokens.key(k + 1) == Lexicon.chto { return nil }
                jumpedComma = true
                var c = k + 1
                while c < end && !tokens.isMark(c, .comma) { c += 1 }
                guard c < end else { return nil }
                k = c + 1
            } else {
                break skipping
            }
        }
        let start = k
        var words = 0
        while k < end {
            let token = tokens[k]
            if token.kind == .word {
                let key = tokens.key(k)
                if tokens.isInitial(k + 1) {
                    // "В. Путин": the initial, not the preposition.
                    words += 1
                    k += 2
                    continue
                }
                if Lexicon.pronouns.contains(key) {
                    if words == 0 { return k..<(k + 1) }
                    break
                }
                if Lexicon.stops.contains(key) && !keepsInPhrase(k, previous: k - 1, next: k + 1, allowPartitive: allowPartitive) { break }
                if words > 0 && (Lexicon.verb(key) != nil || Lexicon.addressees.contains(key)) { break }
                words += 1
                k += 1
                if words == Self.maxPhraseWords { break }
            } else if words > 0, let close = quoteGroupEnd(k, limit: end) {
                k = close + 1
            } else if token.mark == .period && words > 0 && tokens.isInitial(k) {
                k += 1
            } else {
                break
            }
        }
        return words > 0 ? start..<k : nil
    }

    /// The speaker's phrase before a verb, read backwards: "глава МИД Сергей Лавров заявил".
    /// A comma just before the verb closes an inserted phrase ("Кобир Чоудури, возглавляющий
    /// мечеть, заявил"), and "который" points back to the phrase before it.
    func phraseBefore(_ from: Int, to start: Int) -> Range<Int>? {
        let verb = from + 1
        var k = from
        while k >= start && tokens.isWord(k) && Lexicon.skips.contains(tokens.key(k)) { k -= 1 }
        if k >= start && tokens.isWord(k) && Lexicon.relatives.contains(tokens.key(k)) && tokens.isMark(k - 1, .comma) {
            k -= 2
        } else if k >= start && tokens.isMark(k, .comma) {
            var c = k - 1
            while c >= start && !tokens.isMark(c, .comma) && !tokens.endsSentence(c) { c -= 1 }
            guard c >= start, tokens.isMark(c, .comma) else { return nil }
            k = c - 1
        }
        guard let phrase = wordsBefore(k, to: start) else { return nil }
        // Stopped at a preposition: the first words are its object ("в интервью CNN", "по случаю
        // выхода пластинки"); the speaker starts after the circumstance, else at the first name.
        let p = phrase.lowerBound - 1
        guard p >= start, tokens.isWord(p), Lexicon.prepositions.contains(tokens.key(p)) else { return phrase }
        // "В Госдепе США отметили": the people of a place, named by it, unless they are named
        // before it ("украинцы в зале ответили").
        if verb < tokens.count, Lexicon.verb(tokens.key(verb)) != nil, isPlural(verb), Lexicon.locatives.contains(tokens.key(p)) {
            if let head = wordsBefore(p - 1, to: start), !Lexicon.circumstances.contains(tokens.key(head.lowerBound)),
                !Lexicon.prepositions.contains(tokens.key(head.lowerBound - 1))
            {
                return head
            }
            return phrase
        }
        var first = phrase.lowerBound
        if Lexicon.circumstances.contains(tokens.key(first)) {
            first = modifiersEnd(first, to: phrase.upperBound)
        } else {
            first += 1
            while first < phrase.upperBound && !tokens.isCapitalized(first) { first += 1 }
            // "после известия о смерти Дадашева": a name in the genitive is the object's.
            if first < phrase.upperBound && entities.isInflectedPerson(at: tokens.byteRange(first..<(first + 1))) {
                first = phrase.upperBound
            }
        }
        if first < phrase.upperBound && wordCountIn(first..<phrase.upperBound) > 0 { return first..<phrase.upperBound }
        // "Источник «Ъ» в правительстве пояснил", "Тихонов накануне матча признался": the phrase
        // before the preposition, unless it is the object of one too ("в беседе с НСН"); past a
        // chain of them ("Бадди Макгирт после известия о смерти Дадашева заявил").
        var preposition = p
        for _ in 0..<3 {
            guard let head = wordsBefore(preposition - 1, to: start), !Lexicon.circumstances.contains(tokens.key(head.lowerBound))
            else { return nil }
            let before = head.lowerBound - 1
            guard before >= start, Lexicon.prepositions.contains(tokens.key(before)) else { return head }
            preposition = before
        }
        return nil
    }

    /// Words read backwards from token k up to an edge.
    private func wordsBefore(_ from: Int, to start: Int) -> Range<Int>? {
        var k = from
        let end = k + 1
        var words = 0
        while k >= start {
            let token = tokens[k]
            if token.kind == .word {
                let key = tokens.key(k)
                if Lexicon.pronouns.contains(key) {
                    if words == 0 { return k..<(k + 1) }
                    break
                }
                if Lexicon.stops.contains(key) && !keepsInPhrase(k, previous: k - 1, next: k + 1, allowPartitive: true) { break }
                if Lexicon.verb(key) != nil || Lexicon.addressees.contains(key) { break }
                words += 1
                k -= 1
                if words == Self.maxPhraseWords { break }
            } else if token.mark == .closeQuote || token.mark == .eitherQuote, let open = quoteGroupStart(k, limit: start) {
                // "глава «Роснефти» Игорь Сечин" keeps the name; "телеканалу «Интер» Порошенко" does not.
                let before = tokens.key(open - 1)
                if Lexicon.addressees.contains(before) || Lexicon.circumstances.contains(before)
                    || Lexicon.outletGenitives.contains(before) || Lexicon.stops.contains(before)
                {
                    break
                }
                k = open - 1
            } else if token.mark == .period && words > 0 && tokens.isInitial(k) {
                k -= 2
                words += 1
            } else {
                break
            }
        }
        return words > 0 ? (k + 1)..<end : nil
    }

    private func wordCountIn(_ range: Range<Int>) -> Int {
        range.reduce(0) { $0 + (tokens.isWord($1) ? 1 : 0) }
    }

    /// "из" after "один", "по" before "делам", "и" between two names: edges that are not edges.
    private func keepsInPhrase(_ k: Int, previous: Int, next: Int, allowPartitive: Bool) -> Bool {
        let key = tokens.key(k)
        if key == Lexicon.iz { return allowPartitive && Lexicon.partitives.contains(tokens.key(previous)) }
        if key == Lexicon.po { return Lexicon.officeTopics.contains(tokens.key(next)) }
        if key == Lexicon.i { return tokens.isCapitalized(previous) && tokens.isCapitalized(next) }
        return false
    }

    /// Past the words that belong to an addressee or a circumstance: outlet names (Latin,
    /// acronyms, «…»), outlet genitives, more circumstance words ("в беседе с журналистами").
    private func modifiersEnd(_ from: Int, to end: Int) -> Int {
        var k = from
        while k < end {
            let key = tokens.key(k)
            let outletNext = Lexicon.addressees.contains(tokens.key(k + 1)) || Lexicon.outletGenitives.contains(tokens.key(k + 1))
            if tokens.isWord(k)
                && (Lexicon.circumstances.contains(key) || Lexicon.outletGenitives.contains(key)
                    || Lexicon.addressees.contains(key) || tokens.isLatin(k) || tokens.isAcronym(k)
                    || (tokens.isLowerCase(k) && outletNext && k + 1 < end))
            {
                // "в интервью местной газете", "в эфире телеканала «Россия 24»"
                k += 1
            } else if tokens.isWord(k) && Lexicon.stops.contains(key) && k + 1 < end && Lexicon.circumstances.contains(tokens.key(k + 1)) {
                k += 2
            } else if let close = quoteGroupEnd(k, limit: end) {
                k = close + 1
            } else {
                break
            }
        }
        return k
    }

    // MARK: Quoted names inside phrases

    /// When token k opens a quoted name, the token that closes it (before `limit`): the first
    /// token after which as many marks have closed as opened since k.
    func quoteGroupEnd(_ k: Int, limit: Int) -> Int? {
        guard k < limit else { return nil }
        let mark = tokens[k].mark
        guard mark == .openQuote || (mark == .eitherQuote && opens(k)) else { return nil }
        let close = Int(partner[k])
        return close >= 0 && close < limit ? close : nil
    }

    /// When token k closes a quoted name, the token that opens it (at or after `limit`).
    func quoteGroupStart(_ k: Int, limit: Int) -> Int? {
        let mark = tokens[k].mark
        guard mark == .closeQuote || (mark == .eitherQuote && !opens(k)) else { return nil }
        let open = Int(partner[k])
        return open >= 0 && open >= limit ? open : nil
    }

    /// A " or “ opens when it follows a space, a bracket, a dash or an opening mark and the
    /// next token is attached to it; otherwise it closes.
    func opens(_ i: Int) -> Bool { Self.opens(i, in: tokens) }

    private static func opens(_ i: Int, in tokens: WordTokens) -> Bool {
        let t = tokens[i]
        let afterGap = t.spaced || tokens.isMark(i - 1, .openBracket) || tokens.isMark(i - 1, .dash) || tokens.isMark(i - 1, .openQuote)
        return afterGap && i + 1 < tokens.count && !tokens[i + 1].spaced
    }
}
