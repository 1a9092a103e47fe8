/// Publication dates from dump fields and page metadata, as ISO dates (YYYY-MM-DD). Values
/// that are not recognisably a date give nil; the caller keeps the raw value elsewhere.
enum DateField {
    static func isoDate(_ raw: String) -> String? {
        let s = raw.trimmingBlanks
        let digits = Array(s.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= digits.count else { return nil }
            var v = 0
            for i in range {
                let b = digits[i]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        func valid(_ y: Int, _ m: Int, _ d: Int) -> String? {
            guard (1800...2200).contains(y), (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d) else { return nil }
            return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        }
        // 2024-03-11, 2024-03-11T10:00:00Z, 2024-03-11 10:00, 2024/03/11
        if digits.count >= 10, let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
           (digits[4] == 0x2D || digits[4] == 0x2F), digits[7] == digits[4],
           digits.count == 10 || digits[10] == 0x54 || digits[10] == 0x20 {
            return valid(y, m, d)
        }
        // 11.03.2024 (Russian order), optionally followed by a time
        if digits.count >= 10, let d = number(0..<2), let m = number(3..<5), let y = number(6..<10),
           digits[2] == 0x2E, digits[5] == 0x2E, digits.count == 10 || digits[10] == 0x20 {
            return valid(y, m, d)
        }
        // Unix time in seconds (10 digits) or milliseconds (13 digits)
        if (digits.count == 10 || digits.count == 13), let value = number(0..<digits.count) {
            let seconds = digits.count == 13 ? value / 1000 : value
            return civilDate(daysSinceEpoch: seconds / 86_400)
        }
        return nil
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
