import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Inputs that used to take quadratic time (minutes for a megabyte), as regression tests without
/// timing assertions: each test checks what the fast path computes, and the one-minute limit only
/// catches a return of the quadratic scan, which took minutes on these sizes. Timing lives in
/// Benchmarks/linear-time.sh. Texts are made up for the tests.
@Suite struct LinearTimeTests {
    // MARK: Quotes

    /// The old definition of a quoted group: scan from the opening mark until as many marks
    /// closed as opened. The paired lookup must give the same answer for every start and limit.
    private func scannedGroupEnd(_ tokens: WordTokens, _ reader: AttributionReader, _ k: Int, limit: Int) -> Int? {
        guard k < limit else { return nil }
        let mark = tokens[k].mark
        guard mark == .openQuote || (mark == .eitherQuote && reader.opens(k)) else { return nil }
        var depth = 0
        for j in k..<limit {
            switch tokens[j].mark {
            case .openQuote: depth += 1
            case .closeQuote: depth -= 1
            case .eitherQuote: depth += reader.opens(j) ? 1 : -1
            default: break
            }
            if depth == 0 { return j }
        }
        return nil
    }

    private func scannedGroupStart(_ tokens: WordTokens, _ reader: AttributionReader, _ k: Int, limit: Int) -> Int? {
        var depth = 0
        var j = k
        while j >= limit {
            switch tokens[j].mark {
            case .closeQuote: depth += 1
            case .openQuote: depth -= 1
            case .eitherQuote: depth += reader.opens(j) ? -1 : 1
            default: break
            }
            if depth == 0 { return j }
            j -= 1
        }
        return nil
    }

    @Test func pairedQuoteGroupsMatchTheScanForEveryStartAndLimit() {
        // Deterministic mixes of «, », „, “, " and words, spaced and attached, balanced or not.
        let pieces = ["«", "»", "„", "“", "\"", "слово", " ", " ", "да", ", "]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<60 {
            var text = ""
            for _ in 0..<40 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(seed >> 33) % pieces.count]
            }
            var copy = text
            copy.withUTF8 { bytes in
                let tokens = WordTokens.quoteParagraphs(bytes).tokens
                let reader = AttributionReader(tokens: tokens, entities: QuoteEntities())
                for k in 0..<tokens.count {
                    for limit in 0...tokens.count {
                        #expect(
                            reader.quoteGroupEnd(k, limit: limit) == scannedGroupEnd(tokens, reader, k, limit: limit),
                            "\(text) \(k) \(limit)")
                    }
                    let mark = tokens[k].mark
                    guard mark == .closeQuote || (mark == .eitherQuote && !reader.opens(k)) else { continue }
                    for limit in 0...k {
                        #expect(
                            reader.quoteGroupStart(k, limit: limit) == scannedGroupStart(tokens, reader, k, limit: limit),
                            "\(text) \(k) \(limit)")
                    }
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["«", "»", "\"", "«а „б ", "— ", "«Газпром» и "])
    func repeatedMarksFindNoQuotation(unit: String) {
        // 600 KB of «: the scan from each mark to the end of the paragraph took minutes.
        let text = String(repeating: unit, count: 600_000 / unit.utf8.count)
        #expect(QuoteExtractor().extract(from: text).isEmpty)
    }

    @Test(.timeLimit(.minutes(1))) func fragmentsJoinedByAndInOneParagraph() {
        // Each fragment looks for the span after it: a scan of the paragraph's spans made it quadratic.
        let text = String(repeating: "«первые слова» и «вторые слова», ", count: 20_000) + "заявил министр."
        let quotes = QuoteExtractor().extract(from: text)
        #expect(
            quotes.map(QuotesTests.describe).suffix(2) == [
                "первые слова | quoted | министр | заявил", "вторые слова | quoted | министр | заявил",
            ])
    }

    @Test(.timeLimit(.minutes(1))) func oneQuotationCutThousandsOfTimes() {
        let text = "«" + String(repeating: "Мы готовы, — сказал министр. — ", count: 10_000) + "Всё»."
        let quotes = QuoteExtractor().extract(from: text)
        #expect(quotes.count == 1)
        #expect(quotes.first?.parts.count == 10_001)
    }

    @Test(.timeLimit(.minutes(1))) func longDialogueParagraphGivesEveryQuotation() {
        let turn = "«Мы готовы к переговорам», — сказал министр. — «Но не сегодня», — добавил он. "
        let n = 5_000
        let quotes = QuoteExtractor().extract(from: String(repeating: turn, count: n))
        #expect(quotes.count == 2 * n)
        #expect(quotes.first.map(QuotesTests.describe) == "Мы готовы к переговорам | quoted | министр | сказал")
        #expect(quotes.last.map(QuotesTests.describe) == "Но не сегодня | quoted | он | добавил")
    }

    // MARK: HTML

    @Test(.timeLimit(.minutes(1))) func deeplyNestedElementsKeepTheirText() {
        let n = 150_000
        let html =
            "<body>" + String(repeating: "<div>", count: n) + "Глубоко вложенный текст." + String(repeating: "</div>", count: n)
            + "<p>Второй абзац.</p></body>"
        #expect(HTMLText.extract(html).paragraphs == ["Глубоко вложенный текст.", "Второй абзац."])
    }

    @Test(.timeLimit(.minutes(1))) func strayClosingTagsUnderDeepNesting() {
        // Each </span> looked through every open <div> for a <span> that is not there.
        let html =
            "<body>" + String(repeating: "<div>", count: 100_000) + "<p>Текст.</p>" + String(repeating: "</span>", count: 100_000)
            + "</body>"
        #expect(HTMLText.extract(html).paragraphs == ["Текст."])
    }

    @Test func timeInsideAParagraphStaysAfterOthersClose() {
        // The open-paragraph count must follow closes done by an ancestor's end tag too.
        let html = "<body><div><p>Открыт <b>абзац</div><time>12 мая</time><p>Был <time>вчера</time>.</p></body>"
        #expect(HTMLText.extract(html).paragraphs == ["Открыт абзац", "Был вчера."])
    }
}
