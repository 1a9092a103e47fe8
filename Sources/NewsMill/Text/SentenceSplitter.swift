/// Sentence boundaries in news text, aware of what makes a full stop not end a sentence in
/// Russian and English: initials ("В. В. Путин"), abbreviations ("т. е.", "млн.", "ул. Ленина",
/// "Mr."), and a next word that starts in lowercase (dialogue: «Куда?» — спросил он).
public enum SentenceSplitter {
    /// Abbreviations (lowercased, without the full stop) after which a full stop rarely ends a
    /// sentence when a digit or lowercase word follows.
    static let abbreviations: Set<String> = [
        "т", "е", "д", "п", "пр", "др", "г", "гг", "в", "вв", "ул", "им", "см", "ср", "стр", "рис", "табл", "тыс", "млн", "млрд",
        "трлн", "руб", "коп", "долл", "чел", "ок", "св", "напр", "англ", "лат", "обл", "р", "мин", "сек", "кв", "км", "ст",
        "пос", "дер", "просп", "пер", "наб", "корп", "стр", "эт", "тел", "ред", "прим", "изд", "проф", "акад", "доц", "канд",
        "ген", "гос", "зам", "нач", "etc", "vs", "no", "inc", "ltd", "co", "jr", "sr", "approx", "fig",
    ]
    /// Abbreviations that stand before a name, so a capitalized word after them is no new sentence.
    static let beforeNames: Set<String> = [
        "им", "ул", "пр", "просп", "пер", "наб", "пос", "дер", "г", "проф", "акад", "доц", "ген", "св", "ст", "тов", "гр",
        "mr", "mrs", "ms", "dr", "st", "prof", "gen", "sen", "rep", "gov", "mt",
    ]

    /// Number of sentences. Works on UTF-8 and looks closer only around terminators, so it
    /// costs about one byte scan.
    public static func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { s in
            interesting.withUnsafeBufferPointer { interesting in
                var total = 0
                var segmentStart = 0  // where the current sentence began
                var i = 0
                let n = s.count
                // Does s[from..<to] hold a letter or digit? Looked at only at a candidate end,
                // from the end backwards, so it usually stops at once.
                func hasText(_ from: Int, _ to: Int) -> Bool {
                    var k = to
                    while k > from {
                        k -= 1
                        let b = s[k]
                        if (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b >= 0xC0 { return true }
                    }
                    return false
                }
                while i < n {
                    let b = s[i]
                    guard interesting[Int(b)] else {
                        i += 1
                        continue
                    }
                    if b == 0x0A {
                        if hasText(segmentStart, i) { total += 1 }
                        i += 1
                        segmentStart = i
                        continue
                    }
                    let isEllipsis = b == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0xA6
                    guard b != 0xE2 || isEllipsis else {
                        i += 1
                        continue
                    }
                    let start = i
                    // The run of terminators and closing quotes or brackets.
                    while i < n {
                        let c = s[i]
                        if c == 0x2E || c == 0x21 || c == 0x3F || c == 0x22 || c == 0x29 || c == 0x27 { i += 1; continue }
                        if c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA6 || s[i + 2] == 0x9D || s[i + 2] == 0x9C) {
                            i += 3; continue
                        }
                        if c == 0xC2 && i + 1 < n && s[i + 1] == 0xBB { i += 2; continue }
                        break
                    }
                    guard i < n, s[i] == 0x20, hasText(segmentStart, start) else { continue }
                    if endsSentence(s, terminatorStart: start, runEnd: i) {
                        total += 1
                        segmentStart = i
                    }
                }
                if hasText(segmentStart, n) { total += 1 }
                return total
            }
        }
    }

    /// Bytes the count looks at: line feed, terminators and the lead byte of "…".
    private static let interesting: [Bool] = (0...255).map { [0x0A, 0x2E, 0x21, 0x3F, 0xE2].contains($0) }

    /// The scalar starting at byte `i` and its width.
    private static func scalar(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b = s[i]
        let width = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
        guard i + width <= s.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(b) & (width == 1 ? 0x7F : width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width { value = value << 6 | UInt32(s[i + k] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    private static func endsSentence(_ s: UnsafeBufferPointer<UInt8>, terminatorStart: Int, runEnd: Int) -> Bool {
        // What starts the next sentence: skip blanks, a dash of dialogue and opening quotes.
        var j = runEnd
        var first: Unicode.Scalar = " "
        while j < s.count {
            let (c, width) = scalar(s, at: j)
            if c.properties.isWhitespace || c == "—" || c == "–" || c == "-" || c == "«" || c == "\"" || c == "„" || c == "(" {
                j += width
                continue
            }
            first = c
            break
        }
        guard j < s.count else { return true }
        if first.properties.isLowercase { return false }  // "— спросил он", "т. е. около"
        // Only a single full stop can belong to an abbreviation or an initial.
        guard s[terminatorStart] == 0x2E, runEnd - terminatorStart == 1 else { return true }
        // The word before the full stop, read backwards over whole scalars.
        var w = terminatorStart
        var letters: [Unicode.Scalar] = []
        while w > 0 && letters.count <= 8 {
            var lead = w - 1
            while lead > 0 && s[lead] & 0xC0 == 0x80 { lead -= 1 }
            let (c, _) = scalar(s, at: lead)
            guard c.properties.isAlphabetic else { break }
            letters.append(c)
            w = lead
        }
        if letters.isEmpty || letters.count > 8 { return true }
        if letters.count == 1 && letters[0].properties.isUppercase { return false }  // an initial: "В. Путин"
        let word = String(String.UnicodeScalarView(letters.reversed())).lowercased()
        // "г." is a city before a name ("г. Москва") but a year after a number ("в 2019 г. В …").
        let afterNumber = w >= 2 && s[w - 1] == 0x20 && s[w - 2] >= 0x30 && s[w - 2] <= 0x39
        if beforeNames.contains(word) && !(word == "г" && afterNumber) { return false }
        if abbreviations.contains(word) && first.properties.numericType != nil { return false }
        return true
    }
}
