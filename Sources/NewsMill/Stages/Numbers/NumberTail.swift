/// What follows a number: multipliers ("тыс.", "млн"), a currency ("рублей", "$"), a percent sign
/// or word, a unit ("км", "°C") or a counted noun ("150 участников").
extension NumberGrammar {
    /// Multipliers, then currency, percent, unit or counted noun, from token k; moves
    /// `figure.end` over what it takes. After a currency sign ("$5 млн") only multipliers follow.
    func tail(_ figure: inout NumberFigure, from start: Int, afterCurrencySign: Bool) {
        var k = start
        if figure.exponent == 0, let (exponent, end) = multiplier(at: k, afterCurrencySign: afterCurrencySign),
            let scaled = figure.amount.scaled(byPowerOfTen: exponent)
        {
            figure.amount = scaled
            figure.exponent = exponent
            figure.end = dotEnd(end)
            k = afterDot(end)
            // "2 млн 300 тыс.": a smaller group after the first.
            var last = exponent
            while tokens.isNumber(k), tokens[k].spaced, tokens.sameLine(k), tokens.digits(k) <= 3,
                !tokens.joined(k + 1) || !tokens.isMark(k + 1, .dash),
                let (smaller, end) = multiplier(at: k + 1, afterCurrencySign: afterCurrencySign), smaller < last,
                let group = integerAmount(k), let scaledGroup = group.scaled(byPowerOfTen: smaller), let sum = figure.amount + scaledGroup
            {
                figure.amount = sum
                figure.end = dotEnd(end)
                last = smaller
                k = afterDot(end)
            }
        }
        if let currencyEnd = currencySymbolAfter(figure.end), figure.currency == nil {
            figure.kind = .money
            figure.currency = currencySymbol(currencyEnd - 1)
            figure.unit = (currencyEnd - 1)..<currencyEnd
            figure.end = currencyEnd
            return
        }
        if afterCurrencySign { return }
        guard k < tokens.count, tokens.sameLine(k) else { return }
        if let mark = tokens.asciiMark(k), mark == 0x25 {
            figure.kind = .percent
            figure.unit = k..<(k + 1)
            figure.end = k + 1
            return
        }
        if isDegree(k) {
            let end = tokens.joined(k + 1) && isTemperatureScale(k + 1) ? k + 2 : k + 1
            figure.unit = k..<end
            figure.end = end
            return
        }
        guard tokens.isWord(k), tokens[k].spaced || k == figure.end else { return }
        switch lexiconWord(k) {
        case .percent?:
            figure.kind = .percent
            figure.unit = k..<(k + 1)
            figure.end = k + 1
        case .percentAdjective?:
            if k + 1 < tokens.count, tokens.sameLine(k + 1), case .percentagePoint? = lexiconWord(k + 1) {
                figure.kind = .percent
                figure.unit = k..<(k + 2)
                figure.end = k + 2
            }
        case .currencyCountry(let code)?:
            if k + 1 < tokens.count, tokens.sameLine(k + 1), case .currency(_, let abbreviated)? = lexiconWord(k + 1) {
                figure.kind = .money
                figure.currency = code
                figure.unit = (k + 1)..<(k + 2)
                figure.end = abbreviated ? dotEnd(k + 2) : k + 2
            }
        case .currency(let code, let abbreviated)?:
            figure.kind = .money
            figure.currency = code
            figure.unit = k..<(k + 1)
            var end = k + 1
            if abbreviated { end = dotEnd(end) }
            // "долларов США", "фунтов стерлингов".
            if end < tokens.count, tokens.sameLine(end), tokens[end].spaced, case .currencyTail? = lexiconWord(end) { end += 1 }
            figure.end = end
        case .unitModifier(let abbreviated)?:
            // "5 кв. м", "90 тысяч квадратных километров".
            let next = abbreviated ? afterDot(k + 1) : k + 1
            if next < tokens.count, tokens.sameLine(next), tokens.isWord(next), unitOrNoun(next) {
                let end = unitEnd(next)
                figure.unit = k..<end
                figure.end = end
            }
        case .unit?, .percentagePoint?:
            let end = unitEnd(k)
            figure.unit = k..<end
            figure.end = end
        case nil:
            guard options.countedNouns, let noun = countedNoun(from: k) else { return }
            figure.unit = noun
            figure.end = noun.upperBound
        default:
            return
        }
    }

    /// A multiplier word at k and the token after it: "тыс", "млн", "тысяч"; after a currency
    /// sign also "m", "bn", "k" ("$5m").
    func multiplier(at k: Int, afterCurrencySign: Bool) -> (Int, Int)? {
        guard k < tokens.count, tokens.isWord(k), tokens.sameLine(k), let key = tokens.key(k) else { return nil }
        if case let .multiplier(exponent, _, _, _)? = NumberLexicon.lookup(key) { return (exponent, k + 1) }
        if afterCurrencySign, let exponent = Self.shortMultipliers[key] { return (exponent, k + 1) }
        return nil
    }
    static let shortMultipliers: [WordKey: Int] = [WordKey("k"): 3, WordKey("m"): 6, WordKey("mn"): 6, WordKey("b"): 9]

    /// A unit word at k with what completes it: "км/ч", "м²", "м3".
    func unitEnd(_ k: Int) -> Int {
        var end = k + 1
        if tokens.joined(end), tokens.asciiMark(end) == 0x2F, tokens.joined(end + 1), tokens.isWord(end + 1) { end += 2 }
        if tokens.joined(end), isSuperscript(end) { end += 1 }
        return end
    }

    func unitOrNoun(_ k: Int) -> Bool {
        if case .unit? = lexiconWord(k) { return true }
        return lexiconWord(k) == nil && looksLikeNoun(k)
    }

    /// The counted noun at k: "150 участников", "5 новых школ" (adjectives before the noun are
    /// in the span, not in the unit), "16 погибших" (a plural adjective used as a noun).
    func countedNoun(from k: Int) -> Range<Int>? {
        guard let noun = countedWord(from: k) else { return nil }
        // "пять экс-президентов", "двух вице-спикеров": the noun is the whole hyphenated word.
        let end = noun.upperBound
        if tokens.joined(end), tokens.isMark(end, .dash), tokens.joined(end + 1), tokens.isWord(end + 1) {
            return noun.lowerBound..<(end + 2)
        }
        return noun
    }

    func countedWord(from k: Int) -> Range<Int>? {
        guard looksLikeNoun(k) else { return nil }
        guard looksLikeAdjective(k) else { return k..<(k + 1) }
        var j = k + 1
        while j < k + 3, j < tokens.count, tokens.sameLine(j), tokens[j].spaced, tokens.isWord(j) {
            let word = lexiconWord(j)
            if case .unit? = word { return j..<(j + 1) }
            guard word == nil, looksLikeNoun(j) else { break }
            if !looksLikeAdjective(j) { return j..<(j + 1) }
            j += 1
        }
        return Self.pluralAdjectiveEndings.contains { ends(k, with: $0) } ? k..<(k + 1) : nil
    }

    /// Lower-case Cyrillic, three letters or more, not shaped like a verb.
    func looksLikeNoun(_ k: Int) -> Bool {
        let t = tokens[k]
        let s = Int(t.start), length = Int(t.end) - s
        guard t.kind == .word, length >= 6, length <= 40 else { return false }
        let b = tokens.bytes
        let lowerCyrillic = (b[s] == 0xD0 && b[s + 1] >= 0xB0) || (b[s] == 0xD1 && (b[s + 1] <= 0x8F || b[s + 1] == 0x91))
        guard lowerCyrillic else { return false }
        if Self.verbEndings.contains(where: { ends(k, with: $0) }) { return false }
        // "-ели" ends short nouns ("2 модели", "3 цели") and long past-tense verbs ("подешевели").
        return !(length >= 14 && ends(k, with: Self.pastPluralE))
    }
    static let pastPluralE = Array("ели".utf8)

    func looksLikeAdjective(_ k: Int) -> Bool {
        Self.adjectiveEndings.contains { ends(k, with: $0) }
    }

    func ends(_ k: Int, with ending: [UInt8]) -> Bool {
        let t = tokens[k]
        let start = Int(t.end) - ending.count
        guard start > Int(t.start) else { return false }
        for (n, byte) in ending.enumerated() where tokens.bytes[start + n] != byte { return false }
        return true
    }

    /// Endings nouns after a number hardly ever have: reflexive and present-tense verbs,
    /// infinitives, plural past tense.
    static let verbEndings: [[UInt8]] = [
        "ся", "сь", "ают", "яют", "уют", "еют", "ает", "яет", "ует", "еет", "ать", "ять", "еть",
        "ить", "уть", "ыть", "оть", "или", "али", "яли", "ыли", "шли",
    ].map { Array($0.utf8) }
    static let pluralAdjectiveEndings: [[UInt8]] = ["ых", "их", "ым", "ыми", "ими"].map { Array($0.utf8) }
    /// Adjective and participle endings; "-ий" is left out, as it ends the genitive plural of
    /// nouns in -ия/-ие ("5 партий").
    static let adjectiveEndings: [[UInt8]] = [
        "ых", "их", "ым", "ыми", "ими", "ой", "ый", "ая", "яя", "ое", "ую", "юю", "ого",
        "его", "ому", "ему", "ые",
    ].map { Array($0.utf8) }

    /// The token after an abbreviation's full stop at k, or k when there is none.
    func afterDot(_ k: Int) -> Int {
        k > 0 && isAbbreviation(k - 1) && tokens.joined(k) && tokens.asciiMark(k) == 0x2E ? k + 1 : k
    }

    func isAbbreviation(_ k: Int) -> Bool {
        switch lexiconWord(k) {
        case .multiplier(_, _, _, true)?, .currency(_, true)?, .unit(true)?, .unitModifier(true)?: return true
        default: return false
        }
    }

    /// The end of an abbreviation that closes the figure: its full stop is taken in unless it
    /// may also end the sentence (a line end or a capital letter follows).
    func dotEnd(_ k: Int) -> Int {
        guard k > 0, isAbbreviation(k - 1), tokens.joined(k), tokens.asciiMark(k) == 0x2E, k + 1 < tokens.count, tokens.sameLine(k + 1)
        else { return k }
        return tokens.isCapitalized(k + 1) ? k : k + 1
    }

    /// The currency sign after the number (joined or spaced: "5$", "10 €"): the token after it.
    func currencySymbolAfter(_ k: Int) -> Int? {
        guard k < tokens.count, tokens.sameLine(k), currencySymbol(k) != nil else { return nil }
        // "$5 и $7": a sign that opens the next figure is not this one's.
        if tokens[k].spaced, tokens.joined(k + 1), tokens.isNumber(k + 1) { return nil }
        return k + 1
    }

    func currencySymbol(_ k: Int) -> String? {
        guard k >= 0, k < tokens.count, tokens[k].kind == .mark else { return nil }
        let t = tokens[k]
        let s = Int(t.start)
        let b = tokens.bytes
        switch Int(t.end) - s {
        case 1: return b[s] == 0x24 ? "USD" : nil
        case 2: return b[s] == 0xC2 && b[s + 1] == 0xA3 ? "GBP" : nil
        case 3:
            guard b[s] == 0xE2, b[s + 1] == 0x82 else { return nil }
            switch b[s + 2] {
            case 0xAC: return "EUR"
            case 0xBD: return "RUB"
            case 0xB4: return "UAH"
            case 0xB8: return "KZT"
            case 0xB9: return "INR"
            case 0xBA: return "TRY"
            case 0xA9: return "KRW"
            default: return nil
            }
        default: return nil
        }
    }

    /// °
    func isDegree(_ k: Int) -> Bool {
        let t = tokens[k]
        let s = Int(t.start)
        return t.kind == .mark && t.end - t.start == 2 && tokens.bytes[s] == 0xC2 && tokens.bytes[s + 1] == 0xB0
    }

    /// C (Latin or Cyrillic) or F after °.
    func isTemperatureScale(_ k: Int) -> Bool {
        guard tokens.isWord(k) else { return false }
        let t = tokens[k]
        let s = Int(t.start), length = Int(t.end) - s
        let b = tokens.bytes
        return (length == 1 && (b[s] == 0x43 || b[s] == 0x46)) || (length == 2 && b[s] == 0xD0 && b[s + 1] == 0xA1)
    }

    /// ² or ³
    func isSuperscript(_ k: Int) -> Bool {
        let t = tokens[k]
        let s = Int(t.start)
        return t.kind == .mark && t.end - t.start == 2 && tokens.bytes[s] == 0xC2
            && (tokens.bytes[s + 1] == 0xB2 || tokens.bytes[s + 1] == 0xB3)
    }
}
