/// Turns found quotations into record mentions: each speaker and source resolved to the named
/// entity it overlaps, token ranges turned into text and Unicode-scalar offsets.
struct QuoteOutput {
    let tokens: QuoteTokens
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
            return Draft(words: tokens.byteRange(quote.words), form: quote.form,
                         speaker: a.flatMap { resolve($0.speaker, clause: $0.clause) },
                         source: a.flatMap { a in a.source.flatMap { resolve($0, clause: a.clause) } },
                         verb: a?.verb.map { tokens.text($0) })
        }
        drafts.sort { $0.words.lowerBound < $1.words.lowerBound }

        // Scalar offsets of every byte offset used, counted in one forward pass.
        var offsets: [Int] = []
        for d in drafts {
            offsets += [d.words.lowerBound, d.words.upperBound]
            if let s = d.speaker { offsets += [s.bytes.lowerBound, s.bytes.upperBound] }
            if let s = d.source { offsets += [s.bytes.lowerBound, s.bytes.upperBound] }
        }
        offsets.sort()
        var scalarOf: [Int: Int] = [:]
        scalarOf.reserveCapacity(offsets.count)
        var countedBytes = 0, countedScalars = 0
        for byte in offsets where scalarOf[byte] == nil {
            countedScalars += tokens.scalarCount(from: countedBytes, to: byte)
            countedBytes = byte
            scalarOf[byte] = countedScalars
        }
        func speaker(_ s: (bytes: Range<Int>, entity: EntityType?)?) -> QuoteSpeaker? {
            s.map { QuoteSpeaker(text: tokens.text(bytes: $0.bytes), start: scalarOf[$0.bytes.lowerBound]!,
                                 end: scalarOf[$0.bytes.upperBound]!, entity: $0.entity) }
        }
        return drafts.map { d in
            QuoteMention(text: tokens.text(bytes: d.words), start: scalarOf[d.words.lowerBound]!, end: scalarOf[d.words.upperBound]!,
                         form: d.form, speaker: speaker(d.speaker), verb: d.verb, source: speaker(d.source))
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
            guard tokens.isWord(k), QuoteLexicon.institutions.contains(tokens[k].key) else { return false }
        }
        return true
    }
}
