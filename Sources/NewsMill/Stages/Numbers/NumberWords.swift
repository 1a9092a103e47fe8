/// Figures spelled in words ("двадцать пять", "полторы тысячи", "третьего") and Roman numerals ("XXI").
extension NumberGrammar {
    func words(at i: Int) -> Reading {
        if isRoman(i) { return roman(at: i) }
        guard let first = lexiconWord(i) else { return Reading(next: i + 1) }
        // "во-вторых", "кое-что": a part of a hyphenated word.
        if tokens.joined(i), tokens.isMark(i - 1, .dash), tokens.joined(i - 1), tokens.isWord(i - 2), !isNumberWord(i - 2) {
            return Reading(next: i + 1)
        }
        switch first {
        case .minus:
            guard i + 1 < tokens.count, tokens.sameLine(i + 1), tokens.isNumber(i + 1) || isCardinalWord(i + 1) else {
                return Reading(next: i + 1)
            }
            var next = reading(at: i + 1, inRange: true)
            guard var figure = next.figure, figure.kind != .ordinal else { return next }
            figure.negative = true
            figure.start = i
            figure.dropWhenBare = false
            next.figure = figure
            return next
        case .multiplier(let exponent, let alone, let afterApproximation, _):
            let approximated =
                i > 0 && tokens.sameLine(i)
                && {
                    if case .approximation? = lexiconWord(i - 1) { return true } else { return false }
                }()
            guard options.words, alone || (afterApproximation && approximated), let amount = NumberAmount(1).scaled(byPowerOfTen: exponent)
            else {
                return Reading(next: i + 1)
            }
            var figure = NumberFigure(start: i, end: i + 1, amount: amount, base: NumberAmount(1), exponent: exponent)
            tail(&figure, from: i + 1, afterCurrencySign: false)
            return compoundWordEnd(figure)
        case .times(let value):
            guard options.words else { return Reading(next: i + 1) }
            return Reading(
                figure: NumberFigure(start: i, end: i + 1, amount: NumberAmount(Int64(value)), base: NumberAmount(Int64(value))),
                next: i + 1)
        case .cardinal, .collective, .oneAndHalf, .ordinal:
            guard options.words else { return Reading(next: i + 1) }
            return numberWords(at: i)
        default:
            return Reading(next: i + 1)
        }
    }

    func isNumberWord(_ k: Int) -> Bool {
        switch lexiconWord(k) {
        case .cardinal?, .collective?, .oneAndHalf?, .ordinal?: return true
        default: return false
        }
    }

    /// A figure spelled in words: "двадцать пять", "сто двадцать три тысячи", "полторы тысячи",
    /// "двое", "двадцать пятый".
    func numberWords(at i: Int) -> Reading {
        var total = NumberAmount(0)
        var group = NumberAmount(0)
        var hasGroup = false
        var lastRank = Int.max, lastTeen = false, lastExponent = Int.max
        var k = i
        var exponentUsed = 0
        var base: NumberAmount?
        loop: while k < tokens.count, k == i || (tokens.sameLine(k) && tokens[k].spaced) {
            guard let word = lexiconWord(k) else { break }
            switch word {
            case let .cardinal(value, rank, teen) where rank < lastRank && !lastTeen:
                guard let sum = group + NumberAmount(Int64(value)) else { return Reading(next: k + 1) }
                group = sum
                hasGroup = true
                lastRank = rank; lastTeen = teen
                k += 1
            case let .ordinal(value, rank, _) where rank < lastRank && !lastTeen:
                guard options.ordinals, let sum = group + NumberAmount(Int64(value)), let ordinal = total + sum else {
                    return Reading(next: k + 1)
                }
                // "двадцать третьего февраля", "в двухтысячном году" ("третий год подряд" is no date).
                if let end = dayMonth(after: k + 1) { return Reading(next: end, isDate: true) }
                if ordinal.double >= 1000, k + 1 < tokens.count, case .year? = dateWord(k + 1) { return Reading(next: k + 2, isDate: true) }
                let figure = NumberFigure(start: i, end: k + 1, amount: ordinal, base: ordinal, kind: .ordinal)
                return compoundWordEnd(figure)
            case .collective(let value) where k == i:
                var figure = NumberFigure(start: i, end: i + 1, amount: NumberAmount(Int64(value)), base: NumberAmount(Int64(value)))
                tail(&figure, from: i + 1, afterCurrencySign: false)
                return compoundWordEnd(figure)
            case .oneAndHalf where k == i:
                group = NumberAmount(15, exponent: -1)
                hasGroup = true
                lastRank = 0; lastTeen = true
                k += 1
            case let .multiplier(exponent, _, _, abbreviated) where hasGroup && exponent < lastExponent && !abbreviated:
                guard let scaled = group.scaled(byPowerOfTen: exponent), let sum = total + scaled else { return Reading(next: k + 1) }
                if base == nil { base = group; exponentUsed = exponent }
                total = sum
                group = NumberAmount(0)
                hasGroup = false
                lastExponent = exponent
                lastRank = Int.max; lastTeen = false
                k += 1
            default:
                break loop
            }
        }
        guard k > i, let amount = total + group else { return Reading(next: i + 1) }
        // "один из лидеров" is "one of", no count.
        if k == i + 1, amount == NumberAmount(1), k < tokens.count, tokens.key(k) == Self.outOf { return Reading(next: k) }
        var figure = NumberFigure(start: i, end: k, amount: amount, base: base ?? amount, exponent: exponentUsed)
        tail(&figure, from: k, afterCurrencySign: false)
        return compoundWordEnd(figure)
    }

    /// A figure in words glued by a hyphen to a word that is no number ("двух-этажный") is part of it.
    func compoundWordEnd(_ figure: NumberFigure) -> Reading {
        let end = figure.end
        if tokens.joined(end), tokens.isMark(end, .dash), tokens.joined(end + 1), tokens.isWord(end + 1), !isNumberWord(end + 1) {
            return Reading(next: end + 2)
        }
        return Reading(figure: figure, next: end)
    }

    // MARK: Roman numerals

    func isRoman(_ i: Int) -> Bool {
        let t = tokens[i]
        guard t.kind == .word, t.end - t.start <= 6 else { return false }
        for k in Int(t.start)..<Int(t.end) {
            let b = tokens.bytes[k]
            guard b == 0x49 || b == 0x56 || b == 0x58 else { return false }
        }
        return true
    }

    /// "XXI съезд", "Пётр I", "II место": ordinals up to 39 in canonical form; "XX век" and
    /// "XIX в." are dates; next to Latin words a Roman numeral is part of a name.
    func roman(at i: Int) -> Reading {
        let t = tokens[i]
        let length = Int(t.end - t.start)
        guard options.ordinals, let key = tokens.key(i), let value = Self.romanValues[key] else { return Reading(next: i + 1) }
        if tokens.joined(i) && !(tokens.asciiMark(i - 1) == 0x28 || tokens.asciiMark(i - 1) == 0x2C) { return Reading(next: i + 1) }
        if tokens.joined(i + 1) && (tokens.isMark(i + 1, .dash) || tokens.isWord(i + 1)) { return Reading(next: i + 1) }
        if isLatinWord(i - 1) || isLatinWord(i + 1) { return Reading(next: i + 1) }
        if length == 1 && !(tokens.isWord(i - 1) && tokens.isCapitalized(i - 1))
            && tokens.key(i + 1).map(Self.romanDegreeNouns.contains) != true
        {
            return Reading(next: i + 1)
        }
        if i + 1 < tokens.count, tokens.sameLine(i + 1), let word = dateWord(i + 1) {
            if case .century = word { return Reading(next: i + 2, isDate: true) }
            if tokens.key(i + 1) == Self.centuryAbbreviation, tokens.joined(i + 2), tokens.asciiMark(i + 2) == 0x2E {
                return Reading(next: i + 2, isDate: true)
            }
        }
        return Reading(
            figure: NumberFigure(
                start: i, end: i + 1, amount: NumberAmount(Int64(value)), base: NumberAmount(Int64(value)), kind: .ordinal),
            next: i + 1)
    }
    static let centuryAbbreviation = WordKey("в")
    /// "орден … I степени", "V созыва": nouns a one-letter Roman numeral is ranked by.
    static let romanDegreeNouns: Set<WordKey> = Set(
        ["степени", "ступени", "класса", "категории", "группы", "созыва", "тура", "этапа"].map(WordKey.init))

    func isLatinWord(_ k: Int) -> Bool {
        guard k >= 0, k < tokens.count, tokens.isWord(k) else { return false }
        let b = tokens.bytes[Int(tokens[k].start)]
        return b < 0x80
    }

    /// The canonical Roman numerals 1–39, by their lower-cased key.
    static let romanValues: [WordKey: Int] = {
        var table = [WordKey: Int]()
        let units = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
        for value in 1...39 {
            table[WordKey(String(repeating: "x", count: value / 10) + units[value % 10])] = value
        }
        return table
    }()
}
