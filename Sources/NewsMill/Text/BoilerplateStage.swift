/// Removes boilerplate lines: "Читайте также", subscription calls, photo and source credits,
/// share buttons. A line goes when it starts with one of the configured patterns (case
/// ignored); report.json counts removals per pattern. Runs after normalize, which makes every
/// paragraph one line.
public struct BoilerplateStage: Stage {
    public let name = "boilerplate"
    public var changesText: Bool { true }
    public let patterns: [String]
    /// The patterns as lowercase UTF-8, compared with a line's first bytes folded the same way.
    private let folded: [(pattern: String, bytes: [UInt8])]
    private let longest: Int
    /// The folded first two bytes of every pattern: a line that starts otherwise is kept without
    /// folding it (most lines). Nil when a pattern is a single byte: then every line is checked.
    private let openings: Set<UInt16>?

    public static let defaultPatterns = [
        "Читайте также", "Читайте нас", "Читать также", "Смотрите также", "Подписывайтесь на наш", "Подпишитесь на наш",
        "Фото:", "Фото ", "Видео:", "Источник:", "Поделиться", "Нашли ошибку?", "Если вы нашли ошибку",
        "Перепечатка материалов", "Теги:", "Реклама", "Read more:", "Subscribe to", "Share this",
    ]

    public init(patterns: [String] = BoilerplateStage.defaultPatterns) {
        self.patterns = patterns
        folded = patterns.map { ($0, Array($0.lowercased().utf8)) }
        longest = folded.map(\.bytes.count).max() ?? 0
        openings = folded.allSatisfy { $0.bytes.count >= 2 } ? Set(folded.map { Self.opening($0.bytes[...]) }) : nil
    }

    init(options: ConfigSection) throws(ConfigError) {
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
                if c >= 0x90 && c <= 0x9F { out.append(0xD0); out.append(c + 0x20) }  // А–П → а–п
                else if c >= 0xA0 && c <= 0xAF { out.append(0xD1); out.append(c - 0x20) }  // Р–Я → р–я
                else if c == 0x81 { out.append(0xD1); out.append(0x91) }  // Ё → ё
                else { out.append(b); out.append(c) }
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
        var keptRanges: [Range<Int>] = []
        var removedAny = false
        text.withUTF8 { s in
            var start = 0
            while start <= s.count {
                var end = start
                while end < s.count && s[end] != 0x0A { end += 1 }
                let line = UnsafeBufferPointer(rebasing: s[start..<end])
                var candidate = true
                if let openings {
                    Self.foldCase(UnsafeBufferPointer(rebasing: line.prefix(4)), limit: 2, into: &head)
                    candidate = openings.contains(Self.opening(head[...]))
                }
                if candidate { Self.foldCase(line, limit: longest, into: &head) }
                if candidate, let match = folded.first(where: { head.starts(with: $0.bytes) }) {
                    counts.add(match.pattern)
                    removedAny = true
                } else {
                    keptRanges.append(start..<end)
                }
                start = end + 1
            }
        }
        guard removedAny else { return .keep }
        let utf8 = text.utf8
        document.text = keptRanges.map { range in
            String(Substring(utf8[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]))
        }.joined(separator: "\n")
        if document.text.isEmpty { return .reject(.emptyText, "nothing but boilerplate lines") }
        return .keep
    }
}
