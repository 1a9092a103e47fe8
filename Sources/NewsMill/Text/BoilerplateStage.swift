/// Removes boilerplate lines: "Читайте также", subscription calls, photo and source credits,
/// share buttons. A line goes when it starts with one of the configured patterns (case
/// ignored); report.json counts removals per pattern. Runs after normalize, which makes every
/// paragraph one line.
public struct BoilerplateStage: Stage {
    public let name = "boilerplate"
    public let patterns: [String]

    public static let defaultPatterns = [
        "Читайте также", "Читайте нас", "Читать также", "Смотрите также", "Подписывайтесь на наш", "Подпишитесь на наш",
        "Фото:", "Фото ", "Видео:", "Источник:", "Поделиться", "Нашли ошибку?", "Если вы нашли ошибку",
        "Перепечатка материалов", "Теги:", "Реклама", "Read more:", "Subscribe to", "Share this",
    ]

    public init(patterns: [String] = BoilerplateStage.defaultPatterns) {
        self.patterns = patterns
    }

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["patterns"])
        patterns = try options.stringList("patterns", default: Self.defaultPatterns)
    }

    private var lowered: [(pattern: String, lower: String)] { patterns.map { ($0, $0.lowercased()) } }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        let patterns = lowered
        var kept: [Substring] = []
        var removed = false
        for line in document.text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Only the line's start can match: compare a short lowercased prefix, not the line.
            let head = line.prefix(40).lowercased()
            if let match = patterns.first(where: { head.hasPrefix($0.lower) }) {
                counts.add(match.pattern)
                removed = true
            } else {
                kept.append(line)
            }
        }
        guard removed else { return .keep }
        document.text = kept.joined(separator: "\n")
        if document.text.isEmpty { return .reject(.emptyText, "nothing but boilerplate lines") }
        return .keep
    }
}
