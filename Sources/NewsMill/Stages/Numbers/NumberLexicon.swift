/// What a word means to the numbers grammar.
enum NumberWord: Equatable {
    /// A cardinal word. `rank` orders the parts of a compound ("сто двадцать пять"): 0 for units,
    /// 1 for tens, 2 for hundreds; a teen (10–19) has rank 1 and takes no units after it.
    case cardinal(Int, rank: Int, teen: Bool)
    /// двое, трое, …: a count of people, never part of a compound.
    case collective(Int)
    /// полтора, полторы, полутора: 1.5.
    case oneAndHalf
    /// дважды, трижды: a count of times, standing alone.
    case times(Int)
    /// An ordinal word; it may end a compound of cardinal words ("двадцать пятый").
    case ordinal(Int, rank: Int, teen: Bool)
    /// тысяча, млн, million… `alone`: the word is a figure by itself ("тысяча человек", "более
    /// миллиона"); `afterApproximation`: only after "около", "более"… ("около тысячи": the form
    /// is also the plural "тысячи", which is vague).
    case multiplier(exponent: Int, alone: Bool, afterApproximation: Bool, abbreviated: Bool)
    /// процент, процентов, percent.
    case percent
    /// процентных, процентного: a percentage only before "пункт…".
    case percentAdjective
    case percentagePoint
    /// A currency name and its ISO 4217 code.
    case currency(String, abbreviated: Bool)
    /// An adjective that names the country of a currency ("гонконгских" долларов: HKD).
    case currencyCountry(String)
    /// Words that finish a currency name: долларов "США", фунтов "стерлингов".
    case currencyTail
    /// A unit of measure or a noun that is always a counted noun ("км", "человек", "лет").
    case unit(abbreviated: Bool)
    /// квадратных, кубических, кв., куб.: belong to the unit that follows.
    case unitModifier(abbreviated: Bool)
    /// Prepositions, conjunctions, particles, pronouns, adverbs and verbs that follow numbers:
    /// never a counted noun.
    case notCounted
    /// около, более, свыше…: make "тысячи" a figure.
    case approximation
    case minus
    /// числа, числу: "23 числа" is a day of the month.
    case dayOfMonth
    /// версия, version: the number after it is a version.
    case version
}

enum NumberLexicon {
    static func lookup(_ key: WordKey) -> NumberWord? { table[key] }

    /// A cheap screen before a lookup: whether the first two letters of a word begin any word
    /// that can start a figure (a cardinal, ordinal, multiplier or "минус").
    @inline(__always)
    static func mayStartFigure(_ tokens: WordTokens, _ i: Int) -> Bool {
        let t = tokens[i]
        let s = Int(t.start)
        let b = tokens.bytes
        guard t.kind == .word, t.end - t.start >= 3 else { return false }
        if b[s] < 0x80 {
            let first = Int(b[s] | 0x20) &- 0x61, second = Int(b[s + 1] | 0x20) &- 0x61
            guard first >= 0, first < 26, second >= 0, second < 26 else { return false }
            return latinInitials[first &* 26 &+ second]
        }
        guard t.end - t.start >= 4 else { return false }
        let first = cyrillicIndex(b[s], b[s + 1]), second = cyrillicIndex(b[s + 2], b[s + 3])
        guard first >= 0, second >= 0 else { return false }
        return cyrillicInitials[first &* 33 &+ second]
    }

    /// The position of a Cyrillic letter in а…я (ё last), any case; -1 for other letters.
    @inline(__always)
    static func cyrillicIndex(_ lead: UInt8, _ trail: UInt8) -> Int {
        switch (lead, trail) {
        case (0xD0, 0xB0...0xBF): return Int(trail - 0xB0)
        case (0xD1, 0x80...0x8F): return Int(trail - 0x80) + 16
        case (0xD0, 0x90...0xAF): return Int(trail - 0x90)
        case (0xD1, 0x91), (0xD0, 0x81): return 32
        default: return -1
        }
    }

    private static let (cyrillicInitials, latinInitials): ([Bool], [Bool]) = {
        var cyrillic = [Bool](repeating: false, count: 33 * 33)
        var latin = [Bool](repeating: false, count: 26 * 26)
        for (word, meaning) in entries {
            switch meaning {
            case .cardinal, .collective, .oneAndHalf, .times, .ordinal, .minus, .multiplier(_, alone: true, _, _),
                .multiplier(_, _, afterApproximation: true, _):
                let u = Array(word.utf8)
                if u[0] < 0x80 {
                    latin[Int(u[0] - 0x61) * 26 + Int(u[1] - 0x61)] = true
                } else {
                    cyrillic[cyrillicIndex(u[0], u[1]) * 33 + cyrillicIndex(u[2], u[3])] = true
                }
            default:
                break
            }
        }
        return (cyrillic, latin)
    }()

    private static let table: [WordKey: NumberWord] = {
        var table = [WordKey: NumberWord]()
        for (word, meaning) in entries where table[WordKey(word)] == nil {
            table[WordKey(word)] = meaning
        }
        return table
    }()

    /// Every word with its meaning, lower case; a word listed twice keeps its first meaning. A
    /// form with "ё" stands for its spelling with "е" too, as keys read one as the other.
    static let entries: [(String, NumberWord)] = {
        var entries: [(String, NumberWord)] = []
        func add(_ words: [String], _ meaning: NumberWord) {
            for word in words { entries.append((word, meaning)) }
        }
        func addStem(_ stem: String, _ endings: [String], _ meaning: NumberWord) {
            add(endings.map { stem + $0 }, meaning)
        }

        // Words whose other readings are common are left out: "семью" (семья), "нуля" ("с нуля"),
        // "одни"/"одних" ("some"), "сорока" stays (the bird is rare in news).
        add(["ноль", "нуль"], .cardinal(0, rank: 0, teen: false))
        add(["один", "одна", "одно", "одного", "одной", "одному", "одним", "одном", "одну", "одною"], .cardinal(1, rank: 0, teen: false))
        add(["два", "две", "двух", "двум", "двумя"], .cardinal(2, rank: 0, teen: false))
        add(["три", "трёх", "трём", "тремя"], .cardinal(3, rank: 0, teen: false))
        add(["четыре", "четырёх", "четырём", "четырьмя"], .cardinal(4, rank: 0, teen: false))
        let units = [(5, "пят"), (6, "шест"), (7, "сем"), (8, "восьм"), (9, "девят")]
        for (value, stem) in units {
            let nominative = value == 8 ? "восемь" : stem + "ь"
            add(
                [nominative, stem + "и", value == 8 ? "восьмью" : stem + "ью"].filter { $0 != "семью" },
                .cardinal(value, rank: 0, teen: false))
        }
        add(["десять", "десяти", "десятью"], .cardinal(10, rank: 1, teen: true))
        let teens = ["один", "две", "три", "четыр", "пят", "шест", "сем", "восем", "девят"]
        for (k, stem) in teens.enumerated() {
            addStem(stem + "надцат", ["ь", "и", "ью"], .cardinal(11 + k, rank: 1, teen: true))
        }
        add(["двадцать", "двадцати", "двадцатью"], .cardinal(20, rank: 1, teen: false))
        add(["тридцать", "тридцати", "тридцатью"], .cardinal(30, rank: 1, teen: false))
        add(["сорок", "сорока"], .cardinal(40, rank: 1, teen: false))
        for (value, stem) in [(50, "пят"), (60, "шест"), (70, "сем"), (80, "восем")] {
            let oblique = value == 80 ? "восьм" : stem
            add([stem + "ьдесят", oblique + "идесяти", stem + "ьюдесятью"], .cardinal(value, rank: 1, teen: false))
        }
        add(["девяносто", "девяноста"], .cardinal(90, rank: 1, teen: false))
        add(["сто", "ста"], .cardinal(100, rank: 2, teen: false))
        add(["двести", "двухсот", "двумстам", "двумястами", "двухстах"], .cardinal(200, rank: 2, teen: false))
        add(["триста", "трёхсот", "трёмстам", "тремястами", "трёхстах"], .cardinal(300, rank: 2, teen: false))
        add(["четыреста", "четырёхсот", "четырёмстам", "четырьмястами", "четырёхстах"], .cardinal(400, rank: 2, teen: false))
        for (value, stem) in [(500, "пят"), (600, "шест"), (700, "сем"), (800, "восем"), (900, "девят")] {
            let oblique = value == 800 ? "восьм" : stem
            add(
                [stem + "ьсот", oblique + "исот", oblique + "истам", stem + "ьюстами", oblique + "истах"],
                .cardinal(value, rank: 2, teen: false))
        }
        add(["двое", "двоих", "двоим", "двоими"], .collective(2))
        add(["трое", "троих", "троим", "троими"], .collective(3))
        for (value, stem) in [(4, "четвер"), (5, "пятер"), (6, "шестер"), (7, "семер"), (8, "восьмер"), (9, "девятер"), (10, "десятер")] {
            add([stem + "о", stem + "ых", stem + "ым", stem + "ыми"], .collective(value))
        }
        add(["полтора", "полторы", "полутора"], .oneAndHalf)
        add(["восемью"], .cardinal(8, rank: 0, teen: false))
        add(["дважды"], .times(2))
        add(["трижды"], .times(3))
        add(["четырежды"], .times(4))

        let hard = ["ый", "ая", "ое", "ые", "ого", "ой", "ому", "ым", "ую", "ом", "ых", "ыми"]
        let stressed = ["ой", "ая", "ое", "ые", "ого", "ому", "ым", "ую", "ом", "ых", "ыми"]
        addStem("перв", hard, .ordinal(1, rank: 0, teen: false))
        addStem("втор", stressed, .ordinal(2, rank: 0, teen: false))
        addStem(
            "трет", ["ий", "ья", "ье", "ьи", "ьего", "ьей", "ьему", "ьим", "ью", "ьем", "ьих", "ьими"], .ordinal(3, rank: 0, teen: false))
        addStem("четвёрт", hard, .ordinal(4, rank: 0, teen: false))
        addStem("пят", hard, .ordinal(5, rank: 0, teen: false))
        addStem("шест", stressed, .ordinal(6, rank: 0, teen: false))
        addStem("седьм", stressed, .ordinal(7, rank: 0, teen: false))
        addStem("восьм", stressed, .ordinal(8, rank: 0, teen: false))
        addStem("девят", hard, .ordinal(9, rank: 0, teen: false))
        addStem("десят", hard, .ordinal(10, rank: 1, teen: true))
        for (k, stem) in teens.enumerated() {
            addStem(stem + "надцат", hard, .ordinal(11 + k, rank: 1, teen: true))
        }
        addStem("двадцат", hard, .ordinal(20, rank: 1, teen: false))
        addStem("тридцат", hard, .ordinal(30, rank: 1, teen: false))
        addStem("сороков", stressed, .ordinal(40, rank: 1, teen: false))
        for (value, stem) in [(50, "пятидесят"), (60, "шестидесят"), (70, "семидесят"), (80, "восьмидесят"), (90, "девяност")] {
            addStem(stem, hard, .ordinal(value, rank: 1, teen: false))
        }
        addStem("сот", hard, .ordinal(100, rank: 2, teen: false))
        addStem("тысячн", hard, .ordinal(1000, rank: 3, teen: false))
        addStem("миллионн", hard, .ordinal(1_000_000, rank: 4, teen: false))

        let thousand = ["тысяча", "тысячу", "тысячей", "тысячью", "тысяче"]
        add(thousand, .multiplier(exponent: 3, alone: true, afterApproximation: false, abbreviated: false))
        add(["тысячи"], .multiplier(exponent: 3, alone: false, afterApproximation: true, abbreviated: false))
        add(
            ["тысяч", "тысячам", "тысячами", "тысячах"],
            .multiplier(exponent: 3, alone: false, afterApproximation: false, abbreviated: false))
        for (exponent, stem) in [(6, "миллион"), (9, "миллиард"), (12, "триллион")] {
            addStem(
                stem, ["", "а", "у", "ом", "е"], .multiplier(exponent: exponent, alone: true, afterApproximation: false, abbreviated: false)
            )
            addStem(
                stem, ["ы", "ов", "ам", "ами", "ах"],
                .multiplier(exponent: exponent, alone: false, afterApproximation: false, abbreviated: false))
        }
        add(["тыс"], .multiplier(exponent: 3, alone: false, afterApproximation: false, abbreviated: true))
        add(["млн", "mln"], .multiplier(exponent: 6, alone: false, afterApproximation: false, abbreviated: true))
        add(["млрд", "bn", "bln"], .multiplier(exponent: 9, alone: false, afterApproximation: false, abbreviated: true))
        add(["трлн", "tn"], .multiplier(exponent: 12, alone: false, afterApproximation: false, abbreviated: true))
        add(["thousand", "thousands"], .multiplier(exponent: 3, alone: false, afterApproximation: false, abbreviated: false))
        add(["million", "millions"], .multiplier(exponent: 6, alone: false, afterApproximation: false, abbreviated: false))
        add(["billion", "billions"], .multiplier(exponent: 9, alone: false, afterApproximation: false, abbreviated: false))
        add(["trillion"], .multiplier(exponent: 12, alone: false, afterApproximation: false, abbreviated: false))

        // English number words where they cost nothing; "one" and "second" have other readings.
        let english = [(2, "two"), (3, "three"), (4, "four"), (5, "five"), (6, "six"), (7, "seven"), (8, "eight"), (9, "nine")]
        for (value, word) in english { add([word], .cardinal(value, rank: 0, teen: false)) }
        let englishTeens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        for (k, word) in englishTeens.enumerated() { add([word], .cardinal(10 + k, rank: 1, teen: true)) }
        for (k, word) in ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"].enumerated() {
            add([word], .cardinal(20 + 10 * k, rank: 1, teen: false))
        }
        add(["hundred"], .cardinal(100, rank: 2, teen: false))
        for (k, word) in ["first", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"].enumerated() {
            add([word], .ordinal(k == 0 ? 1 : k + 2, rank: k == 8 ? 1 : 0, teen: k == 8))
        }

        add(
            [
                "процент", "процента", "проценту", "процентом", "проценте", "проценты", "процентов", "процентам",
                "процентами", "процентах", "percent", "percents",
            ], .percent)
        add(["процентных", "процентного", "процентному", "процентным", "процентными"], .percentAdjective)
        add(["пункт", "пункта", "пунктов", "пунктам", "пунктами", "пунктах"], .percentagePoint)

        let nounEndings = ["", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"]
        addStem("рубл", ["ь", "я", "ю", "ём", "е", "и", "ей", "ям", "ями", "ях"], .currency("RUB", abbreviated: false))
        add(["руб"], .currency("RUB", abbreviated: true))
        addStem("доллар", nounEndings, .currency("USD", abbreviated: false))
        add(["долл"], .currency("USD", abbreviated: true))
        add(["dollar", "dollars"], .currency("USD", abbreviated: false))
        add(["евро", "euro", "euros"], .currency("EUR", abbreviated: false))
        addStem("фунт", nounEndings, .currency("GBP", abbreviated: false))
        addStem("гривн", ["а", "ы", "е", "у", "ой", "ам", "ами", "ах"], .currency("UAH", abbreviated: false))
        add(["гривен"], .currency("UAH", abbreviated: false))
        add(["грн"], .currency("UAH", abbreviated: true))
        add(["тенге"], .currency("KZT", abbreviated: false))
        addStem("юан", ["ь", "я", "ю", "ем", "е", "и", "ей", "ям", "ями", "ях"], .currency("CNY", abbreviated: false))
        for stem in ["иен", "йен"] {
            addStem(stem, ["а", "ы", "е", "у", "ой", "", "ам", "ами", "ах"], .currency("JPY", abbreviated: false))
        }
        addStem("франк", nounEndings, .currency("CHF", abbreviated: false))
        addStem("злот", ["ый", "ых", "ого", "ым", "ыми"], .currency("PLN", abbreviated: false))
        addStem("лир", ["а", "ы", "е", "у", "ой", "", "ам", "ами", "ах"], .currency("TRY", abbreviated: false))
        addStem("рупи", ["я", "и", "ю", "ей", "й", "ям", "ями", "ях"], .currency("INR", abbreviated: false))
        addStem("манат", nounEndings, .currency("AZN", abbreviated: false))
        add(["лари"], .currency("GEL", abbreviated: false))
        add(["драмов"], .currency("AMD", abbreviated: false))
        add(["сомов"], .currency("KGS", abbreviated: false))
        // Codes are matched case-insensitively, so only those that are no word in either language.
        for code in ["usd", "eur", "rub", "gbp", "uah", "kzt", "cny", "jpy", "chf", "byn"] {
            add([code], .currency(code.uppercased(), abbreviated: false))
        }
        let adjective = ["ий", "их", "ого", "ому", "им", "ими", "ом", "ая", "ой", "ую", "ие"]
        for (stem, code) in [
            ("американск", "USD"), ("австралийск", "AUD"), ("канадск", "CAD"), ("гонконгск", "HKD"),
            ("сингапурск", "SGD"), ("новозеландск", "NZD"), ("тайваньск", "TWD"), ("российск", "RUB"),
            ("белорусск", "BYN"), ("швейцарск", "CHF"), ("турецк", "TRY"), ("индийск", "INR"),
            ("китайск", "CNY"), ("японск", "JPY"), ("украинск", "UAH"), ("казахстанск", "KZT"),
            ("польск", "PLN"), ("шведск", "SEK"), ("норвежск", "NOK"), ("датск", "DKK"), ("чешск", "CZK"),
        ] {
            addStem(stem, adjective, .currencyCountry(code))
        }
        add(["сша", "стерлингов", "стерлинга", "стерлинг", "стерлингами"], .currencyTail)

        // Units and the nouns that are counted most; any other noun after a number is taken by
        // the counted-noun rule (NumberGrammar.countedNoun).
        add(
            [
                "км", "м", "см", "мм", "кг", "г", "мг", "т", "ц", "л", "мл", "га", "ч", "мин", "сек", "шт", "чел",
                "квт", "мвт", "гвт", "вт", "гб", "мб", "тб", "кбайт", "мбайт", "гбайт", "тбайт",
                "km", "m", "cm", "mm", "kg", "g", "mg", "t", "l", "ml", "ha", "kw", "mw", "gw", "gb", "mb", "tb", "mph",
            ], .unit(abbreviated: true))
        for stem in [
            "метр", "километр", "сантиметр", "миллиметр", "килограмм", "грамм", "литр", "гектар", "градус", "балл",
            "час", "голос", "кубометр", "мегаватт", "киловатт", "гигаватт", "баррел",
        ] {
            addStem(stem, nounEndings, .unit(abbreviated: false))
        }
        addStem("тонн", ["а", "ы", "е", "у", "ой", "", "ам", "ами", "ах"], .unit(abbreviated: false))
        addStem("минут", ["а", "ы", "е", "у", "ой", "", "ам", "ами", "ах"], .unit(abbreviated: false))
        addStem("секунд", ["а", "ы", "е", "у", "ой", "", "ам", "ами", "ах"], .unit(abbreviated: false))
        addStem("недел", ["я", "и", "е", "ю", "ей", "ь", "ям", "ями", "ях"], .unit(abbreviated: false))
        addStem("месяц", ["", "а", "у", "ем", "е", "ы", "ев", "ам", "ами", "ах"], .unit(abbreviated: false))
        add(
            [
                "человек", "человека", "людей", "лет", "год", "года", "годам", "годами", "годах", "раз", "раза", "сутки", "суток",
                "день", "дня", "дней", "дням", "днями", "днях", "штук", "штуки", "очков", "очка", "мест", "места",
            ], .unit(abbreviated: false))
        add(
            [
                "people", "percentage", "points", "years", "days", "hours", "minutes", "times", "miles", "tonnes", "tons",
                "meters", "metres", "kilometers", "kilometres", "degrees", "votes", "seats",
            ], .unit(abbreviated: false))
        addStem("квадратн", ["ых", "ого", "ому", "ым", "ыми", "ый", "ая", "ое", "ые"], .unitModifier(abbreviated: false))
        addStem("кубическ", ["их", "ого", "ому", "им", "ими", "ий", "ая", "ое", "ие"], .unitModifier(abbreviated: false))
        add(["кв", "куб"], .unitModifier(abbreviated: true))

        add(
            [
                "около", "более", "свыше", "менее", "почти", "порядка", "примерно", "приблизительно", "до", "от", "больше",
                "меньше",
            ], .approximation)
        add(["минус"], .minus)
        add(["числа", "числу", "число", "числах"], .dayOfMonth)
        add(["версия", "версии", "версию", "версией", "version", "v", "ver", "релиз"], .version)

        add(
            [
                "в", "во", "на", "с", "со", "по", "из", "за", "к", "ко", "у", "о", "об", "обо", "при", "без", "для",
                "через", "над", "под", "про", "между", "после", "перед", "вокруг", "среди", "ради", "вместо", "кроме",
                "против", "вдоль", "мимо", "внутри", "вне", "и", "а", "но", "или", "либо", "что", "чтобы", "как", "если",
                "когда", "где", "куда", "то", "же", "ли", "бы", "не", "ни", "уже", "ещё", "только", "лишь", "даже", "также",
                "тоже", "очень", "всего", "всех", "все", "всё", "его", "её", "их", "им", "ему", "ей", "нам", "вам", "мне",
                "нас", "вас", "себя", "себе", "свой", "своих", "этих", "этого", "это", "эти", "тех", "того", "тот", "та",
                "те", "этом", "том", "был", "была", "было", "были", "будет", "будут", "стал", "стала", "стало", "стали",
                "есть", "нет", "назад", "подряд", "спустя", "тому", "вперёд", "раньше", "позже", "позднее", "сразу",
                "именно", "вместе", "здесь", "там", "тут", "сейчас", "теперь", "потом", "затем", "тогда", "всегда",
                "ежедневно", "ежегодно", "минимум", "максимум", "включительно", "соответственно", "соответствующих",
                "составил", "составила", "составило", "составили", "составляет", "составляют", "достиг", "достигла",
                "достигло", "достигли", "превысил", "превысила", "превысило", "превысили", "является", "являются",
                "который", "которая", "которое", "которые", "которых", "которым", "которыми", "котором", "которой",
                "каждый", "каждая", "каждое", "каждые", "каждого", "каждой", "каждому", "каждом", "каждых",
                "своей", "своего", "своим", "своими", "свою", "своё", "свои", "наших", "ваших", "других", "другие",
                "утра", "вечера", "ночи", "пополудни", "летний", "летнего", "летнему", "летним", "летнем", "летняя", "летней",
                "летнюю", "летнее", "летние", "летних", "летними",
                "the", "of", "and", "in", "to", "a", "an", "for", "on", "at", "by", "with", "from", "is", "are", "was",
                "were", "more", "than", "or", "as", "per", "that", "which", "who",
            ], .notCounted)
        return entries
    }()
}
