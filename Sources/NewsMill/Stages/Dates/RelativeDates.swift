/// Dates named from the day of writing: "сегодня", "позавчера вечером", "в пятницу", "в прошлую
/// среду", "на прошлой неделе", "в этом месяце", "в прошлом году", "три дня назад", "через два
/// года". Each gets its value from the publication date when there is one (a day, a week as an
/// interval, a month or a year), and none when there is not.
struct RelativeDates {
    /// The publication day, when `published` gives one.
    let today: CivilDay?

    init(published: String?) {
        today = published.flatMap(CivilDay.init(iso:))
    }

    enum Word: Equatable {
        /// сегодня 0, вчера -1, позавчера -2, завтра 1, послезавтра 2.
        case day(Int)
        /// утром, днём, вечером, ночью: part of the day before it.
        case partOfDay
        /// Monday 1 … Sunday 7.
        case weekday(Int)
        /// прошлый -1, этот 0, следующий 1 (any gender and case news uses).
        case which(Int)
        case unit(Unit)
        /// в, во, на.
        case preposition
        case ago
        case after
        /// тому (in "тому назад").
        case that
        case count(Int)
    }

    enum Unit: Equatable {
        case day, week, month, year
    }

    struct Match {
        var start: Int
        var end: Int
        /// nil when the text names no publication day to count from.
        var value: String?
    }

    /// A cheap look at a line: one of the stems relative dates need, found from its first letter.
    static func mayHold(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        var k = line.lowerBound
        while k + 1 < line.upperBound {
            let lead = bytes[k]
            if lead == 0xD0 || lead == 0xD1, let stems = cues[UInt16(lead) << 8 | UInt16(bytes[k + 1])] {
                for stem in stems where k + stem.count <= line.upperBound {
                    var same = true
                    for (n, byte) in stem.enumerated() where bytes[k + n] != byte {
                        same = false
                        break
                    }
                    if same { return true }
                }
            }
            k += 1
        }
        return false
    }

    /// Lower case only: a capital starts a sentence ("Вчера", "Сегодня"), so those two get theirs.
    private static let cues: [UInt16: [[UInt8]]] = {
        let stems = [
            "сегодн", "Сегодн", "вчера", "Вчера", "завтра", "Завтра", "недел", "месяц", "году", "назад", "через", "Через",
            "понедельник", "вторник", "среду", "четверг", "пятниц", "суббот", "воскресень",
        ]
        var table: [UInt16: [[UInt8]]] = [:]
        for stem in stems {
            let u = Array(stem.utf8)
            table[UInt16(u[0]) << 8 | UInt16(u[1]), default: []].append(u)
        }
        return table
    }()

    static func lookup(_ key: WordKey) -> Word? { table[key] }

    private static let table: [WordKey: Word] = {
        var table = [WordKey: Word]()
        func add(_ words: [String], _ word: Word) {
            for w in words { table[WordKey(w)] = word }
        }
        add(["сегодня"], .day(0))
        add(["вчера"], .day(-1))
        add(["позавчера"], .day(-2))
        add(["завтра"], .day(1))
        add(["послезавтра"], .day(2))
        add(["утром", "днем", "вечером", "ночью"], .partOfDay)
        add(["понедельник"], .weekday(1))
        add(["вторник"], .weekday(2))
        add(["среду"], .weekday(3))
        add(["четверг"], .weekday(4))
        add(["пятницу"], .weekday(5))
        add(["субботу"], .weekday(6))
        add(["воскресенье"], .weekday(7))
        add(["прошлый", "прошлую", "прошлое", "прошлой", "прошлом", "минувший", "минувшую", "минувшей", "минувшем"], .which(-1))
        add(["этот", "эту", "это", "этой", "этом", "текущей", "текущем", "нынешней", "нынешнем"], .which(0))
        add(["следующий", "следующую", "следующее", "следующей", "следующем", "будущей", "будущем", "грядущей"], .which(1))
        add(["день", "дня", "дней", "сутки", "суток"], .unit(.day))
        add(["неделю", "недели", "недель", "неделе"], .unit(.week))
        add(["месяц", "месяца", "месяцев", "месяце"], .unit(.month))
        add(["год", "года", "лет", "году"], .unit(.year))
        add(["в", "во", "на"], .preposition)
        add(["назад"], .ago)
        add(["через"], .after)
        add(["тому"], .that)
        add(["один", "одну", "одни"], .count(1))
        add(["два", "две"], .count(2))
        add(["три"], .count(3))
        add(["четыре"], .count(4))
        add(["пять"], .count(5))
        add(["шесть"], .count(6))
        add(["семь"], .count(7))
        add(["восемь"], .count(8))
        add(["девять"], .count(9))
        add(["десять"], .count(10))
        return table
    }()

    // MARK: Matching

    /// A relative date starting at token i, if there is one.
    func match(_ tokens: WordTokens, at i: Int) -> Match? {
        func word(_ k: Int) -> Word? { tokens.key(k).flatMap(Self.lookup) }
        func count(_ k: Int) -> Int? {
            if let n = tokens.number(k), tokens.digits(k) <= 2, n > 0 { return n }
            if case .count(let n)? = word(k) { return n }
            return nil
        }
        switch word(i) {
        case .day(let offset)?:
            var end = i + 1
            if tokens.sameLine(end), word(end) == .partOfDay { end += 1 }
            return Match(start: i, end: end, value: today.map { $0.adding(days: offset).iso })
        case .preposition?:
            var k = i + 1
            var which: Int?
            if case .which(let w)? = word(k) {
                which = w
                k += 1
            }
            guard tokens.sameLine(k) else { return nil }
            switch word(k) {
            case .weekday(let weekday)?:
                return Match(start: i, end: k + 1, value: today.map { $0.weekday(weekday, which: which).iso })
            case .unit(let unit)? where which != nil && unit != .day:
                return Match(start: i, end: k + 1, value: today.map { $0.period(unit, shift: which!) })
            default:
                return nil
            }
        case .after?:
            // "через два дня", "через неделю", "через год".
            var k = i + 1
            var n = 1
            if let c = count(k) {
                n = c
                k += 1
            }
            guard tokens.sameLine(k), case .unit(let unit)? = word(k) else { return nil }
            return Match(start: i, end: k + 1, value: today.map { $0.shifted(unit, by: n) })
        default:
            // "три дня назад", "неделю назад", "два года тому назад".
            var k = i
            var n = 1
            if let c = count(k) {
                n = c
                k += 1
            }
            guard tokens.sameLine(k), case .unit(let unit)? = word(k) else { return nil }
            k += 1
            if word(k) == .that { k += 1 }
            guard word(k) == .ago else { return nil }
            return Match(start: i, end: k + 1, value: today.map { $0.shifted(unit, by: -n) })
        }
    }
}

/// A day of the proleptic Gregorian calendar, counted in days from 1970-01-01 (Howard Hinnant's
/// civil-from-days arithmetic).
struct CivilDay: Equatable {
    let days: Int

    init(days: Int) {
        self.days = days
    }

    init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        days = era * 146_097 + dayOfEra - 719_468
    }

    /// "2019-01-23", or a longer ISO timestamp that starts so.
    init?(iso: String) {
        let u = Array(iso.utf8.prefix(10))
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in u[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    var civil: (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Monday 1 … Sunday 7 (1970-01-01 was a Thursday).
    var weekday: Int { ((days % 7 + 7) % 7 + 3) % 7 + 1 }

    func adding(days n: Int) -> CivilDay { CivilDay(days: days + n) }

    var iso: String {
        let (y, m, d) = civil
        return DatePoint(year: y, month: m, day: d).iso
    }

    /// "в пятницу": the last such day up to today (news tell what happened); "в прошлую пятницу"
    /// the one of last week, "в эту" of this week, "в следующую" of next week.
    func weekday(_ target: Int, which: Int?) -> CivilDay {
        guard let which else { return adding(days: -((weekday - target + 7) % 7)) }
        return adding(days: target - weekday + 7 * which)
    }

    /// "на прошлой неделе" (Monday to Sunday), "в этом месяце", "в следующем году".
    func period(_ unit: Unit, shift: Int) -> String {
        let (y, m, _) = civil
        switch unit {
        case .day: return adding(days: shift).iso
        case .week:
            let monday = adding(days: 1 - weekday + 7 * shift)
            return monday.iso + "/" + monday.adding(days: 6).iso
        case .month:
            let months = y * 12 + (m - 1) + shift
            return DatePoint(year: months / 12, month: months % 12 + 1).iso
        case .year:
            return DatePoint(year: y + shift).iso
        }
    }

    typealias Unit = RelativeDates.Unit

    /// "три дня назад" (-3 days), "через два месяца" (+2 months): a day for days and weeks, the
    /// month or the year otherwise.
    func shifted(_ unit: Unit, by count: Int) -> String {
        switch unit {
        case .day: return adding(days: count).iso
        case .week: return adding(days: 7 * count).iso
        case .month, .year: return period(unit, shift: count)
        }
    }
}
