/// A figure on one line, in tokens; `NumberExtractor` turns it into a `NumberMention`.
struct NumberFigure {
    var start: Int
    /// The token after the last one.
    var end: Int
    var amount: NumberAmount
    /// The number before any multiplier ("5" of "5 тысяч"), for ranges that share one.
    var base: NumberAmount
    /// The power of ten a multiplier word applied (3 for "тысяч"), 0 without one.
    var exponent = 0
    var negative = false
    /// A hyphen or minus glued before the number ("-5 градусов"), taken in by `emit`, after a range
    /// has had its say.
    var minusSign: Int?
    var kind: NumberKind = .cardinal
    var unit: Range<Int>?
    var currency: String?
    /// A four-digit number that may be a year, or a "в 10.30" that may be a time: dropped unless
    /// a unit or a range partner shows it counts something.
    var dropWhenBare = false

    var isBare: Bool { unit == nil && kind == .cardinal && exponent == 0 }
}

/// The grammar of figures over the tokens of one line: digits with their separators
/// ("1 500 000", "5,3", "1,500,000"), number words ("двадцать пять", "полторы тысячи"), ordinals
/// ("5-й", "третьего", "XXI"), and what follows a number: multipliers, currency, percent, unit or
/// counted noun. Dates, times, phone and version numbers and numbers inside words are passed over.
struct NumberGrammar {
    /// The tokens of the line read; the extractor cuts each line into them.
    var tokens: WordTokens
    let options: NumberExtractor.Options

    /// What reading at a token gave: a figure, or the token to go on from.
    struct Reading {
        var figure: NumberFigure?
        var next: Int
        /// The tokens were a date ("23 января"): a range that ends in one is a date too.
        var isDate = false
    }

    func isAnchor(_ i: Int) -> Bool {
        let t = tokens[i]
        if t.kind == .number { return true }
        guard t.kind == .word else { return false }
        return NumberLexicon.mayStartFigure(tokens, i) || isRoman(i)
    }

    /// Reads the figures that start at token i (two for a range) into `figures`; returns the
    /// token to go on from.
    func read(at i: Int, into figures: inout [NumberFigure]) -> Int {
        if isListMarker(i) { return i + 2 }
        let first = reading(at: i, inRange: false)
        guard var figure = first.figure else { return first.next }
        guard figure.kind != .ordinal, let secondStart = rangePartner(after: figure) else {
            emit(figure, into: &figures)
            return first.next
        }
        let second = reading(at: secondStart, inRange: true)
        guard var partner = second.figure, partner.kind != .ordinal else {
            if second.isDate && figure.isBare { return second.next }
            emit(figure, into: &figures)
            return first.next
        }
        share(&figure, &partner)
        emit(figure, into: &figures)
        emit(partner, into: &figures)
        return second.next
    }

    func emit(_ figure: NumberFigure, into figures: inout [NumberFigure]) {
        var figure = figure
        if figure.dropWhenBare && figure.isBare { return }
        if let sign = figure.minusSign {
            figure.negative = true
            figure.start = sign
        }
        figures.append(figure)
    }

    /// "1." or "1)" opening a line before a word: a list item, not a figure.
    func isListMarker(_ i: Int) -> Bool {
        guard i == 0, tokens.isNumber(0), tokens.digits(0) <= 2, tokens.joined(1),
            let mark = tokens.asciiMark(1), mark == 0x2E || mark == 0x29
        else { return false }
        return tokens.isWord(2) && tokens.sameLine(2) && tokens.isCapitalized(2)
    }

    /// The ends of a range share what only one of them says: "от 3 до 5 тысяч рублей" is 3000 to
    /// 5000 roubles, "5–7%" two percentages, "$5–7 млн" two amounts in dollars. A multiplier is
    /// shared only when the first number is the smaller one ("от 500 до 2 тыс." is 500 to 2000).
    func share(_ figure: inout NumberFigure, _ partner: inout NumberFigure) {
        if figure.exponent == 0, partner.exponent > 0, figure.base < partner.base,
            let scaled = figure.base.scaled(byPowerOfTen: partner.exponent)
        {
            figure.amount = scaled
            figure.exponent = partner.exponent
        }
        if figure.unit == nil && figure.kind == .cardinal {
            figure.unit = partner.unit
            figure.kind = partner.kind
            figure.currency = partner.currency
        } else if partner.currency == nil, figure.currency != nil, partner.kind == .cardinal, partner.unit == nil {
            partner.kind = figure.kind
            partner.currency = figure.currency
            partner.unit = figure.unit
        }
    }

    /// Where the second end of a range starts: after a dash ("5–7", "5 — 7") or, after "от"/"с",
    /// after "до"/"по".
    func rangePartner(after figure: NumberFigure) -> Int? {
        let k = figure.end
        guard k + 1 < tokens.count, tokens.sameLine(k), tokens.sameLine(k + 1) else { return nil }
        if tokens.isMark(k, .dash) {
            guard tokens.joined(k) == tokens.joined(k + 1) else { return nil }
        } else {
            guard let word = tokens.key(k), word == Self.until || word == Self.through,
                case let first = figure.minusSign ?? figure.start, first > 0, let opening = tokens.key(first - 1),
                Self.rangeOpenings.contains(opening)
            else { return nil }
        }
        let next = k + 1
        if tokens.isNumber(next) || (options.words && tokens.isWord(next) && isCardinalWord(next)) { return next }
        // "$5–$7", "от -5 до -10 градусов".
        if currencySymbol(next) != nil || tokens.isMark(next, .dash), tokens.joined(next + 1), tokens.isNumber(next + 1) { return next + 1 }
        return nil
    }
    static let until = WordKey("до"), through = WordKey("по"), outOf = WordKey("из")
    static let rangeOpenings: Set<WordKey> = Set(["от", "с", "со"].map(WordKey.init))

    func isCardinalWord(_ i: Int) -> Bool {
        guard let key = tokens.key(i) else { return false }
        switch NumberLexicon.lookup(key) {
        case .cardinal?, .oneAndHalf?: return true
        default: return false
        }
    }

    func reading(at i: Int, inRange: Bool) -> Reading {
        tokens.isNumber(i) ? digits(at: i, inRange: inRange) : words(at: i)
    }

    // MARK: Numbers in digits

    func digits(at i: Int, inRange: Bool) -> Reading {
        if let end = phoneEnd(at: i) { return Reading(next: end) }
        guard let literal = literal(at: i) else { return Reading(next: skipEnd(from: i)) }
        if !inRange && insideWord(i) { return Reading(next: literal.end) }
        var figure = NumberFigure(start: i, end: literal.end, amount: literal.amount, base: literal.amount)
        var k = literal.end
        var prefix: (start: Int, code: String)?
        if i > 0, let code = currencySymbol(i - 1), !tokens.joined(i - 1) || !tokens.isWord(i - 2) {
            prefix = (i - 1, code)
        }

        // What is joined to the number on the right: "5-й", "22-летний", "10км", "5G".
        if tokens.joined(k) {
            if tokens.isMark(k, .dash), tokens.joined(k + 1), tokens.isWord(k + 1) {
                switch suffix(k + 1, literal: literal) {
                case .ordinal:
                    guard options.ordinals else { return Reading(next: k + 2) }
                    figure.kind = .ordinal
                    figure.end = k + 2
                    if dayMonth(after: k + 2) != nil { return Reading(next: k + 3, isDate: true) }
                    return Reading(figure: figure, next: k + 2)
                case .cardinal:
                    k += 2
                    figure.end = k
                case .date:
                    return Reading(next: k + 2, isDate: true)
                case .compound:
                    return Reading(next: k + 2)
                }
            } else if tokens.isWord(k) {
                // "1929г" is a year; "10км", "5млн", "$5bn" a figure; "1st" an ordinal; other
                // letters glued to a number make a code ("5G", "3D").
                if literal.digits == 4, case .year? = dateWord(k) { return Reading(next: k + 1, isDate: true) }
                guard let key = tokens.key(k) else { return Reading(next: k + 1) }
                switch NumberLexicon.lookup(key) {
                case .multiplier?, .currency?, .unit?, .percent?:
                    // A single Latin letter is a code ("5G", "4K"), not grams or metres.
                    if tokens[k].end - tokens[k].start == 1 && prefix == nil { return Reading(next: k + 1) }
                case nil where prefix != nil && Self.shortMultipliers[key] != nil:
                    break
                case nil where Self.englishOrdinalSuffixes.contains(key) && literal.integer != nil:
                    guard options.ordinals else { return Reading(next: k + 1) }
                    figure.kind = .ordinal
                    figure.end = k + 1
                    return Reading(figure: figure, next: k + 1)
                default:
                    return Reading(next: k + 1)
                }
            } else if let mark = tokens.asciiMark(k), Self.pathMarks.contains(mark), tokens.joined(k + 1),
                tokens.isWord(k + 1) || tokens.isNumber(k + 1)
            {
                return Reading(next: k + 2)
            } else if tokens.asciiMark(k) == 0x2E, tokens.joined(k + 1), tokens.isWord(k + 1) {
                return Reading(next: k + 2)
            }
        }

        if let integer = literal.integer, let date = dateReading(integer: integer, digits: literal.digits, at: i, after: k) {
            return date
        }
        if literal.mayBeTime && isTimeContext(i) { figure.dropWhenBare = true }
        if let integer = literal.integer, literal.digits == 4, (1800...2100).contains(integer) { figure.dropWhenBare = true }

        if prefix == nil && !inRange && followsLabel(i) {
            // "статьи 228", "ч. 2", "№ 5": the number names an item, it counts nothing.
            guard options.ordinals else { return Reading(next: k) }
            figure.kind = .ordinal
            return Reading(figure: figure, next: k)
        }
        if prefix == nil && isNegativeSign(before: i) { figure.minusSign = i - 1 }
        if let prefix {
            figure.start = prefix.start
            figure.kind = .money
            figure.currency = prefix.code
            figure.unit = prefix.start..<(prefix.start + 1)
        }
        tail(&figure, from: k, afterCurrencySign: prefix != nil)
        if !inRange, isVersionOrModel(figure, at: i) { return Reading(next: figure.end) }
        return Reading(figure: figure, next: figure.end)
    }

    /// A number read from its digits and separators.
    struct Literal {
        var amount: NumberAmount
        var end: Int
        /// The value of a plain integer (no separators), for the date and year tests.
        var integer: Int?
        var digits: Int
        /// "10.30": may be a time of day.
        var mayBeTime = false
    }

    /// The number at i with its decimal and thousands separators, or nil for what only looks
    /// like one: a date or version ("23.01.2019", "1.2.3"), a time or score ("10:30"), a
    /// fraction ("1/2"), a phone number ("8-800-2000-600"), a code with a leading zero ("007").
    func literal(at i: Int) -> Literal? {
        // The run of numbers joined by marks, cut at a dash: "5-7" is a range, read as two.
        var parts = [i]
        var separator: UInt8?
        var dashes = 0
        var k = i
        var segmentEnd: Int?
        while k + 2 < tokens.count, tokens.joined(k + 1), tokens.joined(k + 2), tokens.isNumber(k + 2) {
            if tokens.isMark(k + 1, .dash) {
                dashes += 1
                if segmentEnd == nil { segmentEnd = k + 1 }
            } else if let mark = tokens.asciiMark(k + 1), mark == 0x2E || mark == 0x2C || mark == 0x3A || mark == 0x2F {
                if mark == 0x3A || mark == 0x2F { return nil }
                if segmentEnd == nil {
                    if let separator, separator != mark { return nil }
                    separator = mark
                    parts.append(k + 2)
                }
            } else {
                break
            }
            k += 2
        }
        if dashes >= 2 { return nil }
        if dashes == 1, let segmentEnd {
            // "1990-2000" and "2016-17" are spans of years.
            let second = segmentEnd + 1
            if parts.count == 1, tokens.digits(i) == 4, let a = tokens.number(i), (1800...2100).contains(a),
                let b = tokens.number(second),
                tokens.digits(second) == 4 ? (1800...2100).contains(b) : (tokens.digits(second) == 2 && b == (a + 1) % 100)
            {
                return nil
            }
        }

        guard var amount = integerAmount(parts[0]) else { return nil }
        let leadDigits = tokens.digits(parts[0])
        if leadDigits > 1 && tokens.bytes[Int(tokens[parts[0]].start)] == 0x30 { return nil }
        if leadDigits > 12 { return nil }
        var end = parts[parts.count - 1] + 1
        var literal = Literal(amount: amount, end: end, integer: parts.count == 1 ? tokens.number(parts[0]) : nil, digits: leadDigits)
        if parts.count == 2 {
            // A decimal fraction: "5,3", "12.75".
            let fraction = parts[1]
            let places = tokens.digits(fraction)
            guard places <= 9, let decimals = integerAmount(fraction),
                let sum = amount + NumberAmount(decimals.significand, exponent: -places)
            else { return nil }
            literal.amount = sum
            literal.integer = nil
            literal.mayBeTime =
                separator == 0x2E && places == 2 && leadDigits <= 2
                && (tokens.number(parts[0]) ?? 99) < 24 && (tokens.number(fraction) ?? 99) < 60
            return literal
        }
        if parts.count > 2 {
            // "1,500,000", "1.500.000": groups of three after a lead of one to three digits.
            guard leadDigits <= 3, parts.dropFirst().allSatisfy({ tokens.digits($0) == 3 }) else { return nil }
            for part in parts.dropFirst() {
                guard let group = integerAmount(part), let shifted = amount.scaled(byPowerOfTen: 3), let sum = shifted + group else {
                    return nil
                }
                amount = sum
            }
            literal.amount = amount
            return literal
        }

        // "1 500 000": groups of three separated by one space (NBSP and thin spaces included).
        guard leadDigits <= 3 else { return literal }
        var grouped = false
        while tokens.isNumber(end), tokens.digits(end) == 3, singleSpace(before: end),
            !tokens.joined(end + 1) || !tokens.isNumber(end + 2) || !tokens.isMark(end + 1, .dash)
        {
            guard let group = integerAmount(end), let shifted = amount.scaled(byPowerOfTen: 3), let sum = shifted + group else {
                return nil
            }
            amount = sum
            end += 1
            grouped = true
        }
        guard grouped else { return literal }
        // More numbers after the groups make a run that is no single figure: "8 800 555 35 35".
        if tokens.isNumber(end), tokens[end].spaced, tokens.sameLine(end) { return nil }
        // A decimal part after the last group: "1 500,5".
        if tokens.joined(end), let mark = tokens.asciiMark(end), mark == 0x2C || mark == 0x2E, tokens.joined(end + 1),
            tokens.isNumber(end + 1),
            tokens.digits(end + 1) <= 9, let decimals = integerAmount(end + 1),
            let sum = amount + NumberAmount(decimals.significand, exponent: -tokens.digits(end + 1))
        {
            amount = sum
            end += 2
        }
        literal.amount = amount
        literal.end = end
        literal.integer = nil
        literal.digits = 0
        return literal
    }

    /// The end of the numbers at i that are no figure: the run of numbers joined by marks
    /// ("23.01.2019", "10:30") and the numbers one space after it ("8 800 555 35 35"), so a
    /// rejected run is passed over whole.
    func skipEnd(from i: Int) -> Int {
        var k = i
        while true {
            while k + 2 < tokens.count, tokens.joined(k + 1), tokens.joined(k + 2), tokens.isNumber(k + 2),
                tokens.isMark(k + 1, .dash) || tokens.asciiMark(k + 1) != nil
            {
                k += 2
            }
            guard tokens.isNumber(k + 1), singleSpace(before: k + 1) else { return k + 1 }
            k += 1
        }
    }

    func integerAmount(_ i: Int) -> NumberAmount? {
        let t = tokens[i]
        guard t.end - t.start <= 18 else { return nil }
        var value: Int64 = 0
        for k in Int(t.start)..<Int(t.end) { value = value * 10 + Int64(tokens.bytes[k] - 0x30) }
        return NumberAmount(value)
    }

    /// Exactly one space character between token k-1 and token k, on one line.
    func singleSpace(before k: Int) -> Bool {
        guard k > 0, k < tokens.count, tokens.sameLine(k), tokens[k].spaced else { return false }
        let from = Int(tokens[k - 1].end), to = Int(tokens[k].start)
        let b = tokens.bytes
        switch to - from {
        case 1: return b[from] == 0x20
        case 2: return b[from] == 0xC2 && b[from + 1] == 0xA0
        case 3: return b[from] == 0xE2 && b[from + 1] == 0x80 && (b[from + 2] == 0x89 || b[from + 2] == 0xAF || b[from + 2] == 0x88)
        default: return false
        }
    }

    /// Number i is part of a name or code: "СИЗО-6", "Су-27", "COVID-19", "A320", "ria.ru/123".
    func insideWord(_ i: Int) -> Bool {
        guard tokens.joined(i) else { return false }
        if tokens.isWord(i - 1) { return true }
        guard tokens.joined(i - 1), i >= 2 else { return false }
        if tokens.isMark(i - 1, .dash) { return tokens.isWord(i - 2) || tokens.isNumber(i - 2) }
        if let mark = tokens.asciiMark(i - 1), Self.pathMarks.contains(mark) || mark == 0x2E || mark == 0x3A {
            return tokens.isWord(i - 2) || tokens.isNumber(i - 2)
        }
        return false
    }
    /// / _ # @ = & \ glue parts of addresses and identifiers.
    static let pathMarks: Set<UInt8> = Set("/_#@=&\\".utf8)

    /// "+7 (495) 123-45-67", "8 (800) 555-35-35", "(495) 123-45-67", "+7 999 123 45 67": the token
    /// after the phone number that starts at i, or nil when there is none.
    func phoneEnd(at i: Int) -> Int? {
        let plus = tokens.joined(i) && tokens.asciiMark(i - 1) == 0x2B
        let inParentheses = tokens.joined(i) && tokens.asciiMark(i - 1) == 0x28 && tokens.joined(i + 1) && tokens.asciiMark(i + 1) == 0x29
        let beforeParentheses =
            tokens.sameLine(i + 1) && tokens.asciiMark(i + 1) == 0x28 && tokens.isNumber(i + 2) && tokens.asciiMark(i + 3) == 0x29
        guard plus || inParentheses || beforeParentheses else { return nil }
        var k = i, digits = 0, numbers = 0
        while k < tokens.count, k == i || tokens.sameLine(k) {
            if tokens.isNumber(k) {
                digits += tokens.digits(k); numbers += 1
            } else if !(tokens.isMark(k, .dash) || tokens.asciiMark(k) == 0x28 || tokens.asciiMark(k) == 0x29) {
                break
            }
            k += 1
        }
        guard digits >= 7, numbers >= 3 || (plus && numbers >= 2 && digits >= 10) else { return nil }
        return k
    }

    /// A label of a legal text's parts, which numbers what it names: статья, часть, пункт, глава,
    /// "ст.", "ч.", "п.". ("№ 5" and "номер 5" stay cardinal, as news annotation has them.)
    func followsLabel(_ i: Int) -> Bool {
        guard i > 0 else { return false }
        if tokens.asciiMark(i - 1) == 0x2E {
            guard tokens.joined(i - 1), let key = tokens.key(i - 2) else { return false }
            return Self.labelAbbreviations.contains(key)
        }
        guard tokens[i].spaced, let key = tokens.key(i - 1) else { return false }
        return Self.labels.contains(key)
    }
    static let labels: Set<WordKey> = {
        var words: [String] = []
        for (stem, endings) in [
            ("стать", ["я", "и", "е", "ю", "ей", "ям", "ями", "ях"]), ("част", ["ь", "и", "ью", "ям", "ями", "ях"]),
            ("пункт", ["", "а", "у", "ом", "е", "ы", "ам", "ами", "ах"]), ("глав", ["а", "ы", "е", "у", "ой"]),
            ("подпункт", ["", "а", "у", "ом", "е"]),
        ] {
            words += endings.map { stem + $0 }
        }
        return Set(words.map(WordKey.init))
    }()
    static let labelAbbreviations: Set<WordKey> = Set(["ст", "ч", "п", "пп", "гл", "подп"].map(WordKey.init))

    /// "версия 2.0", "Windows 10", "iPhone 12": the number after a version word, or a count after
    /// a capitalised Latin name that no unit of the lexicon follows.
    func isVersionOrModel(_ figure: NumberFigure, at i: Int) -> Bool {
        guard figure.start == i, i > 0, tokens[i].spaced, tokens.isWord(i - 1) else { return false }
        if case .version? = lexiconWord(i - 1) { return true }
        guard figure.kind == .cardinal, hasLatinCapital(i - 1) else { return false }
        guard let unit = figure.unit else { return true }
        if case .unit? = lexiconWord(unit.lowerBound) { return false }
        return true
    }

    func hasLatinCapital(_ k: Int) -> Bool {
        let t = tokens[k]
        guard tokens.bytes[Int(t.start)] < 0x80 else { return false }
        for n in Int(t.start)..<Int(t.end) where tokens.bytes[n] >= 0x41 && tokens.bytes[n] <= 0x5A { return true }
        return false
    }

    /// A hyphen or minus sign glued to the number, after a space or an opening parenthesis, and
    /// not between two numbers.
    func isNegativeSign(before i: Int) -> Bool {
        guard tokens.joined(i), i >= 1 else { return false }
        let t = tokens[i - 1]
        let s = Int(t.start), width = Int(t.end) - s
        let isMinus =
            (width == 1 && tokens.bytes[s] == 0x2D)
            || (width == 3 && tokens.bytes[s] == 0xE2 && tokens.bytes[s + 1] == 0x88 && tokens.bytes[s + 2] == 0x92)
        guard isMinus else { return false }
        if i == 1 || !tokens.sameLine(i - 1) { return true }
        if tokens.isNumber(i - 2) { return false }
        return t.spaced || tokens.asciiMark(i - 2) == 0x28
    }

    enum Suffix { case ordinal, cardinal, date, compound }

    /// What the word after "N-" makes of the number: "5-й" ordinal, "5-ти" and "2-х" cardinal
    /// (пяти, двух), "1990-х" and "2019-м" dates, "22-летний", "100-долларовой" compound words.
    func suffix(_ k: Int, literal: Literal) -> Suffix {
        guard let key = tokens.key(k), Self.ordinalSuffixes.contains(key) || Self.cardinalSuffixes.contains(key) else { return .compound }
        guard let n = literal.integer else { return .compound }
        if literal.digits == 4, (1000...2100).contains(n) { return .date }
        if literal.digits == 2, n % 10 == 0, Self.decadeSuffixes.contains(key) { return .date }
        if Self.cardinalSuffixes.contains(key) {
            // "2-х", "3-х", "4-х" are двух, трёх, четырёх; "5-х" is пятых.
            if key == Self.ordinalPluralSuffix { return (2...4).contains(n % 10) && n % 100 / 10 != 1 ? .cardinal : .ordinal }
            if key == Self.instrumentalSuffix { return n % 10 == 7 || n % 10 == 8 ? .cardinal : .ordinal }
            return .cardinal
        }
        return .ordinal
    }
    static let ordinalSuffixes: Set<WordKey> = Set(
        [
            "й", "я", "е", "го", "му", "м", "ю", "ой", "ый", "ий", "ая", "ое", "ые", "ого", "ому", "ом",
            "ым", "ых", "ую", "ей", "ему", "его", "ем", "ье", "ья", "ьей", "ого",
        ].map(WordKey.init))
    static let cardinalSuffixes: Set<WordKey> = Set(["х", "ти", "ми", "ух", "ёх", "и", "ью"].map(WordKey.init))
    static let decadeSuffixes: Set<WordKey> = Set(["х", "е", "ых", "ые", "ми"].map(WordKey.init))
    static let ordinalPluralSuffix = WordKey("х"), instrumentalSuffix = WordKey("ми")
    static let englishOrdinalSuffixes: Set<WordKey> = Set(["st", "nd", "rd", "th"].map(WordKey.init))

    /// Day-month, year and day-of-month readings of the plain integer at i (its word or mark
    /// after it at k): "23 января", "в 2019 году", "2019 г.", "января 2019", "23 числа".
    func dateReading(integer: Int, digits: Int, at i: Int, after k: Int) -> Reading? {
        if digits <= 2, (1...31).contains(integer) {
            if let end = dayMonth(after: k) { return Reading(next: end, isDate: true) }
            if k < tokens.count, tokens.sameLine(k), case .dayOfMonth? = lexiconWord(k) { return Reading(next: k + 1, isDate: true) }
        }
        guard digits == 3 || digits == 4, (1...2100).contains(integer) else { return nil }
        if k < tokens.count, tokens.sameLine(k), case let .year(plural, abbreviated)? = dateWord(k) {
            let countable = tokens.key(k) == Self.yearGenitive || abbreviated
            if digits == 4 && integer >= 1000 || plural || !countable { return Reading(next: k + 1, isDate: true) }
        }
        if digits == 4, integer >= 1000, i > 0, tokens.sameLine(i), case .month? = dateWord(i - 1) {
            return Reading(next: k, isDate: true)
        }
        return nil
    }
    static let yearGenitive = WordKey("года")

    /// The end of "января" after a day number at k, when k is a month in the genitive.
    func dayMonth(after k: Int) -> Int? {
        guard k < tokens.count, tokens.sameLine(k), tokens[k].spaced, DateLexicon.mayBeMonth(tokens, k),
            case let .month(_, genitive, _)? = dateWord(k), genitive
        else { return nil }
        return k + 1
    }

    /// "в 10.30", "с 9.00 до 18.00".
    func isTimeContext(_ i: Int) -> Bool {
        guard i > 0, tokens.sameLine(i), let key = tokens.key(i - 1) else { return false }
        return Self.timePrepositions.contains(key)
    }
    static let timePrepositions: Set<WordKey> = Set(["в", "во", "с", "со", "до", "к", "около", "после", "между", "по"].map(WordKey.init))

    func dateWord(_ k: Int) -> DateWord? {
        guard let key = tokens.key(k) else { return nil }
        return DateLexicon.lookup(key)
    }

    func lexiconWord(_ k: Int) -> NumberWord? {
        guard let key = tokens.key(k) else { return nil }
        return NumberLexicon.lookup(key)
    }
}
