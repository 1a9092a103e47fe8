/// Publication dates from dump fields, page metadata and URLs, as ISO 8601: a date-time keeps its
/// time and, when the source gives one, its offset ("2019-01-23T14:05:00+03:00", "…T11:05:00Z",
/// "…T14:05:00" without); a date alone stays a date ("2019-01-23"). Fractions of a second are
/// dropped. Values that are not recognisably a date give nil; the caller keeps the raw value elsewhere.
enum DateField {
    struct Parsed: Equatable {
        var value: String
        /// The whole raw value was read; otherwise words after the date (a weekday, "по Москве")
        /// were left, and the raw value is kept beside it.
        var complete: Bool
    }

    static func isoDate(_ raw: String) -> String? {
        parse(raw)?.value
    }

    static func parse(_ raw: String) -> Parsed? {
        var reader = Reader(Array(raw.trimmingBlanks.utf8))
        guard !reader.atEnd else { return nil }
        if let parsed = reader.readNumeric() ?? reader.readRFC2822() {
            return Parsed(value: parsed, complete: reader.atEnd)
        }
        return nil
    }

    /// The date a URL's path holds: "/2018/12/14/", "/20190810/", "/2019-08-10/" (each part between
    /// slashes or ending the path, or followed by "-", "_" or "."), first one wins. Validated as a
    /// real day in 1990–2099, so ids and counters rarely pass for dates.
    static func fromURL(_ url: String) -> String? {
        let u = Array(url.utf8)
        var i = 0
        // The path starts after "scheme://host"; a URL without a scheme starts with its host.
        if let scheme = findSubsequence(u, [0x3A, 0x2F, 0x2F]) { i = scheme + 3 }
        while i < u.count && u[i] != 0x2F && u[i] != 0x3F && u[i] != 0x23 { i += 1 }
        while i < u.count && u[i] != 0x3F && u[i] != 0x23 {
            if u[i] == 0x2F, let date = dateAfterSlash(u, i + 1) { return date }
            i += 1
        }
        return nil
    }

    private static func dateAfterSlash(_ u: [UInt8], _ start: Int) -> String? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var v = 0
            for k in from..<(from + count) {
                guard isDigit(u[k]) else { return nil }
                v = v * 10 + Int(u[k] - 0x30)
            }
            return v
        }
        func ends(_ at: Int, slashOnly: Bool = false) -> Bool {
            guard at < u.count else { return true }
            let b = u[at]
            return b == 0x2F || b == 0x3F || b == 0x23 || (!slashOnly && (b == 0x2D || b == 0x5F || b == 0x2E))
        }
        func day(_ y: Int, _ m: Int, _ d: Int) -> String? {
            guard (1990...2099).contains(y), (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d) else { return nil }
            return format(y, m, d)
        }
        guard let y = digits(start, 4) else { return nil }
        // /2018/12/14/
        if start + 4 < u.count, u[start + 4] == 0x2F, let m = digits(start + 5, 2), start + 7 < u.count, u[start + 7] == 0x2F,
            let d = digits(start + 8, 2), ends(start + 10, slashOnly: true)
        {
            return day(y, m, d)
        }
        // /2019-08-10/ or /2019-08-10-slug
        if start + 4 < u.count, u[start + 4] == 0x2D, let m = digits(start + 5, 2), start + 7 < u.count, u[start + 7] == 0x2D,
            let d = digits(start + 8, 2), ends(start + 10)
        {
            return day(y, m, d)
        }
        // /20190810/
        if let m = digits(start + 4, 2), let d = digits(start + 6, 2), ends(start + 8) {
            return day(y, m, d)
        }
        return nil
    }

    private static func findSubsequence(_ u: [UInt8], _ needle: [UInt8]) -> Int? {
        guard u.count >= needle.count else { return nil }
        for i in 0...(u.count - needle.count) where u[i] == needle[0] && u[i + 1] == needle[1] && u[i + 2] == needle[2] {
            return i
        }
        return nil
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func format(_ y: Int, _ m: Int, _ d: Int) -> String {
        "\(y)-\(pad(m))-\(pad(d))"
    }

    private static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// A cursor over the value's bytes; each reader either consumes its form or leaves the
    /// position where it was.
    private struct Reader {
        let u: [UInt8]
        var i = 0

        init(_ u: [UInt8]) { self.u = u }

        var atEnd: Bool { i >= u.count }

        func peek(_ offset: Int = 0) -> UInt8? { i + offset < u.count ? u[i + offset] : nil }

        mutating func number(_ count: Int, alone: Bool = true) -> Int? {
            guard i + count <= u.count else { return nil }
            var v = 0
            for k in i..<(i + count) {
                guard isDigit(u[k]) else { return nil }
                v = v * 10 + Int(u[k] - 0x30)
            }
            // A longer run of digits is another thing (an id, a phone number), except in "+0300".
            if alone, i + count < u.count, isDigit(u[i + count]) { return nil }
            i += count
            return v
        }

        mutating func skip(_ b: UInt8) -> Bool {
            guard peek() == b else { return false }
            i += 1
            return true
        }

        mutating func skipSpaces() {
            while let b = peek(), b == 0x20 || b == 0x09 { i += 1 }
        }

        /// "2019-01-23", "2019/01/23", "23.01.2019", each optionally with a time; a unix time
        /// in seconds (10 digits) or milliseconds (13 digits), which is an instant: UTC.
        mutating func readNumeric() -> String? {
            let start = i
            if u.count == 10 || u.count == 13, u.allSatisfy(isDigit) {
                var seconds = u.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if u.count == 13 { seconds /= 1000 }
                i = u.count
                let time = seconds % 86_400
                return civilDate(daysSinceEpoch: seconds / 86_400) + "T\(pad(time / 3600)):\(pad(time / 60 % 60)):\(pad(time % 60))Z"
            }
            var date: String?
            if let y = number(4), let sep = peek(), sep == 0x2D || sep == 0x2F, skip(sep), let m = number(2), skip(sep), let d = number(2) {
                date = valid(y, m, d)
            } else {
                i = start
                if let d = number(2), skip(0x2E), let m = number(2), skip(0x2E), let y = number(4) {
                    date = valid(y, m, d)
                }
            }
            guard let date else { i = start; return nil }
            let afterDate = i
            if skip(0x54) || skip(0x74) || skip(0x20) {
                skipSpaces()
                if let time = readTime() { return date + "T" + time }
            }
            i = afterDate
            return date
        }

        /// "14:05", "14:05:00", "14:05:00.123", then an offset if there is one: "Z", "+03:00",
        /// "+0300", "+03", " UTC", " GMT", " +0300".
        mutating func readTime() -> String? {
            guard let h = number(2), h < 24, skip(0x3A), let m = number(2), m < 60 else { return nil }
            var s = 0
            let beforeSeconds = i
            if skip(0x3A) {
                guard let sec = number(2), sec < 60 else { i = beforeSeconds; return nil }
                s = sec
                if skip(0x2E) || skip(0x2C) {
                    while let b = peek(), isDigit(b) { i += 1 }
                }
            }
            return "\(pad(h)):\(pad(m)):\(pad(s))" + (readOffset() ?? "")
        }

        mutating func readOffset() -> String? {
            let start = i
            skipSpaces()
            if skip(0x5A) || skip(0x7A) { return "Z" }
            for zone in ["UTC", "GMT"] where u[i...].starts(with: zone.utf8) {
                i += 3
                if peek() != 0x2B && peek() != 0x2D { return "Z" }
            }
            if let sign = peek(), sign == 0x2B || sign == 0x2D {
                i += 1
                if let hh = number(2, alone: false), hh <= 14 {
                    var mm = 0
                    let afterHours = i
                    if skip(0x3A) {
                        guard let m = number(2), m < 60 else { i = start; return nil }
                        mm = m
                    } else if let m = number(2), m < 60 {
                        mm = m
                    } else {
                        i = afterHours
                    }
                    if hh == 0 && mm == 0 { return "Z" }
                    return "\(sign == 0x2B ? "+" : "-")\(pad(hh)):\(pad(mm))"
                }
            }
            i = start
            return nil
        }

        /// RFC 2822, as RSS feeds write it: "Wed, 23 Jan 2019 14:05:00 +0300" (the weekday optional).
        mutating func readRFC2822() -> String? {
            let start = i
            if let b = peek(), isLetter(b) {
                while let b = peek(), isLetter(b) { i += 1 }
                guard skip(0x2C) else { i = start; return nil }
                skipSpaces()
            }
            guard let d = number(2) ?? number(1), skip(0x20) else { i = start; return nil }
            var name = ""
            while let b = peek(), isLetter(b) { name.unicodeScalars.append(Unicode.Scalar(b | 0x20)); i += 1 }
            let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            guard name.count >= 3, let month = months.firstIndex(of: String(name.prefix(3))), skip(0x20), let y = number(4),
                let date = valid(y, month + 1, d)
            else { i = start; return nil }
            let afterDate = i
            skipSpaces()
            if let time = readTime() { return date + "T" + time }
            i = afterDate
            return date
        }

        private func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

        private func valid(_ y: Int, _ m: Int, _ d: Int) -> String? {
            guard (1800...2200).contains(y), (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d) else { return nil }
            return format(y, m, d)
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
    static func civilDate(daysSinceEpoch days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
}
