import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Inputs that Scripts/fuzz.sh found breaking a promise, kept as tests. Each checks the invariant
/// the fuzz target checks: a mention's offsets slice out exactly its text, and mentions of one kind
/// do not overlap.
@Suite struct FuzzRegressionTests {
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard 0 <= start, start <= end, end <= scalars.count else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    @Test(arguments: [
        "портфель вкладов вырос на 4$3 млрд рублей",
        "цена 5€7 евро",
        "от $4$5 до $6$",
    ])
    func currencySignBetweenNumbersGivesNonOverlappingFigures(text: String) {
        let mentions = NumberExtractor().extract(from: text)
        #expect(!mentions.isEmpty)
        var previousEnd = 0
        for mention in mentions {
            #expect(Self.slice(text, mention.start, mention.end) == mention.text)
            #expect(mention.start >= previousEnd)
            previousEnd = mention.end
        }
    }

    @Test(arguments: [
        ("a&#0;b", "a\u{FFFD}b"), ("Цена&nbsp;100 руб.", "Цена 100 руб."), ("пере&shy;нос", "перенос"),
        ("1941&#150;1945", "1941–1945"), ("строка&#10;&#10;  вторая", "строка\nвторая"), ("&#xD800;", "\u{FFFD}"),
    ])
    func entitiesAreCleanedLikeTheCharactersTheyStandFor(text: String, expected: String) {
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: text,
            title: text)
        _ = NormalizeStage().process(&document)
        #expect(document.text == expected)
        #expect(document.title == expected.replacingOccurrences(of: "\n", with: " "))
    }

    @Test(arguments: ["В««”", "a&#0;b", "x&nbsp;&nbsp;y", "Он сказал: «Это „наш“ ««выбор”", "В «“Спартаке”» и «„Зените“»"])
    func normalizingTwiceChangesNothing(text: String) {
        let stage = NormalizeStage()
        var once = Document(origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: text)
        _ = stage.process(&once)
        var twice = once
        _ = stage.process(&twice)
        #expect(twice.text == once.text)
    }

    @Test func aTextOfMillionsOfNumbersKeepsTheFirstOnesAndSaysSo() {
        let text = (0..<30_000).map { String($0 % 10) }.joined(separator: " ")
        let stage = NumbersStage(options: NumberExtractor.Options(maxMentions: 1_000))
        var document = Document(origin: Origin(archive: nil, member: "t.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: text)
        var counts = StageCounts()
        _ = stage.process(&document, counts: &counts)
        #expect(document.numbers?.count == 1_000)
        #expect(document.numbers?.first?.text == "0")
        #expect(counts.values["texts_at_max_mentions"] == 1)
    }
}
