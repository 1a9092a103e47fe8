import NewsMillNER

/// Turns found quotations into record mentions: each speaker and source resolved to the named
/// entity it overlaps, token ranges turned into text and Unicode-scalar offsets.
struct QuoteOutput {
    let tokens: WordTokens
    let entities: QuoteEntities

    func mentions(_ found: [FoundQuote]) -> [QuoteMention] {
        guard !found.isEmpty else { return [] }
        struct Draft {
            var words: Range<Int>
            var parts: [Range<Int>]
            var form: QuoteForm
            var speaker: Resolved?
            var source: Resolved?
            var verb: String?
        }
        var previous: (end: Int, speaker: Int)?
        var drafts: [Draft] = found.map { quote in
            let a = quote.attribution
            let words = tokens.byteRange(quote.words)
            let speaker = a.flatMap { resolve($0.speaker, clause: $0.clause, quote: words, previous: previous) }
            previous = speaker?.entity == .person ? speaker?.mention.map { (words.upperBound, $0) } : nil
            return Draft(
                words: words, parts: quote.parts.map { tokens.byteRange($0) }, form: quote.form, speaker: speaker,
                source: a.flatMap { a in a.source.flatMap { resolve($0, clause: a.clause, quote: words, previous: nil) } },
                verb: a?.verb.map { tokens.text($0) })
        }
        drafts.sort { $0.words.lowerBound < $1.words.lowerBound }

        // Scalar offsets of every byte offset used, counted in one forward pass over the
        // offsets in order; each lands in its draft's slot (words, speaker, source: start and
        // end), so no lookup table is built: a hash map of every offset missed the cache once
        // per quotation and dominated texts of thousands of them.
        var wanted: [(byte: Int, slot: Int)] = []
        wanted.reserveCapacity(drafts.count * 2)
        // The parts' slots follow the 6 per draft.
        var partSlot = [Int](repeating: 0, count: drafts.count)
        var slots = 6 * drafts.count
        for (k, d) in drafts.enumerated() {
            wanted.append((d.words.lowerBound, 6 * k))
            wanted.append((d.words.upperBound, 6 * k + 1))
            if let s = d.speaker { wanted += [(s.bytes.lowerBound, 6 * k + 2), (s.bytes.upperBound, 6 * k + 3)] }
            if let s = d.source { wanted += [(s.bytes.lowerBound, 6 * k + 4), (s.bytes.upperBound, 6 * k + 5)] }
            partSlot[k] = slots
            for part in d.parts {
                wanted += [(part.lowerBound, slots), (part.upperBound, slots + 1)]
                slots += 2
            }
        }
        wanted.sort { $0.byte < $1.byte }
        var scalarAt = [Int](repeating: 0, count: slots)
        var offsets = tokens.scalarOffsets
        for w in wanted { scalarAt[w.slot] = offsets.offset(ofByte: w.byte) }
        func speaker(_ s: Resolved?, slot: Int) -> QuoteSpeaker? {
            s.map { s in
                let mention = s.mention.map { entities.mentions[$0] }
                return QuoteSpeaker(
                    text: tokens.text(bytes: s.bytes), start: scalarAt[slot], end: scalarAt[slot + 1], entity: s.entity,
                    group: mention?.group, normal: mention.flatMap { $0.canonical ?? $0.normal })
            }
        }
        return drafts.enumerated().map { k, d in
            QuoteMention(
                text: d.parts.isEmpty ? tokens.text(bytes: d.words) : joined(d.parts), start: scalarAt[6 * k],
                end: scalarAt[6 * k + 1], form: d.form, speaker: speaker(d.speaker, slot: 6 * k + 2), verb: d.verb,
                source: speaker(d.source, slot: 6 * k + 4),
                parts: d.parts.indices.map { QuotePart(start: scalarAt[partSlot[k] + 2 * $0], end: scalarAt[partSlot[k] + 2 * $0 + 1]) })
        }
    }

    /// The speaker's words of a quotation the narrator cut, as said: "«Это опасно, — сказала
    /// она. — Трагедия в том…»" → "Это опасно. Трагедия в том…", "«Я, — сказал он, — не
    /// согласен»" → "Я не согласен".
    private func joined(_ parts: [Range<Int>]) -> String {
        var text = ""
        for part in parts {
            let words = tokens.text(bytes: part)
            if let last = text.unicodeScalars.last, let first = words.unicodeScalars.first {
                let capital = first.properties.isUppercase
                if capital && !".!?…".unicodeScalars.contains(last) { text += "." }
                text += " "
            }
            text += words
        }
        return text
    }

    /// A speaker as the text names it, and the entity mention it stands for when there is one.
    struct Resolved {
        var bytes: Range<Int>
        var entity: EntityType?
        var mention: Int?
    }

    /// A phrase overlapping a PER mention is that person ("глава МИД Сергей Лавров" → "Сергей
    /// Лавров"); one that is an organisation, or an outlet or office noun before its name
    /// ("телеканал CNN", "пресс-служба Кремля"), is the ORG; "глава МИД" is a person and keeps
    /// its words. A role followed in its clause by a name is that person ("сказала комедиантка и
    /// телеведущая Эллен Дедженерес"); a pronoun ("сказал он", "по её словам") is the nearest
    /// person of its gender named before the quotation; a document ("говорится в заявлении
    /// полиции") is its author, and without one ("в их заявлении") the speaker named last before.
    /// Without a phrase, the first person or organisation named in the clause.
    private func resolve(
        _ phrase: Range<Int>?, clause: Range<Int>, quote: Range<Int>, previous: (end: Int, speaker: Int)?
    ) -> Resolved? {
        guard let phrase, !phrase.isEmpty else {
            guard !clause.isEmpty, !entities.isEmpty else { return nil }
            let hits = entities.overlapping(tokens.byteRange(clause))
            guard let hit = hits.first(where: { $0.type == .person }).map(named) ?? hits.first(where: { $0.type == .organization })
            else { return nil }
            return Resolved(bytes: hit.bytes, entity: hit.type, mention: hit.index)
        }
        let bytes = tokens.byteRange(phrase)
        guard !entities.isEmpty else { return Resolved(bytes: bytes) }
        let before = min(quote.lowerBound, bytes.lowerBound)
        if phrase.count == 1, let feminine = pronounGender(phrase.lowerBound) {
            // "X заявил: «…». Он добавил, что …": the pronoun that opens the next sentence is the
            // speaker just quoted.
            if let previous, bytes.lowerBound >= previous.end, bytes.lowerBound - previous.end <= Self.continuationReach,
                entities.isFeminine(previous.speaker) == feminine
            {
                return Resolved(bytes: bytes, entity: .person, mention: previous.speaker)
            }
            let person = entities.person(before: before, feminine: feminine, reach: Self.pronounReach)
            return Resolved(bytes: bytes, entity: person.map { _ in .person }, mention: person?.index)
        }
        let hits = entities.overlapping(bytes)
        // Of several persons, the last: "защитник Алёхиной Александр Подрабинёк".
        if let person = hits.last(where: { $0.type == .person }).map(named) {
            return Resolved(bytes: person.bytes, entity: .person, mention: person.index)
        }
        for hit in hits where hit.type != .person && onlyInstitutionsBefore(hit.bytes.lowerBound, in: phrase) {
            if hit.type == .organization || hit.bytes.lowerBound <= bytes.lowerBound {
                return Resolved(bytes: hit.bytes, entity: hit.type, mention: hit.index)
            }
        }
        // A role and the name after it in the same phrase ("сказал один из зрителей, 62-летний
        // Хоакин Ортис"), not in a clause of its own ("говорится, что …", "По словам прокуроров,
        // Чжан …").
        let clauseBytes = clause.isEmpty ? bytes : tokens.byteRange(clause)
        if let named = entities.overlapping(clauseBytes).first(where: {
            $0.type == .person && $0.bytes.lowerBound >= bytes.upperBound && $0.bytes.lowerBound - bytes.upperBound <= Self.roleReach
        }),
            !tokens.breaksPhrase(
                bytes.upperBound..<named.bytes.lowerBound, comma: QuoteLexicon.opinionNouns.contains(tokens.key(phrase.lowerBound - 1)))
        {
            let person = self.named(named)
            return Resolved(bytes: person.bytes, entity: .person, mention: person.index)
        }
        if let document = phrase.first(where: { QuoteLexicon.documents.contains(tokens.key($0)) }) {
            // "заявлении полиции": the words after the document name its author.
            let rest = (document + 1)..<phrase.upperBound
            if let author = rest.firstIndex(where: {
                tokens.isWord($0) && pronounGender($0) == nil && !QuoteLexicon.documentModifiers.contains(tokens.key($0))
            }) {
                let authorBytes = tokens.byteRange(author..<phrase.upperBound)
                // "в заявлении полиции": the organisation it names, when the entities know it.
                if let named = entities.overlapping(authorBytes).first(where: { $0.bytes.lowerBound == authorBytes.lowerBound }) {
                    return Resolved(bytes: named.bytes, entity: named.type, mention: named.index)
                }
                return Resolved(bytes: authorBytes)
            }
            if let last = entities.speaker(before: before, reach: Self.pronounReach) {
                return Resolved(bytes: bytes, entity: last.type, mention: last.index)
            }
        }
        return Resolved(bytes: bytes)
    }

    /// Of two persons named in a row, the second: "защитник Алёхиной Александр Подрабинёк" is
    /// Подрабинёк, the first name the genitive that tells whose defender.
    private func named(_ person: QuoteEntities.Span) -> QuoteEntities.Span {
        let end = person.bytes.upperBound
        return entities.overlapping(end..<(end + 2)).first {
            $0.type == .person && $0.bytes.lowerBound > end && $0.bytes.lowerBound <= end + 1
        } ?? person
    }

    /// How far after a quotation (bytes: its closing mark, a full stop, a space) a pronoun still
    /// continues its speaker's words.
    static let continuationReach = 8
    /// How far back (bytes) a pronoun or an authorless document looks for who it means: about two
    /// paragraphs of news text.
    static let pronounReach = 1_200
    /// How far after a role noun (bytes) its name may follow in the clause.
    static let roleReach = 160

    /// false for "он", "его", true for "она", "её"; nil for other words.
    private func pronounGender(_ k: Int) -> Bool? {
        switch QuoteLexicon.genderedPronouns.value(tokens.key(k)) {
        case 1: false
        case 2: true
        default: nil
        }
    }

    private func onlyInstitutionsBefore(_ byte: Int, in phrase: Range<Int>) -> Bool {
        for k in phrase where Int(tokens[k].end) <= byte {
            guard tokens.isWord(k), QuoteLexicon.institutions.contains(tokens.key(k)) else { return false }
        }
        return true
    }
}
