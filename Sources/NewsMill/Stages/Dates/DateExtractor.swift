/// A date expression in a text: its span in Unicode scalars of the text (end exclusive) and its
/// value in ISO 8601 — "2019-01-23", "2019-01", "2019"; "--01-23" or "--01" when no year is known;
/// ranges as intervals, "2019-03-01/2019-03-03", decades and centuries included ("1990/1999").
public struct DateMention: Sendable, Equatable {
    public var text: String
    /// nil for a relative date ("вчера") in a document with no publication day.
    public var value: String?
    public var start: Int
    public var end: Int
    /// "published" when the value was counted from the publication date: a relative date, or a
    /// date that names no year.
    public var anchor: String?

    public init(text: String, value: String?, start: Int, end: Int, anchor: String? = nil) {
        self.text = text
        self.value = value
        self.start = start
        self.end = end
        self.anchor = anchor
    }
}

/// Finds absolute date expressions in Russian text: "23 января 2019 года", "с 1 по 3 марта",
/// "23.01.2019", "2019-01-23", "в январе 2019 года", "в 2019 году", "2011—2016 годы", "в 1990-х годах",
/// "в XX веке"; with `relative`, also those named from the day of writing ("вчера", "в пятницу",
/// "на прошлой неделе", "три года назад": `RelativeDates`), valued from the publication date. The span takes in the preposition and the words that frame the date ("в начале", "весной",
/// "в четверг,"), as news annotation does.
public struct DateExtractor: Sendable {
    /// Year and month of the document's publication, to place dates that name no year.
    public var reference: (year: Int, month: Int)?
    let relative: RelativeDates?

    public init(published: String? = nil, relative: Bool = true) {
        reference = published.flatMap(Self.yearMonth)
        self.relative = relative ? RelativeDates(published: published) : nil
    }

    public func extract(from text: String) -> [DateMention] {
        var text = text
        return text.withUTF8 { extract(utf8: $0) }
    }

    private func extract(utf8: UnsafeBufferPointer<UInt8>) -> [DateMention] {
        // One parser for every line, cutting each into its own tokens: a parser made per line
        // would copy (retain and release) the tokens for each.
        var parser = Parser(tokens: WordTokens(utf8, words: .letters))
        var mentions: [DateMention] = []
        var offsets = parser.tokens.scalarOffsets
        // Relative mentions by index, with where they start (byte, scalar): an absolute date that
        // frames one ("в четверг, 11 июля") replaces it, and starts before the offsets counted so far.
        var relatives: [Int: RelativeStart] = [:]
        for line in parser.tokens.lines {
            let absolute = parser.tokens.mayHoldDate(line)
            let relative = relative != nil && RelativeDates.mayHold(parser.tokens.bytes, line)
            guard absolute || relative else { continue }
            parser.tokens.removeAll()
            parser.tokens.append(line)
            var i = 0
            while i < parser.tokens.count {
                if absolute, parser.isAnchor(i), let match = parser.match(at: i) {
                    let tokens = parser.tokens
                    let startByte = Int(tokens[match.start].start)
                    // The absolute date takes in the relative ones it frames ("в четверг, 11 июля"),
                    // whose offsets were counted already.
                    var replaced: RelativeStart?
                    while let last = relatives[mentions.count - 1], last.endByte > startByte {
                        replaced = last
                        relatives[mentions.count - 1] = nil
                        mentions.removeLast()
                    }
                    let start: Int
                    if let replaced {
                        start =
                            startByte >= replaced.byte
                            ? replaced.scalar + Self.scalars(utf8, from: replaced.byte, to: startByte)
                            : replaced.scalar - Self.scalars(utf8, from: startByte, to: replaced.byte)
                    } else {
                        start = offsets.offset(ofByte: startByte)
                    }
                    let end = offsets.offset(ofByte: Int(tokens[match.end - 1].end))
                    let (value, anchored) = format(match.value)
                    mentions.append(
                        DateMention(
                            text: tokens.text(match.start..<match.end), value: value, start: start, end: end,
                            anchor: anchored ? "published" : nil))
                    i = match.end
                } else if relative, let match = self.relative!.match(parser.tokens, at: i) {
                    let tokens = parser.tokens
                    let startByte = Int(tokens[match.start].start), endByte = Int(tokens[match.end - 1].end)
                    let start = offsets.offset(ofByte: startByte)
                    let end = offsets.offset(ofByte: endByte)
                    relatives[mentions.count] = RelativeStart(byte: startByte, scalar: start, endByte: endByte)
                    mentions.append(
                        DateMention(
                            text: tokens.text(match.start..<match.end), value: match.value, start: start, end: end,
                            anchor: match.value == nil ? nil : "published"))
                    i = match.end
                } else {
                    i += 1
                }
            }
        }
        return mentions
    }

    struct RelativeStart {
        var byte: Int
        var scalar: Int
        var endByte: Int
    }

    /// Unicode scalars in bytes from..<to (the bytes that are not continuation bytes).
    static func scalars(_ utf8: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var count = 0
        for k in from..<to where utf8[k] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    static func yearMonth(_ iso: String) -> (year: Int, month: Int)? {
        let u = Array(iso.utf8.prefix(7))
        guard u.count == 7, u[4] == 0x2D, u.allSatisfy({ $0 == 0x2D || (0x30...0x39).contains($0) }) else { return nil }
        let year = u[0..<4].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let month = Int(u[5] - 0x30) * 10 + Int(u[6] - 0x30)
        return (1...12).contains(month) ? (year, month) : nil
    }

    // MARK: Values

    /// The ISO value, and whether the publication date supplied part of it.
    private func format(_ value: DateValue) -> (String, Bool) {
        switch value {
        case .point(var p):
            let anchored = place(&p)
            return (p.iso, anchored)
        case .range(var a, var b):
            if a.month == nil && a.day != nil { a.month = b.month }
            if a.year == nil, let year = b.year, a.month != nil {
                a.year = (a.month ?? 0) > (b.month ?? 12) ? year - 1 : year
            }
            if b.year == nil, let year = a.year, b.month != nil {
                b.year = (b.month ?? 0) < (a.month ?? 1) ? year + 1 : year
            }
            let first = place(&a), second = place(&b)
            return (a.iso + "/" + b.iso, first || second)
        }
    }

    /// A month without a year takes the year that puts it nearest the publication month. True
    /// when the publication date gave the year.
    @discardableResult
    private func place(_ point: inout DatePoint) -> Bool {
        guard point.year == nil, let reference else { return false }
        if let relative = point.relativeYear {
            point.year = reference.year + relative
            return true
        }
        guard let month = point.month else { return false }
        let shift = month - reference.month
        point.year = reference.year + (shift > 6 ? -1 : shift < -6 ? 1 : 0)
        return true
    }
}

struct DatePoint: Equatable {
    var year: Int?
    var month: Int?
    var day: Int?
    /// "прошлого года": years from the publication year, used when there is one.
    var relativeYear: Int?

    var iso: String {
        var s = ""
        if let year {
            s = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        } else {
            s = "-"
        }
        if let month { s += month < 10 ? "-0\(month)" : "-\(month)" }
        if let day { s += day < 10 ? "-0\(day)" : "-\(day)" }
        return s
    }
}

enum DateValue: Equatable {
    case point(DatePoint)
    case range(DatePoint, DatePoint)
}

/// The grammar of date expressions over tokens.
private struct Parser {
    /// The tokens of the line read; the extractor cuts each line into them.
    var tokens: WordTokens

    static let and = WordKey("и"), or = WordKey("или"), life = WordKey("жизни"), centuryAbbreviation = WordKey("в")

    struct Match {
        var start: Int
        var end: Int
        var value: DateValue
    }

    /// What a date core consists of; `bare` ones (a lone day, year or month) are dates only in
    /// context: as the first end of a range, or after a preposition.
    enum Shape: Equatable {
        case dayMonth, month, year, numeric, decadeOrCentury
        case bareDay, bareYear, bareMonth, bareDecade
    }

    struct Core {
        var end: Int
        var shape: Shape
        var point: DatePoint
        var range: (DatePoint, DatePoint)?
    }

    func isAnchor(_ i: Int) -> Bool {
        tokens.isNumber(i) || DateLexicon.mayBeMonth(tokens, i) || isRoman(i)
    }

    func word(_ i: Int) -> DateWord? {
        guard let key = tokens.key(i) else { return nil }
        return DateLexicon.lookup(key)
    }

    func month(_ i: Int) -> (month: Int, genitive: Bool, abbreviated: Bool)? {
        guard DateLexicon.mayBeMonth(tokens, i), case let .month(m, genitive, abbreviated)? = word(i) else { return nil }
        return (m, genitive, abbreviated)
    }

    func preposition(_ i: Int) -> DateWord.Preposition? {
        guard i >= 0, case let .preposition(p)? = word(i) else { return nil }
        return p
    }

    // MARK: Whole expressions

    func match(at i: Int) -> Match? {
        guard let first = core(at: i) else { return nil }
        var end = first.end
        var value: DateValue = first.range.map { .range($0.0, $0.1) } ?? .point(first.point)
        var shape = first.shape
        var isRange = false
        let context = frame(before: i, shape: first.shape)

        // Ranges: "1–3 марта", "с 1 по 3 марта", "2011—2016 годы", "с января по март 2019 года".
        if first.range == nil, tokens.sameLine(end), end + 1 < tokens.count, tokens.sameLine(end + 1),
            tokens.isMark(end, .dash) || (preposition(end) == .until && context.opensRange),
            let second = core(at: end + 1), second.range == nil, fits(first.shape, second.shape),
            let closed = complete(first.point, second.point)
        {
            value = .range(closed, second.point)
            end = second.end
            shape = second.shape
            isRange = context.opensRange
        }

        switch shape {
        case .bareDay:
            return nil
        case .bareYear:
            // "с 1975 по 1977" is a span of years whatever follows it.
            guard isRange || standsForYear(i, end: end, context: context) else { return nil }
        case .bareMonth:
            // "в мае", "с января", "в конце марта"; a capitalised month after a lower-case word is a name.
            guard context.preposition != nil || context.periodPart else { return nil }
            if tokens.isCapitalized(i) && !tokens.isCapitalized(context.start) { return nil }
        case .bareDecade:
            // "в 90-х", "конца 90-х"; "1990-х" is a decade anywhere.
            guard context.preposition != nil || context.periodPart || tokens.digits(i) == 4 else { return nil }
        default:
            break
        }
        return Match(start: context.start, end: end, value: value)
    }

    /// The words before a date core that belong to the expression.
    struct Frame {
        var start: Int
        var preposition: DateWord.Preposition?
        var periodPart = false
        var opensRange: Bool { preposition == .from }
    }

    func frame(before i: Int, shape: Shape) -> Frame {
        var j = i - 1
        var frame = Frame(start: i)
        guard j >= 0, tokens.sameLine(i) else { return frame }
        func take(_ k: Int) { frame.start = k; j = k - 1 }
        switch word(j) {
        case .weekday? where shape == .dayMonth || shape == .numeric:
            take(j)
        case .periodPart?:
            take(j); frame.periodPart = true
        case .season? where shape == .year || shape == .month || shape == .bareYear:
            take(j)
            return frame
        default:
            // "В четверг, 11 июля 2019 года"
            if tokens.asciiMark(j) == 0x2C, shape == .dayMonth, j >= 1, tokens.sameLine(j), case .weekday? = word(j - 1) {
                take(j - 1)
            }
        }
        if j >= 0, frame.start > 0, tokens.sameLine(frame.start), let p = preposition(j) {
            frame.preposition = p
            take(j)
        }
        return frame
    }

    /// A four-digit number without "год" is a year in the places news put years: after a
    /// preposition ("в 1929,"), between a pause and a pause ("(1997)", "премии Соннинга (1981),"),
    /// attached to a name ("Олимпиаде-2016") or in a list of years ("в 2003, 2004 и 2005 годах");
    /// one followed by a noun ("2000 человек") is a count.
    func standsForYear(_ i: Int, end: Int, context: Frame) -> Bool {
        guard let year = tokens.number(i) else { return false }
        // Part of a number chain such as a phone number: "8-800-2000-600".
        if tokens.joined(i), tokens.isMark(i - 1, .dash), tokens.isNumber(i - 2) { return false }
        if end + 1 < tokens.count, tokens.joined(end), tokens.isMark(end, .dash), tokens.joined(end + 1), tokens.isNumber(end + 1) {
            return false
        }
        if context.preposition != nil && pauseFollows(end) { return true }
        guard (1800...2100).contains(year) else { return false }
        if pauseFollows(end) { return true }
        if tokens.joined(i), tokens.isMark(i - 1, .dash), tokens.joined(i - 1), tokens.isWord(i - 2) { return true }
        if end + 1 < tokens.count, tokens.sameLine(end), let conjunction = tokens.key(end),
            conjunction == Self.and || conjunction == Self.or, tokens.digits(end + 1) == 4
        {
            return true
        }
        return false
    }

    /// Punctuation that ends a phrase, a line end or the text end follows.
    func pauseFollows(_ k: Int) -> Bool {
        guard k < tokens.count, tokens.sameLine(k) else { return true }
        if tokens.isMark(k, .dash) { return true }
        if let mark = tokens.asciiMark(k) {
            return ",.;:)!?\"".utf8.contains(mark)
        }
        return tokens.isMark(k, .closeQuote)
    }

    /// Which second ends can close a range opened by which first ends.
    func fits(_ first: Shape, _ second: Shape) -> Bool {
        switch first {
        case .bareDay: return second == .dayMonth
        case .bareYear, .year: return second == .year || second == .bareYear
        case .dayMonth, .bareMonth, .month: return second == .dayMonth || second == .month || second == .bareMonth
        default: return false
        }
    }

    /// The first end of a range takes what it leaves out from the second ("с 1 по 3 марта").
    func complete(_ first: DatePoint, _ second: DatePoint) -> DatePoint? {
        var point = first
        if point.month == nil, point.day != nil { point.month = second.month }
        // "с 25 по 5 марта" is not a range ("с 25 декабря по 5 января" is), nor is "с 2000 по 1990 год".
        if point.year == nil || point.year == second.year, point.month == second.month,
            let d1 = point.day, let d2 = second.day, d1 >= d2
        {
            return nil
        }
        if point.month == nil, let y1 = point.year, let y2 = second.year, y1 >= y2 { return nil }
        return point
    }

    // MARK: Cores

    func core(at i: Int) -> Core? {
        if tokens.isNumber(i) {
            return numeric(at: i) ?? decade(at: i) ?? dayMonth(at: i) ?? year(at: i)
        }
        if let m = month(i), !m.abbreviated {
            if let tail = yearTail(at: i + 1) {
                return Core(end: tail.end, shape: .month, point: DatePoint(year: tail.year, month: m.month, relativeYear: tail.relative))
            }
            return Core(end: i + 1, shape: .bareMonth, point: DatePoint(month: m.month))
        }
        return century(at: i)
    }

    /// "23.01.2019", "23/01/19", "2019-01-23", with no spaces inside.
    func numeric(at i: Int) -> Core? {
        guard i + 4 < tokens.count, tokens.joined(i + 1), tokens.joined(i + 2), tokens.joined(i + 3), tokens.joined(i + 4),
            let sep = tokens.asciiMark(i + 1), tokens.asciiMark(i + 3) == sep,
            let a = tokens.number(i), let b = tokens.number(i + 2), let c = tokens.number(i + 4)
        else { return nil }
        // Not part of a longer dotted sequence (versions, IP addresses, 1.2.3.4).
        if tokens.joined(i), tokens.asciiMark(i - 1) == sep || tokens.isNumber(i - 1) { return nil }
        if i + 6 < tokens.count, tokens.joined(i + 5), tokens.asciiMark(i + 5) == sep, tokens.joined(i + 6), tokens.isNumber(i + 6) {
            return nil
        }
        var point: DatePoint
        if sep == 0x2D, tokens.digits(i) == 4, tokens.digits(i + 2) == 2, tokens.digits(i + 4) == 2 {
            point = DatePoint(year: a, month: b, day: c)
        } else if sep == 0x2E || sep == 0x2F, tokens.digits(i) <= 2, tokens.digits(i + 2) == 2,
            tokens.digits(i + 4) == 4 || tokens.digits(i + 4) == 2
        {
            let year = tokens.digits(i + 4) == 4 ? c : (c <= 50 ? 2000 + c : 1900 + c)
            point = DatePoint(year: year, month: b, day: a)
        } else {
            return nil
        }
        guard let y = point.year, (1000...2100).contains(y), let m = point.month, (1...12).contains(m),
            let d = point.day, d >= 1, d <= DateField.daysIn(month: m, year: y)
        else { return nil }
        var end = i + 5
        if let (_, after) = yearWord(at: end, plural: false) { end = after }
        return Core(end: end, shape: .numeric, point: point)
    }

    /// "23 января", "23 января 2019 года", "1 мая 2019 г."; alone, a day ("1" in "с 1 по 3 марта").
    func dayMonth(at i: Int) -> Core? {
        guard tokens.digits(i) <= 2, let day = tokens.number(i), (1...31).contains(day) else { return nil }
        if followsFigure(i) { return nil }
        let k = i + 1
        guard k < tokens.count, tokens.sameLine(k), tokens[k].spaced, let m = month(k), m.genitive else {
            return Core(end: i + 1, shape: .bareDay, point: DatePoint(day: day))
        }
        guard day <= DateField.daysIn(month: m.month, year: 2000) else { return nil }
        var end = k + 1
        var point = DatePoint(month: m.month, day: day)
        if let tail = yearTail(at: end) {
            if let year = tail.year, day > DateField.daysIn(month: m.month, year: year) { return nil }
            point.year = tail.year
            point.relativeYear = tail.relative
            end = tail.end
        }
        return Core(end: end, shape: .dayMonth, point: point)
    }

    /// "2019 года", "2019 г.", "1929г", "2019-м году", "988 год"; a bare four-digit year otherwise.
    func year(at i: Int) -> Core? {
        guard let year = tokens.number(i), !followsFigure(i) else { return nil }
        let digits = tokens.digits(i)
        var k = i + 1
        let suffixed = ordinalSuffix(at: k)
        if let suffixed { k = suffixed }
        if let (word, end) = yearWord(at: k, plural: nil) {
            // "400 г" is a weight, "на 102-м году жизни" an age.
            guard digits >= 3, (1...2100).contains(year), word != .year(plural: false, abbreviated: true) || digits == 4,
                tokens.key(end) != Self.life
            else { return nil }
            return Core(end: end, shape: .year, point: DatePoint(year: year))
        }
        guard digits == 4, (1000...2100).contains(year) else { return nil }
        // "в 1997-м", "с 1922-го": the ordinal ending makes it a year.
        if let suffixed { return Core(end: suffixed, shape: .year, point: DatePoint(year: year)) }
        // A season: "2016/17", "1989-90".
        if k + 1 < tokens.count, tokens.joined(k), tokens.asciiMark(k) == 0x2F || tokens.isMark(k, .dash), tokens.joined(k + 1),
            tokens.digits(k + 1) == 2, tokens.number(k + 1) == (year + 1) % 100
        {
            return Core(
                end: k + 2, shape: .bareYear, point: DatePoint(year: year),
                range: (DatePoint(year: year), DatePoint(year: year + 1)))
        }
        return Core(end: i + 1, shape: .bareYear, point: DatePoint(year: year))
    }

    /// Number i continues a figure: "1,5", "12.5", "10:30", "1/2".
    func followsFigure(_ i: Int) -> Bool {
        guard tokens.joined(i), tokens.isNumber(i - 2), tokens.joined(i - 1), let mark = tokens.asciiMark(i - 1) else { return false }
        return mark == 0x2C || mark == 0x2E || mark == 0x3A || mark == 0x2F
    }

    /// "1990-х годах", "1990-е годы", "90-х годов", "в 90-х": the decade as a range of years.
    func decade(at i: Int) -> Core? {
        guard let n = tokens.number(i), n % 10 == 0, tokens.digits(i) == 4 || tokens.digits(i) == 2,
            tokens.joined(i + 1), tokens.isMark(i + 1, .dash), tokens.joined(i + 2), tokens.isWord(i + 2),
            let suffix = tokens.key(i + 2), Self.decadeSuffixes.contains(suffix)
        else { return nil }
        let first = tokens.digits(i) == 2 ? 1900 + n : n
        guard (1000...2100).contains(first) else { return nil }
        let word = yearWord(at: i + 3, plural: true)
        return Core(
            end: word?.1 ?? i + 3, shape: word == nil ? .bareDecade : .decadeOrCentury, point: DatePoint(year: first),
            range: (DatePoint(year: first), DatePoint(year: first + 9)))
    }
    static let decadeSuffixes: Set<WordKey> = Set(["х", "е", "ых", "ые", "ми"].map(WordKey.init))

    /// "XX век", "в XXI веке", "XIX в.": the century as a range of years.
    func century(at i: Int) -> Core? {
        guard isRoman(i), let n = romanValue(i), (1...21).contains(n), i + 1 < tokens.count, tokens.sameLine(i + 1) else { return nil }
        let end = i + 2
        var isCenturyWord = false
        if case .century? = word(i + 1) { isCenturyWord = true }
        guard isCenturyWord || (tokens.key(i + 1) == Self.centuryAbbreviation && tokens.joined(end) && tokens.asciiMark(end) == 0x2E) else {
            return nil
        }
        let first = (n - 1) * 100 + 1
        return Core(
            end: end, shape: .decadeOrCentury, point: DatePoint(year: first),
            range: (DatePoint(year: first), DatePoint(year: n * 100)))
    }

    func isRoman(_ i: Int) -> Bool {
        guard tokens.isWord(i) else { return false }
        let t = tokens[i]
        guard t.end - t.start <= 6 else { return false }
        for k in Int(t.start)..<Int(t.end) {
            let b = tokens.bytes[k]
            guard b == 0x49 || b == 0x56 || b == 0x58 else { return false }
        }
        return true
    }

    func romanValue(_ i: Int) -> Int? {
        let t = tokens[i]
        var total = 0, previous = 0
        for k in (Int(t.start)..<Int(t.end)).reversed() {
            let v = tokens.bytes[k] == 0x49 ? 1 : tokens.bytes[k] == 0x56 ? 5 : 10
            total += v < previous ? -v : v
            previous = max(previous, v)
        }
        return total
    }

    struct YearTail {
        var year: Int?
        var relative: Int?
        var end: Int
    }

    /// The year after a month or a day and month: "2019", "2019 года", "2019-го", "2019 г.",
    /// "прошлого года".
    func yearTail(at k: Int) -> YearTail? {
        guard k < tokens.count, tokens.sameLine(k), tokens[k].spaced else { return nil }
        if case let .relativeYear(relative)? = word(k), let (_, end) = yearWord(at: k + 1, plural: false) {
            return YearTail(relative: relative, end: end)
        }
        guard let year = tokens.number(k) else { return nil }
        let digits = tokens.digits(k)
        var end = k + 1
        if let after = ordinalSuffix(at: end) { end = after }
        if let (_, after) = yearWord(at: end, plural: false) {
            guard digits >= 3, (1...2100).contains(year) else { return nil }
            return YearTail(year: year, end: after)
        }
        // Without "года", a number is a year when it looks like one and no noun follows it
        // ("23 января 1500 человек" is a count).
        guard digits == 4, (1000...2100).contains(year) else { return nil }
        if (1900...2100).contains(year) || !tokens.isWord(end) || !tokens.sameLine(end) { return YearTail(year: year, end: end) }
        return nil
    }

    /// "-м", "-го", "-й" after a year number.
    func ordinalSuffix(at k: Int) -> Int? {
        guard k + 1 < tokens.count, tokens.joined(k), tokens.isMark(k, .dash), tokens.joined(k + 1),
            let suffix = tokens.key(k + 1), Self.ordinalSuffixes.contains(suffix)
        else { return nil }
        return k + 2
    }
    static let ordinalSuffixes: Set<WordKey> = Set(["м", "го", "й", "ом", "ый"].map(WordKey.init))

    /// A year word at k ("года", "г", "1929г"). The full stop of an abbreviation stays outside
    /// the mention, as in news annotation.
    func yearWord(at k: Int, plural: Bool?) -> (DateWord, Int)? {
        guard k < tokens.count, tokens.sameLine(k), case let .year(isPlural, abbreviated)? = word(k) else { return nil }
        if let plural, plural != isPlural { return nil }
        return (.year(plural: isPlural, abbreviated: abbreviated), k + 1)
    }
}
