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
            var form: QuoteForm
            var speaker: (bytes: Range<Int>, entity: EntityType?)?
            var source: (bytes: Range<Int>, entity: EntityType?)?
            var verb: String?
        }
        var drafts: [Draft] = found.map { quote in
            let a = quote.attribution
            return Draft(
                words: tokens.byteRange(quote.words), form: quote.form,
                speaker: a.flatMap { resolve($0.speaker, clause: $0.clause) },
                source: a.flatMap { a in a.source.flatMap { resolve($0, clause: a.clause) } },
                verb: a?.verb.map { tokens.text($0) })
        }
        drafts.sort { $0.words.lowerBound < $1.words.lowerBound }

        // Scalar offsets of every byte offset used, counted in one forward pass over the
        // offsets in order; each lands in its draft's slot (words, speaker, source: start and
        // end), so no lookup table is built: a hash map of every offset missed the cache once
        // per quotation and dominated texts of thousands of them.
        var wanted: [(byte: Int, slot: Int)] = []
        wanted.reserveCapacity(drafts.count * 2)
        for (k, d) in drafts.enumerated() {
            wanted.append((d.words.lowerBound, 6 * k))
            wanted.append((d.words.upperBound, 6 * k + 1))
            if let s = d.speaker { wanted += [(s.bytes.lowerBound, 6 * k + 2), (s.bytes.upperBound, 6 * k + 3)] }
            if let s = d.source { wanted += [(s.bytes.lowerBound, 6 * k + 4), (s.bytes.upperBound, 6 * k + 5)] }
        }
        wanted.sort { $0.byte < $1.byte }
        var scalarAt = [Int](repeating: 0, count: 6 * drafts.count)
        var offsets = tokens.scalarOffsets
        for w in wanted { scalarAt[w.slot] = offsets.offset(ofByte: w.byte) }
        func speaker(_ s: (bytes: Range<Int>, entity: EntityType?)?, slot: Int) -> QuoteSpeaker? {
            s.map { QuoteSpeaker(text: tokens.text(bytes: $0.bytes), start: scalarAt[slot], end: scalarAt[slot + 1], entity: $0.entity) }
        }
        return drafts.enumerated().map { k, d in
            QuoteMention(
                text: tokens.text(bytes: d.words), start: scalarAt[6 * k], end: scalarAt[6 * k + 1], form: d.form,
                speaker: speaker(d.speaker, slot: 6 * k + 2), verb: d.verb, source: speaker(d.source, slot: 6 * k + 4))
        }
    }

    /// A phrase overlapping a PER mention is that person ("глава МИД Сергей Лавров" → "Сергей
    /// Лавров"); one that is an organisation, or an outlet or office noun before its name
    /// ("телеканал CNN", "пресс-служба Кремля"), is the ORG; "глава МИД" is a person and keeps
    /// its words. Without a phrase, the first person or organisation named in the clause.
    private func resolve(_ phrase: Range<Int>?, clause: Range<Int>) -> (bytes: Range<Int>, entity: EntityType?)? {
        guard let phrase, !phrase.isEmpty else {
            guard !clause.isEmpty, !entities.isEmpty else { return nil }
            let hits = entities.overlapping(tokens.byteRange(clause))
            guard let hit = hits.first(where: { $0.type == .person }) ?? hits.first(where: { $0.type == .organization }) else { return nil }
            return (hit.bytes, hit.type)
        }
        let bytes = tokens.byteRange(phrase)
        guard !entities.isEmpty else { return (bytes, nil) }
        let hits = entities.overlapping(bytes)
        if let person = hits.first(where: { $0.type == .person }) { return (person.bytes, .person) }
        for hit in hits where hit.type != .person && onlyInstitutionsBefore(hit.bytes.lowerBound, in: phrase) {
            if hit.type == .organization || hit.bytes.lowerBound <= bytes.lowerBound { return (hit.bytes, hit.type) }
        }
        return (bytes, nil)
    }

    private func onlyInstitutionsBefore(_ byte: Int, in phrase: Range<Int>) -> Bool {
        for k in phrase where Int(tokens[k].end) <= byte {
            guard tokens.isWord(k), QuoteLexicon.institutions.contains(tokens.key(k)) else { return false }
        }
        return true
    }
}
