/// The Russian words date expressions are made of, in every case form news text uses.
enum DateWord: Equatable {
    /// A month; `genitive` for the form that follows a day ("23 января"), abbreviations included.
    case month(Int, genitive: Bool, abbreviated: Bool)
    /// год, года, году… (`plural`: годы, годов, годах…); `abbreviated`: г, гг.
    case year(plural: Bool, abbreviated: Bool)
    /// век, века, веке… and the abbreviations в., вв. after a Roman numeral.
    case century
    case preposition(Preposition)
    /// начале, середине, конце…: a part of the period that follows.
    case periodPart
    /// весной, летом, осенью, зимой.
    case season
    case weekday
    /// прошлого, этого, следующего… (before "года"): a year counted from the publication year.
    case relativeYear(Int)

    enum Preposition: Equatable {
        /// "с", "со", "от": may open a range.
        case from
        /// "по", "до": may close a range.
        case until
        /// в, во, на, к, за, около, после, перед…
        case other
    }
}

enum DateLexicon {
    static func lookup(_ key: WordKey) -> DateWord? { table[key] }

    /// Cheap screen before a lookup: the first two letters of a month name or its abbreviation.
    static func mayBeMonth(_ tokens: WordTokens, _ i: Int) -> Bool {
        let t = tokens[i]
        let length = t.end - t.start
        // Three to nine Cyrillic letters.
        guard t.kind == .word, length >= 6, length <= 18 else { return false }
        return startsLikeMonth(tokens.bytes, at: Int(t.start))
    }

    /// The four bytes at `s` are two Cyrillic letters that begin a month name (any case).
    static func startsLikeMonth(_ b: UnsafeBufferPointer<UInt8>, at s: Int) -> Bool {
        guard s + 3 < b.count, b[s] == 0xD0 || b[s] == 0xD1, b[s + 2] == 0xD0 || b[s + 2] == 0xD1 else { return false }
        let first = lowerCyrillic(b[s], b[s + 1]), second = lowerCyrillic(b[s + 2], b[s + 3])
        return monthInitials.contains(first << 16 | second)
    }

    /// A Cyrillic letter's two UTF-8 bytes, lower-cased, as one number.
    @inline(__always)
    private static func lowerCyrillic(_ lead: UInt8, _ trail: UInt8) -> UInt32 {
        if lead == 0xD0 && (0x90...0x9F).contains(trail) { return 0xD000 | UInt32(trail + 0x20) }
        if lead == 0xD0 && (0xA0...0xAF).contains(trail) { return 0xD100 | UInt32(trail - 0x20) }
        return UInt32(lead) << 8 | UInt32(trail)
    }

    private static let monthInitials: [UInt32] = monthStems.map { stem in
        let u = Array(stem.utf8)
        return (UInt32(u[0]) << 8 | UInt32(u[1])) << 16 | (UInt32(u[2]) << 8 | UInt32(u[3]))
    }

    /// Month stems with the endings of their case forms (the genitive is listed first).
    private static let monthStems = [
        "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
    ]

    private static let table: [WordKey: DateWord] = {
        var table = [WordKey: DateWord]()
        func add(_ words: [String], _ word: DateWord) {
            for w in words { table[WordKey(w)] = word }
        }
        let softEndings = ["я", "ь", "е", "ю", "ём"]
        let hardEndings = ["а", "", "е", "у", "ом"]
        for (index, stem) in monthStems.enumerated() {
            let month = index + 1
            let endings: [String]
            switch stem {
            case "март", "август": endings = hardEndings
            case "ма": endings = ["я", "й", "е", "ю", "ем"]
            default: endings = softEndings
            }
            for (k, ending) in endings.enumerated() {
                table[WordKey(stem + ending)] = .month(month, genitive: k == 0, abbreviated: false)
            }
        }
        let abbreviations = [
            ["янв"], ["фев", "февр"], ["мар"], ["апр"], [], ["июн"], ["июл"], ["авг"],
            ["сен", "сент"], ["окт"], ["ноя", "нояб"], ["дек"],
        ]
        for (index, forms) in abbreviations.enumerated() {
            add(forms, .month(index + 1, genitive: true, abbreviated: true))
        }
        add(["год", "года", "году", "годом", "годе"], .year(plural: false, abbreviated: false))
        add(["годы", "годов", "годах", "годам", "годами"], .year(plural: true, abbreviated: false))
        add(["г"], .year(plural: false, abbreviated: true))
        add(["гг"], .year(plural: true, abbreviated: true))
        add(["век", "века", "веке", "веку", "веком", "веков", "веках", "вв"], .century)
        add(["с", "со", "c", "от"], .preposition(.from))
        add(["по", "до"], .preposition(.until))
        add(["в", "во", "на", "к", "ко", "за", "около", "после", "перед", "накануне", "начиная"], .preposition(.other))
        add(["начале", "начала", "начало", "середине", "середины", "конце", "конца", "концу", "конец"], .periodPart)
        add(["весной", "летом", "осенью", "зимой"], .season)
        add(
            [
                "понедельник", "вторник", "среду", "среда", "четверг", "пятницу", "пятница",
                "субботу", "суббота", "воскресенье",
            ], .weekday)
        add(["позапрошлого"], .relativeYear(-2))
        add(["прошлого", "минувшего", "прошедшего"], .relativeYear(-1))
        add(["этого", "текущего", "нынешнего", "сего"], .relativeYear(0))
        add(["следующего", "будущего", "наступающего", "грядущего"], .relativeYear(1))
        return table
    }()
}
