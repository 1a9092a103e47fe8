import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore
@testable import NewsMillNER

/// The NER model files, fetched by Scripts/install-models.sh (Scripts/test.sh runs it first).
enum NERFixtures {
    static let modelDirectory = ProcessInfo.processInfo.environment["NEWSMILL_MODELS"] ?? CLIRunner.packageRoot + "/models"

    static func model() throws -> NERModel {
        do {
            return try EntitiesStage.loadModel(modelDirectory)
        } catch {
            Issue.record("NER model not loadable from \(modelDirectory) (run Scripts/install-models.sh): \(error.message)")
            throw error
        }
    }

    struct Case: Decodable {
        var text: String
        var tokens: [[Int]]
        var word_ids: [Int32]
        var shape_ids: [Int32]
        var layers: [[[Float]]]
        var scores: [[Float]]
        var tags: [Int]
        var spans: [[JSONScalar]]
    }

    enum JSONScalar: Decodable, Equatable {
        case int(Int), string(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int.self) { self = .int(i) } else { self = .string(try c.decode(String.self)) }
        }
    }

    struct Reference: Decodable {
        var channels: Int
        var cases: [Case]
    }

    /// What slovnet computes for a few sentences written for the tests (Scripts/eval/make_ner_fixture.py).
    static let reference: Reference = {
        let url = URL(fileURLWithPath: CLIRunner.packageRoot + "/Tests/NewsMillTests/Fixtures/ner-reference.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()
}

@Suite struct WordTokenizerTests {
    private func tokens(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return WordTokenizer.tokenize(scalars).map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
    }

    // Expected tokens and shapes are razdel 0.5.0's and slovnet 0.6.0's output for these strings.
    @Test(arguments: [
        (
            "что-то 5,3 1/2 ... ?! -- ** Yahoo! :) ;-((( snake_case Δσ mβж",
            ["что-то", "5,3", "1/2", "...", "?!", "--", "**", "Yahoo!", ":)", ";", "-", "(", "(", "(", "snake_case", "Δσ", "mβж"]
        ),
        ("Су-27, СИЗО-6 и 2011-2020 гг.", ["Су-27", ",", "СИЗО-6", "и", "2011-2020", "гг", "."]),
        ("ООО «Ромашка» (т. е. «что-то»)", ["ООО", "«", "Ромашка", "»", "(", "т", ".", "е", ".", "«", "что-то", "»", ")"]),
        ("a -b c- d", ["a", "-b", "c-", "d"]),
        ("  \n\t ", []),
        ("😀 привет\u{00A0}мир", ["😀", "привет", "мир"]),
    ])
    func followsRazdel(_ text: String, _ expected: [String]) {
        #expect(tokens(text) == expected)
    }

    @Test(arguments: [
        ("что-то", "RU_xx"), ("5,3", "NUM"), ("-5", "NUM"), ("...", "PUNCT_OTHER"), ("Yahoo!", "EN_Xx"),
        ("Су-27", "RU_Xx"), ("СИЗО-6", "RU_XX"), ("и", "RU_x"), ("Нью-Йорк", "RU_Xx-Xx"), ("iPhone", "EN_OTHER"),
        ("Y", "EN_X"), ("«", "PUNCT_«"), ("-b", "PUNCT_OTHER"), ("Δσ", "OTHER"), ("’", "OTHER"),
    ])
    func shapesFollowSlovnet(_ word: String, _ shape: String) {
        #expect(WordShape.of(ArraySlice(Array(word.unicodeScalars))) == shape)
    }

    @Test func tokenOffsetsAreScalarsOfTheReference() {
        for c in NERFixtures.reference.cases {
            let got = WordTokenizer.tokenize(Array(c.text.unicodeScalars)).map { [$0.start, $0.end] }
            #expect(got == c.tokens, "\(c.text)")
        }
    }
}

@Suite struct CRFDecoderTests {
    /// Exhaustive search over every tag sequence: the Viterbi path must score as high.
    private func bruteForce(_ scores: [Float], _ tagCount: Int, _ transitions: [Float]) -> Float {
        let n = scores.count / tagCount
        var best = -Float.infinity
        var sequence = [Int](repeating: 0, count: n)
        func score(_ s: [Int]) -> Float {
            var total = scores[s[0]]
            for t in 1..<n { total += transitions[s[t - 1] * tagCount + s[t]] + scores[t * tagCount + s[t]] }
            return total
        }
        func visit(_ t: Int) {
            if t == n { best = max(best, score(sequence)); return }
            for tag in 0..<tagCount { sequence[t] = tag; visit(t + 1) }
        }
        visit(0)
        return best
    }

    @Test func findsTheBestPath() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let tagCount = 3, n = Int.random(in: 1...6, using: &generator)
            let scores = (0..<n * tagCount).map { _ in Float.random(in: -3...3, using: &generator) }
            let transitions = (0..<tagCount * tagCount).map { _ in Float.random(in: -3...3, using: &generator) }
            let path = CRFDecoder.decode(scores, tagCount: tagCount, transitions: transitions)
            var total = scores[path[0]]
            for t in 1..<n { total += transitions[path[t - 1] * tagCount + path[t]] + scores[t * tagCount + path[t]] }
            #expect(path.count == n)
            #expect(abs(total - bruteForce(scores, tagCount, transitions)) < 1e-4)
        }
    }

    @Test func transitionsOverruleEmissions() {
        // Tag 1 scores best at t=1 alone, but 0→1 is forbidden and 0 is forced at t=0.
        let scores: [Float] = [5, 0, 0, 1]
        let transitions: [Float] = [0, -100, 0, 0]
        #expect(CRFDecoder.decode(scores, tagCount: 2, transitions: transitions) == [0, 0])
    }
}

@Suite struct WordProjectionCacheTests {
    /// Varied text: the reference sentences, a news article, and words the vocabulary lacks, in
    /// Latin, digits, mixed case and emoji, so hits, misses, unknown words and evictions all occur.
    static let texts: [String] = {
        let article = try! String(contentsOfFile: CLIRunner.packageRoot + "/corpus/000_e05233e226880e41.txt", encoding: .utf8)
        return NERFixtures.reference.cases.map(\.text) + [
            article,
            "ПАО «Сбербанк» и Mail.Ru Group: 12,5% акций; Иван Иванович Иванов-Петров (ИИП) 😀 уехал в Санкт-Петербург.",
            "Москва, МОСКВА, москва. Zyxwvq Щёлкбрынь Ъъъ — 2024-03-01, 17:45, №5, т.д.",
            String(article.prefix(700)),
        ]
    }()

    /// Every token's tag scores, as bit patterns: a cached row must give exactly the same floats.
    static func scores(_ tagger: EntityTagger, _ text: String) -> [UInt32] {
        let scalars = Array(text.unicodeScalars)
        let (words, shapes) = tagger.encode(WordTokenizer.tokenize(scalars), scalars)
        var trace: [[Float]]? = nil
        return tagger.emissions(words[...], shapes[...], trace: &trace).map(\.bitPattern)
    }

    @Test(arguments: [1, 3, 64, EntityTagger.defaultCachedWords])
    func cachedRowsGiveTheScoresOfComputedOnes(capacity: Int) throws {
        let model = try NERFixtures.model()
        let uncached = EntityTagger(model: model, cachedWords: 0)
        let cached = EntityTagger(model: model, cachedWords: capacity)
        // Twice forward and once backward, so rows are reused after other texts evicted some.
        let order = Self.texts + Self.texts + Self.texts.reversed()
        for text in order {
            let same = Self.scores(cached, text) == Self.scores(uncached, text)
            #expect(same, "capacity \(capacity): tag scores of \(text.prefix(40))")
            #expect(cached.entities(in: text) == uncached.entities(in: text))
        }
        // Windows of 5 tokens overlap, so a chunk reuses rows its neighbour just stored.
        let windowed = EntityTagger(model: model, window: 5, cachedWords: capacity)
        for text in Self.texts { #expect(windowed.entities(in: text) == uncached.entities(in: text)) }
    }

    @Test func rowsAreReusedAndTheBoundHolds() throws {
        let model = try NERFixtures.model()
        let text = Self.texts[4]
        let scalars = Array(text.unicodeScalars)
        let (words, _) = EntityTagger(model: model).encode(WordTokenizer.tokenize(scalars), scalars)
        let distinct = Set(words).count
        let width = model.kernel * model.first.outputs
        let rows = [Float](repeating: 1, count: words.count * width)

        func pass(_ cache: WordProjectionCache) -> WordProjectionUsage {
            var usage = WordProjectionUsage()
            var sources: [Int32] = []
            var misses: [Int32] = []
            cache.lookUp(words[...], sources: &sources, misses: &misses, usage: &usage)
            #expect(sources.count == words.count && Set(misses).count == misses.count)
            rows.withUnsafeBufferPointer { cache.store(misses, missRows: $0.baseAddress) }
            return usage
        }

        let roomy = WordProjectionCache(vocabularySize: model.words.count, width: width, capacity: distinct)
        #expect(pass(roomy) == WordProjectionUsage(reused: 0, computed: distinct))
        #expect(pass(roomy) == WordProjectionUsage(reused: distinct, computed: 0))
        #expect(roomy.count == distinct)

        let small = WordProjectionCache(vocabularySize: model.words.count, width: width, capacity: 4)
        for _ in 0..<3 {
            let usage = pass(small)
            #expect(usage.reused + usage.computed == distinct && usage.reused <= 4)
            #expect(small.count == 4)
        }
        let none = WordProjectionCache(vocabularySize: model.words.count, width: width, capacity: 0)
        #expect(pass(none) == WordProjectionUsage(reused: 0, computed: distinct))
        #expect(pass(none) == WordProjectionUsage(reused: 0, computed: distinct))
        #expect(none.count == 0)
    }

    /// Workers share one tagger; whichever cache a text meets, warm or cold, its entities are the same.
    @Test func concurrentCallersGetTheirOwnCacheAndTheSameEntities() throws {
        let model = try NERFixtures.model()
        let expected = Self.texts.map { EntityTagger(model: model, cachedWords: 0).entities(in: $0) }
        let shared = EntityTagger(model: model, cachedWords: 32)
        let results = Results(count: Self.texts.count * 8)
        DispatchQueue.concurrentPerform(iterations: results.count) { i in
            results.set(i, shared.entities(in: Self.texts[i % Self.texts.count]))
        }
        for i in 0..<results.count { #expect(results.get(i) == expected[i % Self.texts.count]) }
        #expect(shared.caches.count <= ProcessInfo.processInfo.activeProcessorCount + 1)
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [[EntityMention]]
        let count: Int
        init(count: Int) {
            self.count = count
            values = Array(repeating: [], count: count)
        }
        func set(_ i: Int, _ value: [EntityMention]) {
            lock.lock()
            values[i] = value
            lock.unlock()
        }
        func get(_ i: Int) -> [EntityMention] {
            lock.lock()
            defer { lock.unlock() }
            return values[i]
        }
    }
}

@Suite struct EntityTaggerTests {
    @Test func everyLayerMatchesTheReference() throws {
        let model = try NERFixtures.model()
        let tagger = EntityTagger(model: model)
        let reference = NERFixtures.reference
        for c in reference.cases {
            let scalars = Array(c.text.unicodeScalars)
            let tokens = WordTokenizer.tokenize(scalars)
            let (words, shapes) = tagger.encode(tokens, scalars)
            #expect(words == c.word_ids, "word ids of \(c.text)")
            #expect(shapes == c.shape_ids, "shape ids of \(c.text)")
            var trace: [[Float]]? = []
            let scores = tagger.emissions(words[...], shapes[...], trace: &trace)
            let layers = try #require(trace)
            #expect(layers.count == c.layers.count)
            for (index, (ours, theirs)) in zip(layers, c.layers).enumerated() {
                let channels = ours.count / tokens.count
                var worst: Float = 0
                for t in 0..<tokens.count {
                    for f in 0..<reference.channels { worst = max(worst, abs(ours[t * channels + f] - theirs[t][f])) }
                }
                #expect(worst < 2e-3, "layer \(index) of \(c.text): max difference \(worst)")
            }
            let tagCount = model.tags.count
            var worst: Float = 0
            for t in 0..<tokens.count {
                for j in 0..<tagCount { worst = max(worst, abs(scores[t * tagCount + j] - c.scores[t][j])) }
            }
            #expect(worst < 2e-3, "tag scores of \(c.text): max difference \(worst)")
            let tags = CRFDecoder.decode(scores, tagCount: tagCount, transitions: model.transitions)
            #expect(tags == c.tags, "tags of \(c.text)")
            let spans = tagger.spans(tags, tokens, scalars).map {
                [NERFixtures.JSONScalar.string($0.type.rawValue), .int($0.start), .int($0.end)]
            }
            #expect(spans == c.spans, "spans of \(c.text)")
        }
    }

    @Test func windowsGiveWhatOnePassGives() throws {
        let model = try NERFixtures.model()
        let text = NERFixtures.reference.cases.map(\.text).joined(separator: "\n")
        let whole = EntityTagger(model: model, window: 100_000).entities(in: text)
        for window in [1, 2, 5, 17] {
            #expect(EntityTagger(model: model, window: window).entities(in: text) == whole, "window \(window)")
        }
        #expect(!whole.isEmpty)
    }

    @Test func organisationsTakeTheirComplement() throws {
        let tagger = EntityTagger(model: try NERFixtures.model())
        let text = "Глава МИД России Сергей Лавров прилетел в Нью-Йорк."
        let found = tagger.entities(in: text).map { "\($0.type.rawValue) \($0.text) \($0.start)" }
        #expect(found == ["ORG МИД России 6", "LOC России 10", "PER Сергей Лавров 17", "LOC Нью-Йорк 42"])
    }

    @Test func joinsChainsButNotAcrossPunctuationOrPersons() {
        let text = "Пресс-служба МВД России, Иван Петров"
        let scalars = Array(text.unicodeScalars)
        func mention(_ type: EntityType, _ start: Int, _ end: Int) -> EntityMention {
            EntityMention(type: type, text: String(String.UnicodeScalarView(scalars[start..<end])), start: start, end: end)
        }
        let joined = OrganisationComplements.join(
            [
                mention(.organization, 0, 12), mention(.organization, 13, 16),
                mention(.location, 17, 23), mention(.person, 25, 36),
            ], scalars)
        #expect(joined.map(\.text) == ["Пресс-служба МВД России", "России", "Иван Петров"])
        #expect(joined.map(\.type) == [.organization, .location, .person])
    }

    @Test func offsetsCountScalarsAfterEmojiAndCombiningMarks() throws {
        let tagger = EntityTagger(model: try NERFixtures.model())
        let text = "👍🏽 Е\u{0301}сли верить ТАСС, Владимир Путин прилетел в Москву."
        let scalars = Array(text.unicodeScalars)
        let found = tagger.entities(in: text)
        #expect(!found.isEmpty)
        for entity in found {
            #expect(String(String.UnicodeScalarView(scalars[entity.start..<entity.end])) == entity.text)
        }
        #expect(found.contains { $0.type == .person && $0.text == "Владимир Путин" })
    }

    /// The headline is read too: its mentions go to `title_entities`, offsets into the title;
    /// those of the text keep pointing into the text.
    @Test func headlinesHaveTheirOwnEntitiesDatesAndNumbers() throws {
        let title = "Николас Мадуро встретился с Хуаном Гуайдо в Каракасе 5 мая: 20% мест"
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: "Встреча прошла в Венесуэле.", title: title, published: "2019-05-06")
        _ = DatesStage().process(&document)
        _ = NumbersStage().process(&document)
        _ = try EntitiesStage(modelDirectory: NERFixtures.modelDirectory).process(&document)
        let scalars = Array(title.unicodeScalars)
        func slice(_ start: Int, _ end: Int) -> String { String(String.UnicodeScalarView(scalars[start..<end])) }
        #expect(
            document.titleEntities?.map { "\($0.type.rawValue) \($0.text)" } == ["PER Николас Мадуро", "PER Хуаном Гуайдо", "LOC Каракасе"])
        #expect(document.titleDates?.map(\.value) == ["2019-05-05"])
        #expect(document.titleNumbers?.map(\.text) == ["20%"])
        for mention in document.titleEntities ?? [] { #expect(slice(mention.start, mention.end) == mention.text) }
        for mention in document.titleDates ?? [] { #expect(slice(mention.start, mention.end) == mention.text) }
        #expect(document.entities?.map(\.text) == ["Венесуэле"])
        var untitled = Document(
            origin: Origin(archive: nil, member: "b.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: "Текст.")
        _ = DatesStage().process(&untitled)
        #expect(untitled.titleDates == [])
    }

    /// The founding article: every person, organisation and location a careful reader must find.
    @Test func seedArticleMustFacts() throws {
        let stage = try EntitiesStage(modelDirectory: NERFixtures.modelDirectory)
        let text = try String(contentsOfFile: CLIRunner.packageRoot + "/corpus/000_e05233e226880e41.txt", encoding: .utf8)
        var document = Document(
            origin: Origin(archive: nil, member: "000_e05233e226880e41.txt"), format: .txt,
            sourceBytes: text.utf8.count, encoding: "utf-8", text: text)
        _ = stage.process(&document)
        let found = Set((document.entities ?? []).map { "\($0.type.rawValue) \($0.text)" })
        let must = [
            "PER Николаса Мадуро", "PER Хуан Гуайдо", "PER Николас Мадуро", "PER Петр Порошенко", "PER Мадуро",
            "PER Гуайдо", "ORG CNN", "ORG Национальная ассамблея Венесуэлы", "ORG Национальной ассамблеи Венесуэлы",
            "LOC США", "LOC Венесуэле", "LOC Венесуэлы", "LOC Бразилии", "LOC Колумбии", "LOC Перу", "LOC Каракасе",
        ]
        for fact in must { #expect(found.contains(fact), "\(fact)") }
        #expect(found.contains("ORG Госдепе США") || found.contains("ORG Госдепе"))
    }

    @Test func missingModelSaysHowToGetIt() throws {
        let yaml = "version: 1\nstages:\n  - entities:\n      models: /nonexistent/models\n"
        #expect {
            _ = try PipelineConfig.parse(yaml: yaml, file: "test.yaml")
        } throws: { error in
            "\(error)".contains("Scripts/install-models.sh") && "\(error)".contains("stages[0].entities.models")
        }
    }
}
