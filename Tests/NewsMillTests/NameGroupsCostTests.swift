import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore
@testable import NewsMillNER
@testable import RussianMorphology

/// The faster grouping (each distinct name's features worked out once) and the headline's
/// incremental grouping give what the grouping of b247344 gives over every mention.
@Suite struct NameGroupsCostTests {
    /// Names that join in every way the rules know: surnames and full names, his and her forms,
    /// initials, a first name alone, names a dictionary could not decline, name variants, place
    /// adjectives, long one-word organisations in two cases, and names the rules cannot split.
    static let pool: [(NameNormalizer.Kind, String)] = [
        (.person, "Николас Мадуро"), (.person, "Мадуро"), (.person, "Хуан Гуайдо"), (.person, "Гуайдо"),
        (.person, "Евгения Медведева"), (.person, "Медведев"), (.person, "Медведева"), (.person, "Дмитрий Медведев"),
        (.person, "Томас Шефер"), (.person, "Шеферу"), (.person, "Шефер"), (.person, "В. Путин"), (.person, "Владимир Путин"),
        (.person, "Владимир"), (.person, "Людмила Путина"), (.person, "Путин"), (.person, "Максим Дадашев Дадашев"),
        (.person, "Максим Дадашев"), (.person, "Ли Куан Ю"), (.person, "Кигели V"), (.person, "Анна Франк"), (.person, "Анна"),
        (.person, "Ким Чен Ын"), (.person, "А"), (.person, "Сергей Лавров"), (.person, "ЛАВРОВ"), (.person, "Лаврова"),
        (.location, "Россия"), (.location, "РФ"), (.location, "Соединенные Штаты"), (.location, "США"), (.location, "японским"),
        (.location, "Япония"), (.location, "японские"), (.location, "американских"), (.location, "Москва"), (.location, "московский"),
        (.location, "белорусские"), (.location, "Белоруссия"), (.location, "Беларусь"), (.location, "Санкт-Петербург"),
        (.location, "Петербург"), (.location, "российских"), (.location, "Ёлкино"), (.location, "ёлкинские"),
        (.organisation, "ООН"), (.organisation, "Организация Объединённых Наций"), (.organisation, "Москва"),
        (.organisation, "Башинформа"), (.organisation, "Башинформ"), (.organisation, "Международный валютный фонд"),
        (.organisation, "МВФ"), (.organisation, "«Газпром»"), (.organisation, "Газпром"), (.organisation, "Роскосмосом"),
        (.organisation, "Роскосмос"), (.organisation, "Mail.Ru Group"), (.organisation, "mail.ru group"),
    ]

    /// A deterministic generator (SplitMix64).
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mentions(_ count: Int, _ generator: inout Generator) -> [NameGroups.Mention] {
        (0..<count).map { _ in
            let (kind, normal) = pool.randomElement(using: &generator)!
            return NameGroups.Mention(kind: kind, normal: normal)
        }
    }

    /// The headline's mentions grouped after the text's equal those of the whole list grouped
    /// from the start: names the text has, new names, a corrected name, no text mentions.
    @Test func aHeadlineGroupedAfterTheTextAsOverEveryMention() {
        var generator = Generator(state: 2)
        for round in 0..<3000 {
            let text = Self.mentions(round % 30, &generator)
            let title = Self.mentions(1 + round % 4, &generator)
            let grouped = NameGroups.grouped(text)
            let corrected = zip(text, grouped.assignments).map { NameGroups.Mention(kind: $0.kind, normal: $1.normal) }
            let full = Array(NameGroups.assign(corrected + title).suffix(title.count))
            #expect(NameGroups.assign(title, after: grouped) == full, "\(text.map(\.normal)) | \(title.map(\.normal))")
        }
        let text = [
            (NameNormalizer.Kind.person, "Евгения Медведева"), (.person, "Медведев"), (.person, "Томас Шефер"), (.person, "Шеферу"),
        ]
        .map { NameGroups.Mention(kind: $0.0, normal: $0.1) }
        let grouped = NameGroups.grouped(text)
        #expect(grouped.assignments.map(\.normal) == ["Евгения Медведева", "Медведева", "Томас Шефер", "Шефер"])
        for title in [["Медведева"], ["Медведев"], ["Шефер", "Шеферу"], ["Евгения Медведева", "Дмитрий Медведев"]] {
            let title = title.map { NameGroups.Mention(kind: .person, normal: $0) }
            let corrected = zip(text, grouped.assignments).map { NameGroups.Mention(kind: $0.kind, normal: $1.normal) }
            #expect(NameGroups.assign(title, after: grouped) == Array(NameGroups.assign(corrected + title).suffix(title.count)))
        }
    }

    /// Workers share the table of names' features: grouping on four threads at once gives what
    /// one thread gave before them.
    @Test func groupsAsOnOneThreadOnSeveral() {
        var generator = Generator(state: 10)
        let cases = (0..<2000).map { round in (Self.mentions(round % 30, &generator), Self.mentions(1 + round % 3, &generator)) }
        let expected = cases.map { text, title in
            let grouped = NameGroups.grouped(text)
            return (grouped.assignments, NameGroups.assign(title, after: grouped))
        }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for k in stride(from: worker, to: cases.count, by: 4) {
                let grouped = NameGroups.grouped(cases[k].0)
                if grouped.assignments != expected[k].0 || NameGroups.assign(cases[k].1, after: grouped) != expected[k].1 {
                    failures.add()
                }
            }
        }
        #expect(failures.count == 0)
    }

    private final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var count: Int { lock.withLock { value } }
        func add() { lock.withLock { value += 1 } }
    }

    /// The stage's headline path over real text: the same normals, groups and canonical names as
    /// grouping the text's and the headline's mentions all over again.
    @Test func theStagesHeadlinesAsGroupedFromTheStart() throws {
        let tagger = EntityTagger(model: try NERFixtures.model())
        let forms = EntityNormalForms(normalizer: MorphologyFixtures.normalizer)
        let article = try String(contentsOfFile: CLIRunner.packageRoot + "/corpus/000_e05233e226880e41.txt", encoding: .utf8)
        let texts =
            [
                article, String(article.prefix(900)), "",
                "В Каракасе Николас Мадуро встретился с послом. Позже Мадуро заявил, что Хуан Гуайдо не прав.",
                "Евгения Медведева выступила в Москве. Медведеву поздравил Дмитрий Медведев. Японские болельщики приехали из Японии.",
            ] + NERFixtures.reference.cases.map(\.text)
        var checked = 0
        for text in texts {
            var entities = tagger.entities(in: text)
            let groups = forms.annotate(&entities, in: text)
            // Headlines naming the text's entities (as written, in another case), naming others,
            // naming none.
            var titles = [
                "Мадуро ответил Гуайдо", "Медведева и Медведев в Токио", "Погода на завтра", "",
                "Путин и Лукашенко обсудили Белоруссию", "ООН осудила США",
            ]
            titles += entities.prefix(6).map { "\($0.text) и \(entities.last!.text) в Москве" }
            titles += entities.prefix(3).map { "Заявление \($0.normal ?? $0.text)" }
            for title in titles {
                let found = tagger.entities(in: title)
                var incremental = found
                var full = found
                forms.annotate(title: &incremental, in: title, text: groups)
                forms.annotate(title: &full, in: title, text: entities)
                #expect(incremental == full, "\(title) | \(text.prefix(60))")
                checked += found.isEmpty ? 0 : 1
            }
        }
        #expect(checked > 20)
    }

    /// Texts in every script and spacing the byte paths must tell apart from their fast cases.
    static let samples: [String] = [
        "", " ", "Ё", "ё", "Ёлкино", "ЁЛКИНО", "Николас Мадуро", "В. Путин", "«Газпром»", "\"Газпром\"", "Mail.Ru Group",
        "Санкт-Петербург", "Диас-Канель", "Ли Куан Ю", "Кигели V", "Ѣ Ѳ ѳ", "Ґрати", "Әлия", "Ⅻ", "straße", "ÉCOLE", "école",
        "e\u{301}cole", "Й", "И\u{306}", "и\u{306}ра", "Ѝ", "Ѐ", "Ї", "ї", "ʼ", "Анна—Мария", "Анна – Мария", "Анна\u{A0}Мария",
        "Ан\u{483}на", "1990-х", "О'Нил", "ООН", "Організація", "Бе\u{301}лгород", "Мадуро\u{1F600}", "  Ива  нов  ", "-", "--", "А-",
        "ДЖОН СМИТ", "Джон Смит-младший", "Сергея Лаврова", "Лавровым", "Шеферу", "Башинформа", "Роскосмосом", "Ёё Ёё",
    ]

    @Test func foldsStemsAndSplitsAsBefore() {
        for text in Self.samples {
            #expect(NameGroups.fold(text).unicodeScalars.elementsEqual(ReferenceNameGroups.fold(text).unicodeScalars), "\(text)")
            let folded = ReferenceNameGroups.fold(text)
            #expect(NameGroups.stem(folded).unicodeScalars.elementsEqual(ReferenceNameGroups.stem(folded).unicodeScalars), "\(text)")
            let (name, reference) = (NameGroups.PersonName(text), ReferenceNameGroups.PersonName(text))
            #expect(name.first == reference.first && name.surname == reference.surname && name.isOnlyWord == reference.isOnlyWord)
            #expect(name.firstKey == reference.firstKey && name.surnameKey == reference.surnameKey)
            #expect(name.surnameStem == reference.surnameStem)
            for other in Self.samples {
                let (a, b) = (NameGroups.PersonName(other), ReferenceNameGroups.PersonName(other))
                #expect(name.surnameMatches(a) == reference.surnameMatches(b), "\(text) | \(other)")
                #expect(name.compatibleFirst(with: a) == reference.compatibleFirst(with: b), "\(text) | \(other)")
            }
        }
        #expect(NameGroups.isPlain("ёлкино Mail ru") && !NameGroups.isPlain("и\u{306}") && !NameGroups.isPlain("ѳ"))
    }

    private func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

    @Test func contextsFromTheBytesAsFromTheScalars() {
        let texts =
            Self.samples + [
                "В Каракасе  Николас Мадуро встретился с послом.\nПозже Мадуро\u{A0}заявил, что Хуан Гуайдо не прав.",
                "😀 у\u{2003}Ёлкина 😀 сказала\tона", String(repeating: "очень", count: 12) + " Путин " + String(repeating: "ы", count: 40),
            ]
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            var spans: [(start: Int, end: Int)] = []
            for start in -1...(scalars.count + 1) {
                for end in [start - 1, start, start + 1, start + 3, scalars.count, scalars.count + 2] { spans.append((start, end)) }
            }
            let contexts = NameNormalizer.Context.contexts(around: spans, in: text)
            for (span, context) in zip(spans, contexts) {
                let reference = NameNormalizer.Context(around: span.start, span.end, in: scalars)
                #expect(
                    bytes(context.before) == bytes(reference.before) && bytes(context.after) == bytes(reference.after), "\(text) \(span)")
            }
        }
        #expect(NameNormalizer.Context.contexts(around: [], in: "текст").isEmpty)
    }
}
