/// The nominative form of a named-entity mention, as a news editor writes it: "Николаса Мадуро" →
/// "Николас Мадуро", "Национальной ассамблеи Венесуэлы" → "Национальная ассамблея Венесуэлы",
/// "в Нижнем Новгороде" → "Нижний Новгород". Abbreviations, Latin words, numbers and quoted names
/// stay as written.
///
/// A person's name is a run of words in one case and gender (first name, patronymic, surname), so
/// every word goes to the nominative. An organisation or place is a noun phrase: its leading
/// adjectives and head noun go to the nominative and agree with the head, and what follows the
/// head (genitive dependents, "Совета Федерации", "ассамблеи Венесуэлы") stays as it is: the
/// position of the head does the work natasha needs a syntax parser for.
public struct NameNormalizer: Sendable {
    public enum Kind: Sendable {
        case person, organisation, location
    }

    public let dictionary: RussianDictionary
    private let g: Tags
    private let prepositions: [String: [Grammemes]]

    public init(dictionary: RussianDictionary) {
        self.dictionary = dictionary
        g = Tags(dictionary.grammemes)
        prepositions = prepositionCases(g)
    }

    /// The grammemes the normalizer reasons with.
    struct Tags: Sendable {
        let nomn, gent, datv, accs, ablt, loct, voct, gen2, loc2: Grammemes
        let masc, femn, neut, msf, sing, plur: Grammemes
        let noun, adjf, prtf, name, surn, patr, fixd, abbr, anim, pltm, geox, orgn, verb, past: Grammemes
        let cases: [Grammemes]

        init(_ n: GrammemeNames) {
            nomn = n["nomn"]
            gent = n["gent"]
            datv = n["datv"]
            accs = n["accs"]
            ablt = n["ablt"]
            loct = n["loct"]
            voct = n["voct"]
            gen2 = n["gen2"]
            loc2 = n["loc2"]
            masc = n["masc"]
            femn = n["femn"]
            neut = n["neut"]
            msf = n["ms-f"]
            sing = n["sing"]
            plur = n["plur"]
            noun = n["NOUN"]
            adjf = n["ADJF"]
            prtf = n["PRTF"]
            name = n["Name"]
            surn = n["Surn"]
            patr = n["Patr"]
            fixd = n["Fixd"]
            abbr = n["Abbr"]
            anim = n["anim"]
            pltm = n["Pltm"]
            geox = n["Geox"]
            orgn = n["Orgn"]
            verb = n["VERB"]
            past = n["past"]
            cases = [nomn, gent, datv, accs, ablt, loct]
        }

        func caseOf(_ tag: Grammemes) -> Grammemes {
            if tag.contains(gen2) { return gent }
            if tag.contains(loc2) { return loct }
            return cases.first { tag.contains($0) } ?? .none
        }
    }

    /// What the words around a mention say about its case: a preposition before it ("у", "к",
    /// "с", "о") or a noun it stands in apposition to ("министра Лаврова").
    public struct Context: Sendable {
        public var before: String?
        /// The word after it: a verb in the past tense gives a person's gender ("заявила").
        public var after: String?

        public init(before: String? = nil, after: String? = nil) {
            self.before = before
            self.after = after
        }

        /// The words next to `text[start..<end]` (Unicode scalar offsets), across spaces only.
        public init(around start: Int, _ end: Int, in text: [Unicode.Scalar]) {
            var b = min(start, text.count)
            while b > 0 && isSpace(text[b - 1]) { b -= 1 }
            var a = b
            while a > 0 && b - a < 32 && isLetter(text[a - 1]) { a -= 1 }
            before = a < b ? String(String.UnicodeScalarView(text[a..<b])) : nil
            var c = max(0, end)
            while c < text.count && isSpace(text[c]) { c += 1 }
            var d = c
            while d < text.count && d - c < 32 && isLetter(text[d]) { d += 1 }
            after = c < d ? String(String.UnicodeScalarView(text[c..<d])) : nil
        }
    }

    /// Mentions repeat with the same words around them ("в России", "президент России").
    private let results = SharedCache<String>(limit: 100_000)

    public func normal(of mention: String, kind: Kind, context: Context = Context()) -> String {
        var key = context.before ?? ""
        key.append(kind == .person ? "\u{1}" : kind == .organisation ? "\u{2}" : "\u{3}")
        key.append(context.after ?? "")
        key.append("\u{1}")
        key.append(mention)
        if let known = results[key] { return known }
        let normal = work(mention, kind: kind, context: context)
        results[key] = normal
        return normal
    }

    private func work(_ mention: String, kind: Kind, context: Context) -> String {
        var words = NameWords(mention)
        guard !words.items.isEmpty else { return mention }
        let hint = caseHint(context.before)
        switch kind {
        case .person:
            // A past-tense verb right after a name agrees with it when the name is its subject,
            // not when the name hangs on a noun before it ("администрация Трампа подтвердила").
            let dependent =
                context.before.map { before in dictionary.parses(of: before).first.map { $0.tag.contains(g.noun) && !$0.predicted } ?? false
                } ?? false
            normalizePerson(&words, hint: hint, gender: dependent ? nil : genderHint(context.after))
        case .organisation: normalizePhrase(&words, hint: hint, proper: g.orgn)
        case .location: normalizePhrase(&words, hint: hint, proper: g.geox)
        }
        return words.joined()
    }

    /// The readings of a word worth inflecting: none for abbreviations, Latin words, numbers and
    /// words inside quotes. A double name the dictionary lacks declines in its last part
    /// ("Сент-Луиса", "Шлезвиг-Гольштейне"): its readings, and the rest of the word kept before.
    private func readings(_ word: NameWords.Word) -> (parses: [WordParse], prefix: String)? {
        guard word.isInflectable else { return nil }
        let parses = dictionary.parses(of: word.text)
        if !parses.isEmpty { return (parses, "") }
        guard let cut = word.text.unicodeScalars.lastIndex(of: "-") else { return nil }
        let last = String(word.text.unicodeScalars[word.text.unicodeScalars.index(after: cut)...])
        guard isNamePart(last) else { return nil }
        // A guess that the last part in -а is a man's genitive is a coin toss there ("Эр-Ракка",
        // "Кастилия-Ла-Манча" are nominatives): only the dictionary's word says so ("Скотланд-Ярда").
        let lastParses = dictionary.parses(of: last).filter { !$0.predicted || !last.endsWith("а") }
        let prefix = String(String.UnicodeScalarView(word.text.unicodeScalars[...cut].map(lowercase)))
        return lastParses.isEmpty ? nil : (lastParses, prefix)
    }

    // MARK: persons

    /// One way to read a word of a person's name: its case and gender, and its nominative.
    private struct NameReading {
        /// How to get the nominative, made only for the reading chosen.
        enum Form {
            case written(String)
            case inflected(WordParse, like: Grammemes, fallback: String)
        }

        let grammaticalCase: Grammemes
        /// Empty for words of either gender (indeclinable names, "Саша").
        let gender: Grammemes
        let form: Form
        /// 3: the dictionary knows it as a name, 2: as another noun, 1: a guess; one more for the
        /// word's usual reading.
        let weight: Int
    }

    private func normalizePerson(_ words: inout NameWords, hint: [Grammemes], gender genderHint: Grammemes?) {
        let indices = words.items.indices.filter { words.items[$0].isInflectable }
        guard !indices.isEmpty else { return }
        // A double name the dictionary lacks declines part by part ("Мигеля Диас-Канеля",
        // "Жан-Жака", "Стросс-Кана", "Джона Хантсмана-младшего"); particles stay ("аль-", "ибн").
        var parts: [Int: [String]] = [:]
        var units: [(index: Int, part: Int?, text: String, position: NamePosition, optional: Bool)] = []
        for (position, index) in indices.enumerated() {
            let text = words.items[index].text
            let place: NamePosition = indices.count == 1 ? .only : position == 0 ? .first : position == indices.count - 1 ? .last : .middle
            guard text.unicodeScalars.contains("-"), dictionary.parses(of: text).isEmpty else {
                units.append((index, nil, text, place, false))
                continue
            }
            let pieces = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            parts[index] = pieces
            for (part, piece) in pieces.enumerated() where isNamePart(piece) {
                // The first part of a double surname may decline or not ("Диаса-Канеля", "Диас-Канеля").
                let last = part == pieces.count - 1
                units.append((index, part, piece, last || place == .first ? place : .middle, !last && place != .first))
            }
        }
        guard !units.isEmpty else { return }
        // A Japanese name ends in a vowel: its word in -а is a nominative ("Мисао Окава", "Сюдзи
        // Накамура"), not the genitive of a name in a consonant the endings table takes it for.
        let japanese = units.count >= 2 && units.allSatisfy { japaneseSyllables($0.text) } && units.contains { japaneseMark($0.text) }
        let readings = units.map { unit in
            japanese && unit.text.endsWith("а") && dictionary.parses(of: unit.text).allSatisfy(\.predicted)
                ? [NameReading(grammaticalCase: g.nomn, gender: .none, form: .written(unit.text), weight: 1)]
                : nameReadings(unit.text, position: unit.position)
        }
        // The case and gender that most words can have (name readings weigh most); on a tie, the
        // context's case and gender, then a woman's nominative when two words say so ("Алина
        // Загитова"), else a man: most people in the news are, and "Роберта Кеннеди", "Медведева"
        // are far more often his genitive than her nominative.
        let feminineWords = readings.filter { options in
            options.contains { $0.gender == g.femn && $0.grammaticalCase == g.nomn && $0.weight >= 2 }
        }.count
        let genderOrder =
            genderHint.map { [$0, $0 == g.masc ? g.femn : g.masc] } ?? (feminineWords >= 2 ? [g.femn, g.masc] : [g.masc, g.femn])
        var best: (score: Int, rank: Int, grammatical: Grammemes, gender: Grammemes)?
        let optionalUnits = units.map(\.optional)
        let caseOrder = hint + g.cases.filter { c in !hint.contains(c) }
        for (caseRank, grammaticalCase) in caseOrder.enumerated() {
            for (genderRank, gender) in genderOrder.enumerated() {
                // The verb after a name agrees with it only when the name is its subject: "Медведева
                // заявила" is her nominative; "Дональда Трампа подтвердила" says nothing of him.
                if let genderHint, grammaticalCase == g.nomn, gender != genderHint { continue }
                // A word with no reading of that case and gender counts against it: "Эда Гонсалеса"
                // is not a woman's nominative when "Гонсалеса" can only be his genitive.
                let score =
                    readings.indices.reduce(0) { sum, unit in
                        let options = readings[unit]
                        let fit = options.filter { matches($0, grammaticalCase, gender) }.map(\.weight).max()
                        return sum + (fit ?? (options.isEmpty || optionalUnits[unit] ? 0 : -3))
                    } + (genderHint != nil && grammaticalCase == g.nomn ? 2 : 0)
                let rank =
                    (hint.contains(grammaticalCase) ? 0 : 100) + (genderHint != nil && grammaticalCase == g.nomn ? 0 : 50) + genderRank * 10
                    + caseRank
                if best == nil || score > best!.score || (score == best!.score && rank < best!.rank) {
                    best = (score, rank, grammaticalCase, gender)
                }
            }
        }
        guard let choice = best else { return }
        // East Asian names: short syllables that do not decline, then one that does.
        let syllables = units.dropLast().allSatisfy { $0.text.count <= 4 }
        func replace(_ unit: (index: Int, part: Int?, text: String, position: NamePosition, optional: Bool), with form: String) {
            guard let part = unit.part, var pieces = parts[unit.index] else {
                words.items[unit.index].replace(with: form)
                return
            }
            pieces[part] = NameWords.Word.casing(form, like: unit.text)
            parts[unit.index] = pieces
            words.items[unit.index].text = pieces.joined(separator: "-")
        }
        for (position, unit) in units.enumerated() {
            let options = readings[position]
            let fitting = options.filter { matches($0, choice.grammatical, choice.gender) }
            // Of two surnames the dictionary reads a woman's oblique form as, the one declined as an
            // adjective ("Ириной Яровой": "Яровая", not "Ярова").
            if let reading = fitting.max(by: { a, b in
                let (x, y) = (adjectival(a) ? 1 : 0, adjectival(b) ? 1 : 0)
                return a.weight + x < b.weight + y || a.weight + x == b.weight + y && x < y
            }) {
                replace(unit, with: nominative(reading))
            } else if syllables, position == units.count - 1, position > 0,
                !options.contains(where: { matches($0, g.nomn, choice.gender) }),
                let reading = options.filter({ $0.gender == choice.gender }).max(by: { $0.weight < $1.weight })
            {
                // "Ким Чен Ына", "Дэн Сяопина": the first names do not decline, the last does.
                replace(unit, with: nominative(reading))
            }
        }
    }

    /// Open syllables as Russian spells Japanese: a consonant (doubled, or "дз", "ц") or none, then
    /// a vowel; "н" and "й" may close one. No "л", "е", "ж", "ш", "ч", "щ", "ы", "ь".
    private func japaneseSyllables(_ word: String) -> Bool {
        let onsets = "кгсдтцнхфбпмрвйз".unicodeScalars
        let vowels = "аиуэоёюя".unicodeScalars
        var previous: Unicode.Scalar?
        var consonants = 0
        for scalar in word.unicodeScalars.map(lowercase) {
            if vowels.contains(scalar) {
                consonants = 0
            } else if onsets.contains(scalar) {
                let closing = (scalar == "н" || scalar == "й") && previous.map { vowels.contains($0) } == true
                if !closing {
                    consonants += 1
                    // "дз", or a doubled consonant ("Хоккайдо"); "з" only after "д".
                    if consonants == 2 && !(previous == "д" && scalar == "з") && previous != scalar { return false }
                    if consonants > 2 || (scalar == "з" && previous != "д") { return false }
                }
            } else {
                return false
            }
            previous = scalar
        }
        // Two syllables at least: "Дэн Сяопина" is Chinese, and declines.
        let syllables = word.unicodeScalars.filter { vowels.contains(lowercase($0)) }.count
        return syllables >= 2 && (consonants == 0 || previous == "н")
    }

    /// What only a Japanese name spells so: "си", "ти", "дз", "цу", a consonant before "э", a
    /// final "-ио", "-ао" ("Юкио", "Мисао").
    private func japaneseMark(_ word: String) -> Bool {
        let lower = String(String.UnicodeScalarView(word.unicodeScalars.map(lowercase)))
        if ["си", "ти", "дз", "цу"].contains(where: { lower.contains($0) }) || lower.endsWith("ио") || lower.endsWith("ао") { return true }
        let scalars = Array(lower.unicodeScalars)
        return scalars.indices.dropFirst().contains { scalars[$0] == "э" && "кгсдтнхмрбп".unicodeScalars.contains(scalars[$0 - 1]) }
    }

    /// A part of a double name that declines: a capitalised word of two letters or more, or a
    /// longer lower-case one ("младшего"); not a particle ("аль", "ибн", "ас").
    private func isNamePart(_ piece: String) -> Bool {
        guard let first = piece.unicodeScalars.first, piece.unicodeScalars.count >= 2 else { return false }
        return isUppercase(first) ? piece.unicodeScalars.count >= 3 : piece.unicodeScalars.count >= 5
    }

    private func adjectival(_ reading: NameReading) -> Bool {
        guard case .inflected(let parse, _, _) = reading.form, parse.tag.contains(g.surn), parse.tag.contains(g.femn),
            !parse.tag.contains(g.nomn)
        else { return false }
        let lemma = dictionary.lemma(parse)
        return lemma.endsWith("ой") || lemma.endsWith("ий") || lemma.endsWith("ый")
    }

    private func nominative(_ reading: NameReading) -> String {
        switch reading.form {
        case .written(let text): text
        case .inflected(let parse, let like, let fallback): dictionary.inflect(parse, to: g.nomn.union(g.sing), like: like) ?? fallback
        }
    }

    private func matches(_ reading: NameReading, _ grammaticalCase: Grammemes, _ gender: Grammemes) -> Bool {
        (reading.grammaticalCase == grammaticalCase || reading.grammaticalCase.isEmpty)
            && (reading.gender.isEmpty || reading.gender == gender)
    }

    /// Where a word stands in a person's name: a first word is more likely a first name, a last
    /// one a surname ("Аделина Сотникова" is her name, not the genitive of a surname "Аделин").
    private enum NamePosition {
        case only, first, middle, last
    }

    private func nameReadings(_ word: String, position: NamePosition) -> [NameReading] {
        var out = readings(ofNameWord: word, position: position)
        // A woman's surname ending in a consonant does not decline ("Анна Франк", "Серена
        // Уильямс"): a reading of no weight, so that her name is not counted out.
        if position == .last, let last = word.unicodeScalars.last.map(lowercase),
            "бвгджзклмнпрстфхцчшщ".unicodeScalars.contains(last),
            !out.contains(where: { $0.grammaticalCase == g.nomn && $0.gender != g.masc })
        {
            out.append(NameReading(grammaticalCase: g.nomn, gender: g.femn, form: .written(word), weight: 0))
        }
        return out
    }

    private func readings(ofNameWord word: String, position: NamePosition) -> [NameReading] {
        let parses = dictionary.parses(of: word)
        let known = parses.filter { !$0.predicted }
        let nameTags = g.name.union(g.surn).union(g.patr)
        var out: [NameReading] = []
        if !known.isEmpty {
            for parse in known where parse.tag.contains(g.sing) || parse.tag.contains(g.fixd) {
                // The usual reading of the word counts a little more ("Дмитрия" is his genitive),
                // and so does the kind of name the word's place calls for.
                let usual =
                    (parse == known[0] ? 1 : 0)
                    + (position == .first && parse.tag.contains(g.name) || position == .last && parse.tag.contains(g.surn) ? 1 : 0)
                guard parse.tag.contains(g.noun) || parse.tag.contains(g.surn) || parse.tag.contains(g.adjf) else { continue }
                let genders =
                    parse.tag.contains(g.msf) || parse.tag.contains(g.fixd) && !parse.tag.intersects(g.masc.union(g.femn))
                    ? [g.masc, g.femn] : [parse.tag.intersection(g.masc.union(g.femn).union(g.neut))]
                for gender in genders {
                    out.append(
                        NameReading(
                            grammaticalCase: parse.tag.contains(g.fixd) ? .none : g.caseOf(parse.tag), gender: gender,
                            form: parse.tag.contains(g.fixd)
                                ? .written(word) : .inflected(parse, like: parse.tag.subtracting(g.msf).union(gender), fallback: word),
                            weight: usual + (parse.tag.intersects(nameTags) ? 3 : parse.tag.contains(g.noun) ? 2 : 1)))
                }
            }
            // A first name the dictionary knows only as a woman's ("Эда") may be the genitive of a
            // man's it lacks ("Эд"): the surname's case then decides ("Эда Гонсалеса").
            if position == .first, word.endsWith("а"), !out.contains(where: { $0.gender == g.masc && $0.grammaticalCase == g.gent }) {
                let scalars = Array(word.unicodeScalars)
                if scalars.count >= 3, "бвгджзклмнпрстфхцчшщ".unicodeScalars.contains(lowercase(scalars[scalars.count - 2])) {
                    let stem = String(String.UnicodeScalarView(scalars.dropLast()))
                    for grammaticalCase in [g.gent, g.accs] {
                        out.append(NameReading(grammaticalCase: grammaticalCase, gender: g.masc, form: .written(stem), weight: 1))
                    }
                }
            }
            return out
        }
        if let surname = surnameReadings(word) { return surname }
        // A foreign man's first name ending in a consonant is in the nominative ("Джейкоб Зума").
        if position == .first, let last = word.unicodeScalars.last.map(lowercase), "бвгджзклмнпрстфхцчшщ".unicodeScalars.contains(last) {
            out.append(NameReading(grammaticalCase: g.nomn, gender: g.masc, form: .written(word), weight: 1))
        }
        for parse in parses where parse.tag.contains(g.noun) && parse.tag.contains(g.sing) && trustsGuess(parse, person: true) {
            let lemma = dictionary.lemma(parse)
            // Men's names in -а decline as women's do ("Нельсона Манделы", "Степана Бандеры").
            let eitherGender = lemma.endsWith("а") || lemma.endsWith("я")
            out.append(
                NameReading(
                    grammaticalCase: g.caseOf(parse.tag),
                    gender: eitherGender ? .none : parse.tag.intersection(g.masc.union(g.femn).union(g.neut)),
                    form: .inflected(parse, like: parse.tag, fallback: word), weight: 1))
        }
        // Foreign names declined as masculine nouns, where the endings table has no noun for them:
        // "Фридкином", "Комбсу" (and "Роналду", which is as likely its own nominative).
        let scalars = Array(word.unicodeScalars)
        let consonants = "бвгджзклмнпрстфхцчшщ".unicodeScalars
        func stem(dropping count: Int) -> String? {
            guard scalars.count > count + 2, consonants.contains(lowercase(scalars[scalars.count - count - 1])) else { return nil }
            return String(String.UnicodeScalarView(scalars.dropLast(count)))
        }
        if word.endsWith("ом"), let stem = stem(dropping: 2), !out.contains(where: { $0.grammaticalCase == g.ablt }) {
            out.append(NameReading(grammaticalCase: g.ablt, gender: g.masc, form: .written(stem), weight: 1))
        }
        // A man's name in -ль, -юнь declined: "Канеля", "Цзюня" (the endings table reads a woman's "Канеля").
        if word.endsWith("ля") || word.endsWith("юня"), position != .first, scalars.count > 4,
            !out.contains(where: { $0.grammaticalCase == g.gent && $0.gender == g.masc })
        {
            let stem = String(String.UnicodeScalarView(scalars.dropLast())) + "ь"
            for grammaticalCase in [g.gent, g.accs] {
                out.append(NameReading(grammaticalCase: grammaticalCase, gender: g.masc, form: .written(stem), weight: 1))
            }
        }
        if word.endsWith("у"), let stem = stem(dropping: 1), !out.contains(where: { $0.grammaticalCase == g.datv }) {
            out.append(NameReading(grammaticalCase: g.datv, gender: g.masc, form: .written(stem), weight: 1))
            out.append(NameReading(grammaticalCase: g.nomn, gender: .none, form: .written(word), weight: 1))
        }
        // A man's name in -ай, -ей, -ой declined: "Хамида Карзая", "Стивену Фраю".
        if position != .first, scalars.count >= 4, "аеоу".unicodeScalars.contains(lowercase(scalars[scalars.count - 2])) {
            let stem = String(String.UnicodeScalarView(scalars.dropLast())) + "й"
            let cases = word.endsWith("я") ? [g.gent, g.accs] : word.endsWith("ю") ? [g.datv] : []
            for grammaticalCase in cases where !out.contains(where: { $0.grammaticalCase == grammaticalCase && $0.gender != g.femn }) {
                out.append(NameReading(grammaticalCase: grammaticalCase, gender: g.masc, form: .written(stem), weight: 1))
            }
        }
        // A name in -а declined as a woman's is, whoever bears it ("Степана Бандеры", "Эмира
        // Кустурицу"); the endings table often reads a plural or a man's name there instead.
        if let stem = stem(dropping: 1), scalars.count > 3 {
            let hard = !"гкхжшчщ".unicodeScalars.contains(lowercase(scalars[scalars.count - 2]))
            if word.endsWith("ы"), hard, !out.contains(where: { $0.grammaticalCase == g.gent }) {
                out.append(NameReading(grammaticalCase: g.gent, gender: .none, form: .written(stem + "а"), weight: 1))
            }
            // Not a first name: "Рикарду", "Криштиану" do not decline.
            if word.endsWith("у"), position == .last || position == .only,
                !out.contains(where: { $0.grammaticalCase == g.accs && $0.gender.isEmpty })
            {
                out.append(NameReading(grammaticalCase: g.accs, gender: .none, form: .written(stem + "а"), weight: 1))
            }
        }
        return out
    }

    /// A Russian surname the dictionary lacks, by its suffix: -ов/-ев/-ин/-ын/-ив declines as
    /// "Хабиров": masculine -а, -у, -ым, -е; feminine -а, -ой, -у.
    private func surnameReadings(_ word: String) -> [NameReading]? {
        let lower = String(String.UnicodeScalarView(word.unicodeScalars.map(lowercase)))
        // Surnames in -ский/-цкий decline as adjectives: "Хржановским", "Цехановского", "Липницкой".
        for stemEnd in ["ск", "цк"] {
            for (ending, readings) in [
                ("ий", [(g.nomn, g.masc, "ий")]), ("ого", [(g.gent, g.masc, "ий"), (g.accs, g.masc, "ий")]),
                ("ому", [(g.datv, g.masc, "ий")]),
                ("им", [(g.ablt, g.masc, "ий")]), ("ом", [(g.loct, g.masc, "ий")]), ("ая", [(g.nomn, g.femn, "ая")]),
                ("ой", [g.gent, g.datv, g.ablt, g.loct].map { ($0, g.femn, "ая") }), ("ую", [(g.accs, g.femn, "ая")]),
            ] where lower.endsWith(stemEnd + ending) {
                let stem = String(String.UnicodeScalarView(word.unicodeScalars.dropLast(ending.unicodeScalars.count)))
                return readings.map { NameReading(grammaticalCase: $0.0, gender: $0.1, form: .written(stem + $0.2), weight: 2) }
            }
        }
        // And the Ukrainian -ів, written -ив in Russian ("Виталия Маркива" → "Маркив").
        for stemEnd in ["ов", "ев", "ёв", "ин", "ын", "ив"] {
            for (ending, grammaticalCase, gender) in [
                ("", g.nomn, g.masc), ("а", g.gent, g.masc), ("у", g.datv, g.masc), ("ым", g.ablt, g.masc), ("е", g.loct, g.masc),
                ("а", g.nomn, g.femn), ("ой", g.gent, g.femn), ("у", g.accs, g.femn),
            ] where lower.endsWith(stemEnd + ending) {
                let stem = String(word.dropLast(ending.count))
                let readings: [(Grammemes, Grammemes, String)] =
                    switch (ending, gender) {
                    case ("а", _): [(g.gent, g.masc, stem), (g.accs, g.masc, stem), (g.nomn, g.femn, word)]
                    case ("у", _): [(g.datv, g.masc, stem), (g.accs, g.femn, stem + "а")]
                    case ("ой", _): [g.gent, g.datv, g.ablt, g.loct].map { ($0, g.femn, stem + "а") }
                    default: [(grammaticalCase, gender, stem)]
                    }
                return readings.map { NameReading(grammaticalCase: $0.0, gender: $0.1, form: .written($0.2), weight: 2) }
            }
        }
        return nil
    }

    private func fits(_ tag: Grammemes, _ grammaticalCase: Grammemes, _ gender: Grammemes) -> Bool {
        guard g.caseOf(tag) == grammaticalCase || tag.contains(g.fixd) else { return false }
        return tag.contains(gender) || tag.contains(g.msf) || !tag.intersects(g.masc.union(g.femn).union(g.neut))
    }

    // MARK: organisations and places

    private func normalizePhrase(_ words: inout NameWords, hint: [Grammemes], proper: Grammemes) {
        // The leading run: words whose usual reading is an adjective ("и" may join them), then
        // the head noun ("сборной России": "сборная" is usually the team, a noun).
        var adjectives: [(index: Int, parses: [WordParse])] = []
        var head: (index: Int, parses: [WordParse])?
        var prefixes: [Int: String] = [:]
        for index in words.items.indices {
            if words.items[index].isConjunction && !adjectives.isEmpty { continue }
            guard let found = readings(words.items[index]) else { break }
            let parses = found.parses.filter { !$0.predicted || trustsGuess($0) }
            guard let usual = parses.first else { break }
            if !found.prefix.isEmpty { prefixes[index] = found.prefix }
            // A word that is usually a noun is an adjective before a common noun it agrees with
            // ("Мёртвом море"), not before a name ("сборной России").
            let beforeCommonNoun =
                index + 1 < words.items.count && words.items[index + 1].isInflectable
                && words.items[index + 1].original.unicodeScalars.first.map(isLowercase) == true
                && parses.contains(where: { isAdjective($0.tag) })
            if (isAdjective(usual.tag) || beforeCommonNoun) && index + 1 < words.items.count {
                adjectives.append((index, parses))
                continue
            }
            if parses.contains(where: { $0.tag.contains(g.noun) }) {
                // A place's or organisation's own reading, when it has one: "Рима" is Rome,
                // "Германию" Germany (not the element's dative).
                let own = parses.filter { $0.tag.contains(proper) }
                head = (index, own.isEmpty ? parses : own)
            }
            break
        }
        // An adjective run without a noun after it ("лондонского"): its last word may be the head.
        if head == nil, let last = adjectives.last, last.parses.contains(where: { $0.tag.contains(g.noun) }) {
            head = adjectives.removeLast()
        }
        guard let head else { return }
        // The first (case, number) in which every word of the run has a reading that agrees with
        // a reading of the head: the singular before the plural ("правительства", "Германии"),
        // the nominative first, then the context's case.
        let oblique = hint.filter { $0 != g.nomn } + g.cases.filter { $0 != g.nomn && !hint.contains($0) }
        var order = [(g.nomn, g.sing)] + oblique.map { ($0, g.sing) } + [(g.nomn, g.plur)] + oblique.map { ($0, g.plur) }
        // A name whose usual reading is a plural nominative stays one ("Известия", "Ведомости").
        if let usual = head.parses.first, usual.tag.contains(g.nomn), usual.tag.contains(g.plur), adjectives.isEmpty {
            order.insert((g.nomn, g.plur), at: 0)
        }
        for (grammaticalCase, number) in order {
            for headParse in head.parses where headParse.tag.contains(g.noun) && fitsPhrase(headParse.tag, grammaticalCase, number) {
                let gender = headParse.tag.intersection(g.masc.union(g.femn).union(g.neut))
                func agreeing(_ parses: [WordParse]) -> WordParse? {
                    parses.first {
                        isAdjective($0.tag) && fitsPhrase($0.tag, grammaticalCase, number)
                            && (number == g.plur || gender.isEmpty || $0.tag.contains(gender))
                    }
                }
                let chosen = adjectives.compactMap { agreeing($0.parses) }
                guard chosen.count == adjectives.count else { continue }
                if grammaticalCase == g.nomn { return }
                // An adjective that ends the name and agrees with the head goes too ("Республики
                // Сербской"; not "ассамблеи народной власти").
                var following: [(index: Int, parse: WordParse)] = []
                if head.index + 2 == words.items.count, let found = readings(words.items[head.index + 1]), found.prefix.isEmpty,
                    let parse = agreeing(found.parses), isAdjective(found.parses[0].tag)
                {
                    following.append((head.index + 1, parse))
                }
                let headNumber = headParse.tag.contains(g.plur) ? g.plur : g.sing
                let agreement = headNumber == g.plur ? g.plur : g.sing.union(gender)
                for (index, parse) in zip(adjectives.map(\.index), chosen) + following {
                    if let form = dictionary.inflect(parse, to: g.nomn.union(agreement), like: parse.tag) {
                        words.items[index].replace(with: (prefixes[index] ?? "") + form)
                    }
                }
                if !headParse.tag.contains(g.fixd),
                    let form = dictionary.inflect(headParse, to: g.nomn.union(headNumber), like: headParse.tag)
                {
                    let prefix = prefixes[head.index].map { declined($0, grammaticalCase, headNumber) } ?? ""
                    words.items[head.index].replace(with: prefix + form)
                }
                return
            }
        }
    }

    /// The first part of a double noun declines with the last when the dictionary has it in the
    /// same case and number ("Школу-студию", "Братьев-мусульман"); else it stays ("Баня-Луке").
    private func declined(_ prefix: String, _ grammaticalCase: Grammemes, _ number: Grammemes) -> String {
        let first = String(String.UnicodeScalarView(prefix.unicodeScalars.dropLast()))
        guard grammaticalCase != g.nomn, first.unicodeScalars.count >= 3, !first.unicodeScalars.contains("-"),
            let parse = dictionary.parses(of: first).first(where: {
                !$0.predicted && $0.tag.contains(g.noun) && fitsPhrase($0.tag, grammaticalCase, number)
            }),
            let form = dictionary.inflect(parse, to: g.nomn.union(number), like: parse.tag)
        else { return prefix }
        return form + "-"
    }

    /// A guessed reading is used only where the ending leaves no doubt: a consonant-final name
    /// declined as a masculine noun ("Николаса", "Неймара", "Ньюарком"), a feminine in -а/-я in
    /// an oblique case ("Ндрангеты"), a surname in -ов/-ин ("Хабирова", "Хаматовой"). Foreign
    /// names in -и, -е, -у, -о do not decline ("Месси", "Бейонсе", "Аматэрасу").
    private func trustsGuess(_ parse: WordParse, person: Bool = false) -> Bool {
        let lemma = Array(dictionary.lemma(parse).unicodeScalars)
        guard let last = lemma.last else { return false }
        let word = parse.word
        let consonants = "бвгджзклмнпрстфхцчшщ".unicodeScalars
        let tail = String(String.UnicodeScalarView(word.suffix(2)))
        if consonants.contains(last) {
            let endings = person ? ["а", "ом", "ым", "ем"] : ["а", "у", "ом", "ым", "ем", "е"]
            return word.count > lemma.count && endings.contains { tail.endsWith($0) }
        }
        if last == "а" || last == "я" {
            let endings = person ? ["ы", "у", "ой", "ей"] : ["ы", "и", "у", "ю", "ой", "ей"]
            return word.starts(with: lemma.dropLast()) && word.count <= lemma.count + 1 && endings.contains { tail.endsWith($0) }
        }
        // "Скрипаля", "Диас-Канелем".
        if last == "ь" {
            return word.starts(with: lemma.dropLast()) && word.count > lemma.count - 1
                && (person ? ["я", "ем"] : ["я", "ю", "ем", "е"]).contains { tail.endsWith($0) }
        }
        // Adjectives: "Иллинойсского университета".
        if person { return false }
        return parse.tag.contains(g.adjf) && lemma.count >= 4
            && ["ий", "ый", "ой"].contains { String(String.UnicodeScalarView(lemma.suffix(2))) == $0 }
    }

    private func isAdjective(_ tag: Grammemes) -> Bool { tag.contains(g.adjf) || tag.contains(g.prtf) }

    private func fitsPhrase(_ tag: Grammemes, _ grammaticalCase: Grammemes, _ number: Grammemes) -> Bool {
        (g.caseOf(tag) == grammaticalCase || tag.contains(g.fixd)) && (tag.contains(number) || (number == g.plur && tag.contains(g.pltm)))
    }

    /// Dictionary readings before guesses; among those, the dictionary's order.
    private func preferred(_ parses: [WordParse]) -> WordParse? {
        parses.first { !$0.predicted } ?? parses.first
    }

    // MARK: context

    private func genderHint(_ after: String?) -> Grammemes? {
        guard let after, !after.isEmpty else { return nil }
        let genders = Set(
            dictionary.parses(of: after).filter { $0.tag.contains(g.verb) && $0.tag.contains(g.past) && !$0.predicted }
                .map { $0.tag.intersection(g.masc.union(g.femn)) })
        guard genders.count == 1, let only = genders.first, !only.isEmpty else { return nil }
        return only
    }

    private func caseHint(_ before: String?) -> [Grammemes] {
        guard let before, !before.isEmpty else { return [] }
        let lower = String(String.UnicodeScalarView(before.unicodeScalars.map(lowercase)))
        if let cases = prepositions[lower] { return cases }
        // A noun in apposition ("министра Лаврова", "президенту Путину") shares the case when the
        // dictionary gives it only one.
        let cases = Set(dictionary.parses(of: lower).filter { $0.tag.contains(g.noun) && !$0.predicted }.map { g.caseOf($0.tag) })
        if cases.count == 1, let only = cases.first, only != g.nomn, !only.isEmpty { return [only] }
        return []
    }
}

/// The cases a preposition governs, as far as names go.
private func prepositionCases(_ g: NameNormalizer.Tags) -> [String: [Grammemes]] {
    var table: [String: [Grammemes]] = [:]
    for (words, cases) in [
        ("у от до для без из около против вокруг после возле среди кроме", [g.gent]),
        ("к ко по благодаря согласно", [g.datv]),
        ("с со перед над под между за", [g.ablt]),
        ("о об при", [g.loct]),
        ("в во на", [g.loct, g.accs]),
        ("про через сквозь", [g.accs]),
    ] {
        for word in words.split(separator: " ") { table[String(word)] = cases }
    }
    return table
}

func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x41...0x5A, 0x400...0x42F: true
    case 0...0x7F, 0x430...0x45F: false
    default: scalar.properties.isUppercase
    }
}

func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x61...0x7A, 0x430...0x45F: true
    case 0...0x7F, 0x400...0x42F: false
    default: scalar.properties.isLowercase
    }
}

/// Upper case of one letter (a letter whose capital is one scalar; others stay).
func uppercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0x61...0x7A, 0x430...0x44F: return Unicode.Scalar(scalar.value - 32)!
    case 0x450...0x45F: return Unicode.Scalar(scalar.value - 80)!
    case 0...0x7F, 0x400...0x42F: return scalar
    default:
        let upper = String(scalar).uppercased().unicodeScalars
        return upper.count == 1 ? upper.first! : scalar
    }
}

/// Lower case without a Unicode table lookup for Latin and Cyrillic.
func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0x41...0x5A, 0x410...0x42F: Unicode.Scalar(scalar.value + 32)!
    case 0x400...0x40F: Unicode.Scalar(scalar.value + 80)!
    case 0...0x7F, 0x430...0x45F: scalar
    default: String(scalar).lowercased().unicodeScalars.first ?? scalar
    }
}

/// Letters without a Unicode table lookup for the scripts news text is in.
func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x41...0x5A, 0x61...0x7A, 0x400...0x4FF: true
    case 0...0x7F: false
    default: scalar.properties.isAlphabetic
    }
}

func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20, 0x09, 0x0A, 0x0D, 0xA0: true
    case 0...0x7F: false
    default: scalar.properties.isWhitespace
    }
}

/// A mention cut into words and what lies between them, so that words can be replaced and the
/// rest kept byte for byte.
struct NameWords {
    struct Word {
        var text: String
        let original: String
        /// Cyrillic letters only (hyphens inside allowed), not all capitals, not inside quotes.
        let isInflectable: Bool

        /// "и" joining adjectives ("экономического и валютного союза").
        var isConjunction: Bool { original.unicodeScalars.count == 1 && original.unicodeScalars.first == "и" }

        mutating func replace(with form: String) {
            text = Self.casing(form, like: original)
        }

        /// `form` with the letter case of `original` position by position, its own letters past
        /// the end following the last one's; ё only where the original has it.
        static func casing(_ form: String, like original: String) -> String {
            let pattern = Array(original.unicodeScalars)
            guard let last = pattern.last else { return form }
            let keepsYo = pattern.contains { $0 == "ё" || $0 == "Ё" }
            let allCapitals = pattern.count > 1 && pattern.allSatisfy { !isLowercase($0) }
            var out = String.UnicodeScalarView()
            for (i, scalar) in form.unicodeScalars.enumerated() {
                let letter = !keepsYo && scalar == "ё" ? "е" : scalar
                let upper = i < pattern.count ? isUppercase(pattern[i]) : allCapitals && isUppercase(last)
                out.append(upper ? uppercase(letter) : letter)
            }
            return String(out)
        }
    }

    enum Piece {
        case word(Int)
        case other(String)
    }

    var items: [Word] = []
    private var pieces: [Piece] = []

    init(_ mention: String) {
        let scalars = Array(mention.unicodeScalars)
        func isWordScalar(_ i: Int) -> Bool {
            let c = scalars[i]
            if isLetter(c) || ("0"..."9").contains(c) || c.properties.generalCategory == .nonspacingMark { return true }
            // A hyphen inside a word ("Санкт-Петербург", "Интерфакс-Украина") belongs to it.
            return c == "-" && i > 0 && i + 1 < scalars.count && (isLetter(scalars[i - 1]) || ("0"..."9").contains(scalars[i - 1]))
                && (isLetter(scalars[i + 1]) || ("0"..."9").contains(scalars[i + 1]))
        }
        var quoted = false
        var i = 0
        while i < scalars.count {
            var j = i
            let inWord = isWordScalar(i)
            while j < scalars.count && isWordScalar(j) == inWord { j += 1 }
            let piece = scalars[i..<j]
            let text = String(String.UnicodeScalarView(piece))
            if inWord {
                var cyrillic = true
                var capitals = 0
                var letters = 0
                for scalar in piece {
                    if scalar == "-" { continue }
                    letters += 1
                    switch scalar.value {
                    case 0x410...0x42F, 0x401: capitals += 1
                    case 0x430...0x44F, 0x451: break
                    default:
                        cyrillic = false
                        if scalar.properties.isUppercase { capitals += 1 }
                    }
                }
                // "МИД", "ЮНЕСКО", "МИДа"; a longer word in capitals is a word ("ПРАВИТЕЛЬСТВА").
                let abbreviation = capitals == letters ? letters <= 6 : capitals >= 2 && !piece.contains("-")
                pieces.append(.word(items.count))
                items.append(Word(text: text, original: text, isInflectable: cyrillic && !abbreviation && !quoted))
            } else {
                pieces.append(.other(text))
                for c in piece {
                    if c == "«" || c == "„" { quoted = true } else if c == "\"" || c == "“" { quoted.toggle() }
                    if c == "»" || c == "”" { quoted = false }
                }
            }
            i = j
        }
    }

    func joined() -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .word(let index): out += items[index].text
            case .other(let text): out += text
            }
        }
        return out
    }
}
