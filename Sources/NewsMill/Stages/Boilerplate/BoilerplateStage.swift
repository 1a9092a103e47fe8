/// Removes boilerplate: "Читайте также", subscription calls, photo and source credits, share
/// buttons, found by the configured patterns at the start of a line (case ignored). Runs after
/// normalize, which makes every paragraph one line. A short line (at most 200 characters) that
/// starts with a pattern goes whole; a credit ("Фото: AFP.") glued before real text loses just
/// the credit; a long paragraph is never dropped, since real text can start like boilerplate.
/// report.json counts both kinds per pattern.
public struct BoilerplateStage: ConfigurableStage {
    public static let stageName = "boilerplate"
    public var contract: StageContract { StageContract(edits: [.text]) }
    public let patterns: [String]
    /// The patterns as lowercase UTF-8, compared with a line's first bytes folded the same way.
    private let folded: [(pattern: String, bytes: [UInt8], endsInLetter: Bool)]
    private let longest: Int
    /// The folded first two bytes of every pattern: a line that starts otherwise is kept without
    /// folding it (most lines). Nil when a pattern is a single byte: then every line is checked.
    private let openings: Set<UInt16>?

    /// Longest line (in Unicode scalars) that may go whole: a credit, a link or a call to subscribe
    /// fits, a paragraph of news rarely does.
    static let shortLine = 200
    /// A credit glued to the text ends within this many bytes after its label (~120 Cyrillic letters).
    static let maxCreditBytes = 240
    /// Words the text after a credit needs to be kept as text rather than a second credit.
    static let restWords = 3

    public static let defaultPatterns = [
        "Читайте также", "Читайте нас", "Читать также", "Смотрите также", "Подписывайтесь на наш", "Подпишитесь на наш",
        "Фото:", "Фото ", "Видео:", "Источник:", "Поделиться", "Нашли ошибку?", "Если вы нашли ошибку",
        "Перепечатка материалов", "Теги:", "Реклама", "Read more:", "Subscribe to", "Share this",
    ]

    public init(patterns: [String] = BoilerplateStage.defaultPatterns) {
        self.patterns = patterns
        folded = patterns.map { pattern in
            (pattern, Array(pattern.lowercased().utf8), pattern.unicodeScalars.last.map { $0.properties.isAlphabetic } ?? false)
        }
        longest = folded.map(\.bytes.count).max() ?? 0
        openings = folded.allSatisfy { $0.bytes.count >= 2 } ? Set(folded.map { Self.opening($0.bytes[...]) }) : nil
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["patterns"])
        self.init(patterns: try options.stringList("patterns", default: Self.defaultPatterns))
    }

    /// Lowercases ASCII and Russian Cyrillic in UTF-8 without decoding: enough to compare the
    /// start of a line with patterns that are lowercased the same way.
    static func foldCase(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = 0
        while i < bytes.count && out.count < limit {
            let b = bytes[i]
            if b >= 0x41 && b <= 0x5A {
                out.append(b | 0x20)
            } else if b == 0xD0 && i + 1 < bytes.count {
                let c = bytes[i + 1]
                if c >= 0x90 && c <= 0x9F {
                    out.append(0xD0); out.append(c + 0x20)
                }  // А–П → а–п
                else if c >= 0xA0 && c <= 0xAF {
                    out.append(0xD1); out.append(c - 0x20)
                }  // Р–Я → р–я
                else if c == 0x81 {
                    out.append(0xD1); out.append(0x91)
                }  // Ё → ё
                else {
                    out.append(b); out.append(c)
                }
                i += 1
            } else {
                out.append(b)
            }
            i += 1
        }
    }

    /// The first two bytes of folded text as one number (a short line pads with zeros).
    private static func opening(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        let first = bytes.first ?? 0
        let second = bytes.dropFirst().first ?? 0
        return UInt16(first) << 8 | UInt16(second)
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        var text = document.text
        var head: [UInt8] = []
        head.reserveCapacity(longest + 4)
        var out: [UInt8] = []
        // Most texts lose nothing: their bytes are copied only from the first removal on.
        var removedAny = false
        var keptAny = false
        text.withUTF8 { s in
            func removing(lineAt start: Int) {
                guard !removedAny else { return }
                removedAny = true
                out.reserveCapacity(s.count)
                if start > 0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[..<(start - 1)])) }
            }
            var start = 0
            while start <= s.count {
                var end = start
                while end < s.count && s[end] != 0x0A { end += 1 }
                var pos = start
                var keep = true
                // A credit may be glued to the text it belongs to, and the rest may open with
                // another credit: each pass removes one, so the line is read a bounded number of
                // times per byte removed.
                while let match = self.match(s, from: pos, to: end, head: &head) {
                    let restStart = match.isLabel ? Self.creditEnd(s, after: pos + match.bytes, to: end) : nil
                    if let restStart, Self.hasWords(s, from: restStart, to: end, atLeast: Self.restWords) {
                        counts.add("parts_removed/" + match.pattern)
                        removing(lineAt: start)
                        pos = restStart
                        continue
                    }
                    if Self.scalarCount(s, from: pos, to: end, upTo: Self.shortLine + 1) <= Self.shortLine {
                        counts.add("lines_removed/" + match.pattern)
                        removing(lineAt: start)
                        keep = false
                    }
                    break
                }
                if keep {
                    if removedAny {
                        if keptAny { out.append(0x0A) }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: s[pos..<end]))
                    }
                    keptAny = true
                }
                start = end + 1
            }
        }
        guard removedAny else { return .keep }
        document.text = String(decoding: out, as: UTF8.self)
        if document.text.isEmpty { return .reject(.emptyText, "nothing but boilerplate lines") }
        return .keep
    }

    /// The pattern the text at `pos` starts with, if any. A pattern that ends in a letter must end
    /// a word there: "Реклама" is not the start of "Рекламодатели".
    private func match(
        _ s: UnsafeBufferPointer<UInt8>, from pos: Int, to end: Int,
        head: inout [UInt8]
    ) -> (pattern: String, bytes: Int, isLabel: Bool)? {
        let line = UnsafeBufferPointer(rebasing: s[pos..<end])
        if let openings {
            Self.foldCase(UnsafeBufferPointer(rebasing: line.prefix(4)), limit: 2, into: &head)
            guard openings.contains(Self.opening(head[...])) else { return nil }
        }
        Self.foldCase(line, limit: longest, into: &head)
        for entry in folded where head.starts(with: entry.bytes) {
            // Case folding keeps byte lengths, so the pattern ends at the same offset in the line.
            if entry.endsInLetter, entry.bytes.count < line.count, Self.isWordScalar(at: entry.bytes.count, in: line) { continue }
            // "Читайте также: <title>" is a label too, with the colon after the pattern.
            let isLabel = entry.bytes.last == 0x3A || (entry.bytes.count < line.count && line[entry.bytes.count] == 0x3A)
            return (entry.pattern, entry.bytes.count, isLabel)
        }
        return nil
    }

    /// Where the text after a credit ("Фото: AFP. ", "Источник: ТАСС. ") starts: after the first
    /// sentence end within a credit's length, when a capital, digit or quote opens what follows.
    /// A full stop after a lone capital is an initial ("Фото: И. Петров"), not a sentence end.
    static func creditEnd(_ s: UnsafeBufferPointer<UInt8>, after from: Int, to end: Int) -> Int? {
        let limit = min(end, from + maxCreditBytes)
        var i = from
        while i < limit {
            let b = s[i]
            var stop = b == 0x2E || b == 0x21 || b == 0x3F
            var width = 1
            if b == 0xE2, i + 2 < end, s[i + 1] == 0x80, s[i + 2] == 0xA6 { stop = true; width = 3 }  // …
            if stop, b == 0x2E, isInitial(s, dotAt: i, from: from) { stop = false }
            if stop {
                var j = i + width
                guard j < end, s[j] == 0x20 else { i += width; continue }
                while j < end && s[j] == 0x20 { j += 1 }
                if j < end && opensSentence(s, at: j, end: end) { return j }
            }
            i += width
        }
        return nil
    }

    private static func isInitial(_ s: UnsafeBufferPointer<UInt8>, dotAt dot: Int, from: Int) -> Bool {
        // The letter before the dot: one ASCII byte or a two-byte Cyrillic one.
        var letterStart = dot - 1
        guard letterStart >= from else { return false }
        if s[letterStart] & 0xC0 == 0x80 { letterStart -= 1 }
        guard letterStart >= from, isCapital(s, at: letterStart, end: dot) else { return false }
        return letterStart == from || s[letterStart - 1] == 0x20 || s[letterStart - 1] == 0x2F
    }

    private static func isCapital(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Bool {
        let b = s[i]
        if b >= 0x41 && b <= 0x5A { return true }
        guard b == 0xD0, i + 1 < end else { return false }
        let c = s[i + 1]
        return (c >= 0x90 && c <= 0xAF) || c == 0x81  // А–Я, Ё
    }

    private static func opensSentence(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Bool {
        let b = s[i]
        if b >= 0x30 && b <= 0x39 || b == 0x22 { return true }
        if b == 0xC2, i + 1 < end, s[i + 1] == 0xAB { return true }  // «
        return isCapital(s, at: i, end: end)
    }

    /// Whether the text holds at least `count` words (runs of non-spaces); stops counting there.
    static func hasWords(_ s: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, atLeast count: Int) -> Bool {
        var words = 0
        var inWord = false
        var i = from
        while i < end {
            let space = s[i] == 0x20
            if !space && !inWord {
                words += 1
                if words >= count { return true }
            }
            inWord = !space
            i += 1
        }
        return false
    }

    /// Unicode scalars in the range, counted no further than `limit`.
    static func scalarCount(_ s: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, upTo limit: Int) -> Int {
        var n = 0
        var i = from
        while i < end && n < limit {
            if s[i] & 0xC0 != 0x80 { n += 1 }
            i += 1
        }
        return n
    }

    private static func isWordScalar(at offset: Int, in line: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = UnsafeBufferPointer(rebasing: line[offset...]).makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
