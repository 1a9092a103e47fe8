import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

@Suite struct HashTests {
    // Reference values computed once with the mmh3 Python package (hash64, unsigned).
    @Test(arguments: [
        ("", "00000000000000000000000000000000"),
        ("a", "85555565f6597889e6b53a48510e895a"),
        ("hello world", "533f6046eb7f610eab97467d60eb63b1"),
        ("Привет, мир! Это тест хеша.", "a1ba0ddd9dd58bc42ff7f1b71683931b"),
    ])
    func murmur3MatchesReference(input: String, expected: String) {
        #expect(Hash128.murmur3(input).hex == expected)
        #expect(Hash128.murmur3(Array(input.utf8)).hex == expected)
    }

    @Test func idsAreStableAndDistinct() {
        let a = DocumentID.make(for: Origin(archive: "x.tar.gz", member: "a.txt"))
        #expect(a == DocumentID.make(for: Origin(archive: "x.tar.gz", member: "a.txt")))
        #expect(a != DocumentID.make(for: Origin(archive: "x.tar.gz", member: "a.txt", row: 1)))
        #expect(a != DocumentID.make(for: Origin(archive: "x.tar", member: "gz/a.txt")))
        #expect(a.count == 24)
    }
}

@Suite struct JSONTests {
    func serialized(_ build: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        build(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func writesCyrillicRawAndEscapesControls() {
        let json = serialized { w in
            w.beginObject()
            w.key("text"); w.string("Привет \"мир\"\n\t\\ \u{1}\u{2028}")
            w.key("n"); w.int(5)
            w.key("none"); w.null()
            w.key("list"); w.beginArray(); w.int(1); w.string("б"); w.endArray()
            w.endObject()
        }
        #expect(json == #"{"text":"Привет \"мир\"\n\t\\ \u0001\u2028","n":5,"none":null,"list":[1,"б"]}"#)
    }

    @Test func writerOutputParsesBack() throws {
        let original = "Строка с «кавычками», \"escape\" и \u{7}"
        let json = serialized { $0.string(original) }
        #expect(try JSONParser.parse(Array(json.utf8)) == .string(original))
    }

    @Test func parsesObjectsEscapesAndSurrogates() throws {
        let value = try JSONParser.parse(Array(#"{"a": [1, -2.5e3, true, null], "b": "x\u00e9\ud83d\ude00\/", "c": {}}"#.utf8))
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b", "c"])
        #expect(members[0].value == .array([.number("1"), .number("-2.5e3"), .bool(true), .null]))
        #expect(members[1].value == .string("xé😀/"))
    }

    @Test(arguments: [#"{"a": 1"#, #"{"a" 1}"#, #"{"a": tru}"#, "[1,]", #""unterminated"#, "{} x", #"{"a": "\q"}"#])
    func rejectsInvalidJSON(input: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(input.utf8)) }
    }
}

@Suite struct TextDecodingTests {
    @Test func decodesUTF8WithAndWithoutBOM() throws {
        #expect(try TextDecoding.decode(Array("Да".utf8)).get().text == "Да")
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Да".utf8)).get().text == "Да")
    }

    @Test func decodesUTF16WithBOM() throws {
        let le: [UInt8] = [0xFF, 0xFE, 0x14, 0x04, 0x30, 0x04]  // "Да"
        let be: [UInt8] = [0xFE, 0xFF, 0x04, 0x14, 0x04, 0x30]
        #expect(try TextDecoding.decode(le).get().text == "Да")
        #expect(try TextDecoding.decode(le).get().encoding == "utf-16le")
        #expect(try TextDecoding.decode(be).get().text == "Да")
    }

    @Test func refusesWhatItCannotDecode() {
        // Bytes that no supported charset turns into plausible text: GBK-encoded Chinese.
        let gbk = hex(
            "d0c2bbaac9e7b1b1bea9b5e720d6d0b9fab9fabcd2d6f7cfafbdf1ccecd4dac8cbc3f1b4f3bbe1ccc3bbe1bcfbc1cbc0b4b7c3b5c4cde2b9fac1ecb5bcc8cb"
        )
        #expect(TextDecoding.decode(gbk) == .failure(.notUTF8(offset: 0)))
        #expect(TextDecoding.decode([0x41, 0x00, 0x42]) == .failure(.binary))
        #expect(TextDecoding.decode([0xFF, 0xFE, 0xFD]) == .failure(.badUTF16))
        #expect(TextDecoding.decode(Array(" \n\t".utf8)) == .failure(.empty))
        #expect(TextDecoding.decode([]) == .failure(.empty))
        #expect(TextDecoding.decode(Array(repeating: 0x01, count: 10) + Array("text".utf8)) == .failure(.binary))
    }
}

func hex(_ string: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var chars = Array(string.utf8)[...]
    while chars.count >= 2 {
        bytes.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
        chars = chars.dropFirst(2)
    }
    return bytes
}

/// The same sentence in every charset, encoded once with Python's codecs.
@Suite struct CharsetTests {
    static let russian = "Съешь же ещё этих мягких французских булок, да выпей чаю. В Москве 23 января 2019 года прошёл митинг."

    @Test(arguments: [
        (
            "windows-1251",
            "d1fae5f8fc20e6e520e5f9b820fdf2e8f520ecffe3eae8f520f4f0e0edf6f3e7f1eae8f520e1f3ebeeea2c20e4e020e2fbefe5e920f7e0fe2e20c220cceef1eae2e520323320ffede2e0f0ff203230313920e3eee4e020eff0eef8b8eb20ece8f2e8ede32e"
        ),
        (
            "koi8-r",
            "f3dfc5dbd820d6c520c5dda320dcd4c9c820cdd1c7cbc9c820c6d2c1cec3d5dad3cbc9c820c2d5cccfcb2c20c4c120d7d9d0c5ca20dec1c02e20f720edcfd3cbd7c520323320d1ced7c1d2d1203230313920c7cfc4c120d0d2cfdba3cc20cdc9d4c9cec72e"
        ),
        (
            "cp866",
            "91eaa5e8ec20a6a520a5e9f120ede2a8e520acefa3aaa8e520e4e0a0ade6e3a7e1aaa8e520a1e3abaeaa2c20a4a020a2ebafa5a920e7a0ee2e2082208caee1aaa2a520323320efada2a0e0ef203230313920a3aea4a020afe0aee8f1ab20aca8e2a8ada32e"
        ),
        (
            "iso-8859-5",
            "c1ead5e8ec20d6d520d5e9f120ede2d8e520dcefd3dad8e520e4e0d0dde6e3d7e1dad8e520d1e3dbdeda2c20d4d020d2ebdfd5d920e7d0ee2e20b220bcdee1dad2d520323320efddd2d0e0ef203230313920d3ded4d020dfe0dee8f1db20dcd8e2d8ddd32e"
        ),
        (
            "x-mac-cyrillic",
            "91fae5f8fc20e6e520e5f9de20fdf2e8f520ecdfe3eae8f520f4f0e0edf6f3e7f1eae8f520e1f3ebeeea2c20e4e020e2fbefe5e920f7e0fe2e2082208ceef1eae2e520323320dfede2e0f0df203230313920e3eee4e020eff0eef8deeb20ece8f2e8ede32e"
        ),
    ])
    func detectsCyrillicCharsets(charset: String, bytes: String) throws {
        let decoded = try TextDecoding.decode(hex(bytes)).get()
        #expect(decoded.encoding == charset)
        #expect(decoded.text == Self.russian)
    }

    @Test func detectsWesternCharsets() throws {
        let cp1252 = try TextDecoding.decode(hex("c76120636ffb7465203520802c2053747261df652097206e61ef76652064e96ae02076752e")).get()
        #expect(cp1252.encoding == "windows-1252")
        #expect(cp1252.text == "Ça coûte 5 €, Straße — naïve déjà vu.")
        let latin1 = try TextDecoding.decode(
            hex("c96c206c6c6567f32061206c61206361706974616c2065737061f16f6c61206465737075e97320646520756e61207265756e69f36e2e")
        ).get()
        #expect(latin1.encoding == "iso-8859-1")
        #expect(latin1.text == "Él llegó a la capital española después de una reunión.")
    }

    @Test func detectsUTF16WithoutByteOrderMark() throws {
        let le = try TextDecoding.decode(hex("1f04400438043204350442042c0020003c043804400421002000480065006c006c006f002e00")).get()
        #expect(le.encoding == "utf-16le" && le.text == "Привет, мир! Hello.")
        let be = try TextDecoding.decode(hex("041f04400438043204350442002c0020043c043804400021002000480065006c006c006f002e")).get()
        #expect(be.encoding == "utf-16be" && be.text == "Привет, мир! Hello.")
    }

    @Test func shortMixedTextIsDetected() throws {
        // "Apple iPhone продажи" (20 characters, Latin and Cyrillic) in windows-1251 and KOI8-R.
        let cp1251 = try TextDecoding.decode(Array("Apple iPhone ".utf8) + hex("eff0eee4e0e6e8")).get()
        #expect(cp1251.encoding == "windows-1251" && cp1251.text == "Apple iPhone продажи")
        let koi8 = try TextDecoding.decode(Array("Apple iPhone ".utf8) + hex("d0d2cfc4c1d6c9")).get()
        #expect(koi8.encoding == "koi8-r" && koi8.text == "Apple iPhone продажи")
    }
}

@Suite struct SentenceTests {
    @Test(arguments: [
        ("Президент В. В. Путин провел встречу. Она длилась час.", 2),
        ("Цены выросли на 5%, т. е. на 12 млн. руб. за год. Это много.", 2),
        ("Митинг прошел на ул. Ленина в г. Москве. Задержаны 16 человек.", 2),
        ("«Куда вы?» — спросил он. Ответа не было.", 2),
        ("- Мы не говорим, что нам нужна помощь, - заявил военный.\nНа данный момент они за пределами страны.", 2),
        ("В 2019 г. В Москве открыли три станции. Mr. Smith arrived.", 3),
        ("Первое! Второе? Третье… Четвертое", 4),
        ("", 0),
    ])
    func countsSentences(text: String, expected: Int) {
        #expect(SentenceSplitter.count(text) == expected)
    }

    @Test func statsUseTheSplitterUnlessTold() {
        var document = Document(
            origin: Origin(archive: nil, member: "a"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: "Президент В. В. Путин провел встречу. Она длилась час.")
        _ = StatsStage().process(&document)
        #expect(document.stats?.sentences == 2)
        _ = StatsStage(useSentenceSplitter: false).process(&document)
        #expect(document.stats?.sentences == 4)
    }
}

@Suite struct LeadTests {
    @Test func leadIsTheFirstRealParagraph() {
        var document = Document(
            origin: Origin(archive: nil, member: "a"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: "Иван Петров, корреспондент\nТВЕРЬ, 3 июня. Сильный дождь затопил несколько улиц в центре города.\nВторой абзац.")
        _ = LeadStage().process(&document)
        #expect(document.lead == "ТВЕРЬ, 3 июня. Сильный дождь затопил несколько улиц в центре города.")
        var short = Document(origin: Origin(archive: nil, member: "b"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: "Коротко.")
        _ = LeadStage().process(&short)
        #expect(short.lead == "Коротко.")
    }
}

@Suite struct TypographyTests {
    let typography = Typography()

    @Test func dialogueAndSpacedDashesBecomeEmDashes() {
        #expect(
            typography.apply("- Мы не говорим, что нам нужна помощь, - заявил военный.\n– Да.")
                == "— Мы не говорим, что нам нужна помощь, — заявил военный.\n— Да.")
        #expect(
            typography.apply("В Венесуэле - двоевластие. Материально-технический план, 2019-2020.")
                == "В Венесуэле — двоевластие. Материально-технический план, 2019-2020.")
    }

    @Test func quotesBecomeGuillemetsInCyrillicParagraphs() {
        #expect(
            typography.apply("Компания \"Волжский кабель\" и “Северсталь” подписали „договор“.")
                == "Компания «Волжский кабель» и «Северсталь» подписали «договор».")
        #expect(typography.apply("Он сказал: «Это \"ключевой\" проект».") == "Он сказал: «Это „ключевой“ проект».")
        #expect(typography.apply("He said \"yes\" and “no”.") == "He said \"yes\" and “no”.")
    }

    @Test func htmlEntitiesAreDecodedAndSwitchesWork() {
        #expect(typography.apply("&laquo;Газпром&raquo; &mdash; AT&T") == "«Газпром» — AT&T")
        #expect(Typography(dashes: false, quotes: false, htmlEntities: false).apply("- \"&amp;\"") == "- \"&amp;\"")
    }
}

@Suite struct BoilerplateTests {
    @Test func removesBoilerplateLinesAndCountsThem() {
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text:
                "Источник: агентство\nТекст новости.\nЧИТАЙТЕ ТАКЖЕ: другое\nЕщё абзац про фото: без изменений.\nПодписывайтесь на наш канал в Telegram"
        )
        var counts = StageCounts()
        #expect(BoilerplateStage().process(&document, counts: &counts) == .keep)
        #expect(document.text == "Текст новости.\nЕщё абзац про фото: без изменений.")
        #expect(
            counts.values == ["lines_removed/Источник:": 1, "lines_removed/Читайте также": 1, "lines_removed/Подписывайтесь на наш": 1])
    }

    @Test func shortAndUpperCasePatternsMatch() {
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: "#реклама\nТекст.\nЁЛКА в продаже\nЁж остаётся.")
        var counts = StageCounts()
        _ = BoilerplateStage(patterns: ["#", "ёлка в"]).process(&document, counts: &counts)
        #expect(document.text == "Текст.\nЁж остаётся.")
        #expect(counts.values == ["lines_removed/#": 1, "lines_removed/ёлка в": 1])
    }

    @Test func aTextOfOnlyBoilerplateIsRejected() {
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: "Поделиться")
        var counts = StageCounts()
        #expect(BoilerplateStage().process(&document, counts: &counts) == .reject(.emptyText, "nothing but boilerplate lines"))
    }
}

@Suite struct LanguageTests {
    // Sentences written for these tests.
    @Test(arguments: [
        ("ru", "Власти города пообещали отремонтировать мост через реку до конца лета."),
        ("uk", "Міська влада пообіцяла відремонтувати міст через річку до кінця літа."),
        ("be", "Улады горада паабяцалі адрамантаваць мост праз раку да канца лета."),
        ("kk", "Қала әкімдігі көпірді жаз соңына дейін жөндеуге уәде берді."),
        ("sr", "Gradske vlasti su obećale da će popraviti most preko reke do kraja leta."),
        ("en", "The city authorities promised to repair the bridge over the river by the end of summer."),
        ("de", "Die Stadtverwaltung versprach, die Brücke über den Fluss bis Ende des Sommers zu reparieren."),
        ("fr", "Les autorités de la ville ont promis de réparer le pont sur la rivière avant la fin de l'été."),
        ("es", "Las autoridades de la ciudad prometieron reparar el puente sobre el río antes del final del verano."),
        ("pl", "Władze miasta obiecały naprawić most na rzece do końca lata."),
    ])
    func identifiesEachLanguage(language: String, sentence: String) {
        let result = LanguageIdentifier.identify(sentence)
        #expect(result.language == language)
        #expect(result.confidence > 0.5)
    }

    @Test func russianUkrainianAndBelarusianApartOnNewsText() {
        #expect(
            LanguageIdentifier.identify(
                "Львів отримає 12 нових низькопідлогових трамваїв", "Міська рада затвердила закупівлю, повідомили у мерії."
            ).language == "uk")
        #expect(LanguageIdentifier.identify(Articles.rain).language == "ru")
    }

    @Test(arguments: ["", "12:30", "ОК", "— 5 %"])
    func tooLittleTextIsUndetermined(text: String) {
        #expect(LanguageIdentifier.identify(text).language == "und")
    }

    @Test func readsOnlyTheStart() {
        let long = String(repeating: "Власти города пообещали отремонтировать мост. ", count: 50)
        #expect(LanguageIdentifier.identify(long + String(repeating: "The bridge will be repaired. ", count: 500)).language == "ru")
    }
}

@Suite struct MojibakeTests {
    static let sentence = "Перешедшие на сторону венесуэльской оппозиции военные обратились к властям США."

    @Test(arguments: [
        (
            "РџРµСЂРµС€РµРґС€РёРµ РЅР° СЃС‚РѕСЂРѕРЅСѓ РІРµРЅРµСЃСѓСЌР»СЊСЃРєРѕР№ РѕРїРїРѕР·РёС†РёРё РІРѕРµРЅРЅС‹Рµ РѕР±СЂР°С‚РёР»РёСЃСЊ Рє РІР»Р°СЃС‚СЏРј РЎРЁРђ.",
            Charset.windows1251
        ),
        (
            "╨Я╨╡╤А╨╡╤И╨╡╨┤╤И╨╕╨╡ ╨╜╨░ ╤Б╤В╨╛╤А╨╛╨╜╤Г ╨▓╨╡╨╜╨╡╤Б╤Г╤Н╨╗╤М╤Б╨║╨╛╨╣ ╨╛╨┐╨┐╨╛╨╖╨╕╤Ж╨╕╨╕ ╨▓╨╛╨╡╨╜╨╜╤Л╨╡ ╨╛╨▒╤А╨░╤В╨╕╨╗╨╕╤Б╤М ╨║ ╨▓╨╗╨░╤Б╤В╤П╨╝ ╨б╨и╨Р.",
            .cp866
        ),
    ])
    func repairsCyrillicMojibake(garbled: String, charset: Charset) throws {
        let repaired = try #require(MojibakeRepair.repair(garbled))
        #expect(repaired.text == Self.sentence)
        #expect(repaired.misreadAs == charset)
    }

    @Test func repairsShortAndWesternMojibake() throws {
        #expect(MojibakeRepair.repair("РџСЂРёРІРµС‚, РјРёСЂ")?.text == "Привет, мир")
        #expect(MojibakeRepair.repair("Ð¿Ñ€Ð¸Ð²ÐµÑ‚, Ð¼Ð¸Ñ€")?.text == "привет, мир")
        let western = try #require(MojibakeRepair.repair("Ã‡a coÃ»te 5 â‚¬, StraÃŸe â€” naÃ¯ve dÃ©jÃ\u{A0} vu."))
        #expect(western.text == "Ça coûte 5 €, Straße — naïve déjà vu.")
        #expect(western.misreadAs == .windows1252)
    }

    @Test func repairsMojibakeWithUndefinedBytesAndLatin1() throws {
        let original = "Иван Иванович приехал в Иркутск. Поезд опоздал на 20 минут из-за ремонта путей."
        // windows-1251 leaves 0x98 undefined: "И" (D0 98) came back as "Р" and U+0098.
        let sloppy =
            "Р\u{98}РІР°РЅ Р\u{98}РІР°РЅРѕРІРёС‡ РїСЂРёРµС…Р°Р» РІ Р\u{98}СЂРєСѓС‚СЃРє. РџРѕРµР·Рґ РѕРїРѕР·РґР°Р» РЅР° 20 РјРёРЅСѓС‚ РёР·-Р·Р° СЂРµРјРѕРЅС‚Р° РїСѓС‚РµР№."
        #expect(MojibakeRepair.repair(sloppy)?.text == original)
        let latin1 =
            "Ð\u{98}Ð²Ð°Ð½ Ð\u{98}Ð²Ð°Ð½Ð¾Ð²Ð¸Ñ\u{87} Ð¿Ñ\u{80}Ð¸ÐµÑ\u{85}Ð°Ð» Ð² Ð\u{98}Ñ\u{80}ÐºÑ\u{83}Ñ\u{82}Ñ\u{81}Ðº. Ð\u{9F}Ð¾ÐµÐ·Ð´ Ð¾Ð¿Ð¾Ð·Ð´Ð°Ð» Ð½Ð° 20 Ð¼Ð¸Ð½Ñ\u{83}Ñ\u{82} Ð¸Ð·-Ð·Ð° Ñ\u{80}ÐµÐ¼Ð¾Ð½Ñ\u{82}Ð° Ð¿Ñ\u{83}Ñ\u{82}ÐµÐ¹."
        #expect(MojibakeRepair.repair(latin1)?.text == original)
        // Western text: only the accented letters are garbled, a few percent of the characters.
        let french =
            "Le prÃ©sident a annoncÃ© hier que la rÃ©forme des retraites serait prÃ©sentÃ©e au Parlement la semaine prochaine, aprÃ¨s une longue concertation avec les syndicats et le patronat."
        #expect(
            MojibakeRepair.repair(french)?.text
                == "Le président a annoncé hier que la réforme des retraites serait présentée au Parlement la semaine prochaine, après une longue concertation avec les syndicats et le patronat."
        )
    }

    @Test(arguments: [
        sentence,
        "Ãœber: a clean text may quote a mojibake sample like Ã© once, and stays as it is: café, naïve.",
        "СССР, США, РФ и РСФСР: Сёмга, Ёлка, Стоп. ВРС, СРС, РСР.",
        "Ça coûte 5 €, Straße — naïve déjà vu. ÐÑ is rare.",
        "Ðµ",
        "Владимир Путин и Дональд Трамп обсудили в Хельсинки отношения России и США.",
        "Zażółć gęślą jaźń — ŁÓDŹ, ŚWIĘTO, ŻÓŁW.",
    ])
    func leavesCleanTextAlone(text: String) {
        #expect(MojibakeRepair.repair(text) == nil)
    }
}

extension Result where Success == TextDecoding.Decoded, Failure == DecodeFailure {
    static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case let (.failure(a), .failure(b)): return a == b
        case let (.success(a), .success(b)): return a.text == b.text && a.encoding == b.encoding
        default: return false
        }
    }
}

@Suite struct NormalizerTests {
    let normalizer = TextNormalizer()

    @Test func unifiesLineEndingsAndParagraphs() {
        #expect(normalizer.normalize("  Один  \r\n\r\n\r\nДва\t\rТри\u{2029}Четыре\n\n") == "Один\nДва\nТри\nЧетыре")
    }

    @Test func trimsNonBreakingAndIdeographicBlanksAtLineEnds() {
        #expect(normalizer.normalize("\u{A0}Текст\u{A0}\u{3000}\nдальше") == "Текст\nдальше")
        #expect(TextNormalizer(unifySpaces: false).normalize("46,5\u{A0}млн") == "46,5\u{A0}млн")
    }

    @Test func unifiesSpacesAndDropsInvisibleCharacters() {
        #expect(normalizer.normalize("46,5\u{A0}млн  рублей\tв\u{2009}год") == "46,5 млн рублей в год")
        #expect(normalizer.normalize("по\u{AD}ли\u{200B}ти\u{FEFF}ка\u{7}\u{9F}") == "политика")
        #expect(TextNormalizer(removeInvisible: false).normalize("по\u{AD}ли") == "по\u{AD}ли")
    }

    @Test func composesToNFC() {
        let decomposed = "И\u{0306}ошкар-Ола, cafe\u{0301}"
        let result = normalizer.normalize(decomposed)
        #expect(result == "Йошкар-Ола, café")
        #expect(result.unicodeScalars.count == 16)
    }

    @Test func leavesCleanTextAlone() {
        let clean = "Первая строка — «цитата».\nВторая № 5"
        #expect(normalizer.normalize(clean) == clean)
    }

    @Test func switchesTurnStepsOff() {
        let keepBreaks = TextNormalizer(nfc: false, unifyLineBreaks: false, trimLines: false)
        #expect(keepBreaks.normalize("a \r\nb") == "a \r\nb")
    }

    @Test func statsCountScalarsWordsSentencesParagraphs() {
        let stats = StatsStage.count("Первое предложение. Второе! Материально-технический план.\nАбзац без точки")
        #expect(stats == TextStats(chars: 73, words: 8, sentences: 4, paragraphs: 2))
    }
}

@Suite struct FormatTests {
    @Test func headlineMayHoldAColonAfterSeveralWords() {
        #expect(
            TxtFormat.splitHeadline("Пожар в Подольске: эвакуированы 16 человек\nТекст.")?.title
                == "Пожар в Подольске: эвакуированы 16 человек")
    }

    @Test func txtHeadlineIsRecognised() {
        let split = TxtFormat.splitHeadline("Ливни затопили Тверь\n\nТВЕРЬ, 3 июня. Текст.")
        #expect(split?.title == "Ливни затопили Тверь")
        #expect(split?.body == "\n\nТВЕРЬ, 3 июня. Текст.")
    }

    @Test(arguments: [
        "Перешедшие на сторону оппозиции военные обратились к властям США.\nДальше текст.",
        "- Мы не говорим, что нам нужна помощь\nдальше",
        "Одна строка без продолжения",
        "Источник: «Сибирь-Информ»\nНовую станцию откроют раньше срока.",
        "Заголовок на линии с двоеточием:\nтекст",
    ])
    func txtWithoutHeadline(text: String) {
        #expect(TxtFormat.splitHeadline(text) == nil)
    }

    @Test func htmlKeepsArticleAndDropsChrome() {
        let html = """
            <html><head><title>Башня — Вестник</title><style>p{}</style>
            <meta property="article:published_time" content="2024-04-12T10:30:00+03:00"></head>
            <body><nav><a>Новости</a></nav><header>Шапка</header>
            <article><div class="breadcrumbs">Главная &rsaquo; Город</div><h1>Башню отреставрировали</h1>
            <time datetime="2024-04-12">12 апреля</time>
            <p>Первый&nbsp;абзац &laquo;цитата&raquo; &#8212; текст.</p><script>var x = "<p>нет</p>";</script>
            <p>Второй
               абзац, <b>жирный</b> <!-- comment --></p><div class="share">Поделиться</div></article>
            <aside><p>Популярное</p></aside><footer>© 2024</footer></body></html>
            """
        let page = HTMLText.extract(html)
        #expect(page.title == "Башня — Вестник")
        #expect(page.headline == "Башню отреставрировали")
        #expect(page.published == "2024-04-12T10:30:00+03:00")
        #expect(page.paragraphs == ["Башню отреставрировали", "Первый\u{A0}абзац «цитата» — текст.", "Второй абзац, жирный"])
    }

    @Test func htmlWithoutArticleUsesBody() {
        let page = HTMLText.extract("<body><p>Один</p><div>Два<br>Три</div><footer>нет</footer></body>")
        #expect(page.paragraphs == ["Один", "Два", "Три"])
    }

    @Test func csvParsesQuotesNewlinesAndCRLF() {
        var parser = CSVParser(bytes: Array("a,\"b, \"\"c\"\"\nd\",e\r\n1,2,3\n".utf8), delimiter: UInt8(ascii: ","))
        let first = parser.next()
        #expect(first?.fields.map { String(decoding: $0, as: UTF8.self) } == ["a", "b, \"c\"\nd", "e"])
        #expect(parser.next()?.fields.map { String(decoding: $0, as: UTF8.self) } == ["1", "2", "3"])
        #expect(parser.next() == nil)
    }

    @Test func dumpFieldsMapToDocument() {
        let format = DumpFormat(fields: FieldNames(), maxRecordBytes: 1 << 20)
        let chunk = RowChunk(
            origin: Origin(archive: "a.zip", member: "feed.jsonl"), format: .jsonl, header: nil,
            bytes: Array(
                """
                {"id": 7, "Title": "Заголовок", "body": "Текст", "date": "11.03.2024", "tags": ["a", "b"], "author": {"name": "И. Петров"}}

                {"title": "Без текста", "text": "  "}
                {"text": "Т", "date": "вчера"}
                """.utf8), firstRow: 10)
        let outcomes = format.decodeJSONLines(chunk)
        #expect(outcomes.count == 3)
        guard case .document(let doc) = outcomes[0] else { Issue.record("expected a document"); return }
        #expect(doc.title == "Заголовок" && doc.text == "Текст" && doc.published == "2024-03-11")
        #expect(doc.origin.row == 10)
        #expect(doc.meta.map(\.key) == ["id", "tags", "author"])
        #expect(doc.meta.map(\.value) == ["7", "a, b", #"{"name":"И. Петров"}"#])
        guard case .reject(let reject) = outcomes[1] else { Issue.record("expected a reject"); return }
        #expect(reject.code == .rowWithoutText && reject.origin.row == 12)
        guard case .document(let undated) = outcomes[2] else { Issue.record("expected a document"); return }
        #expect(undated.published == nil && undated.meta.map(\.value) == ["вчера"])
    }

    @Test(arguments: [
        ("2024-03-11", "2024-03-11"), ("2024-03-11T10:00:00Z", "2024-03-11T10:00:00Z"), ("2024/03/11", "2024-03-11"),
        ("11.03.2024", "2024-03-11"), ("11.03.2024 10:15", "2024-03-11T10:15:00"), ("1710115200", "2024-03-11T00:00:00Z"),
        ("1710115200000", "2024-03-11T00:00:00Z"), ("2024-02-30", nil), ("вчера", nil), ("", nil),
    ])
    func publishedDates(raw: String, iso: String?) {
        #expect(DateField.isoDate(raw) == iso)
    }

    @Test(arguments: [
        ("news/a.txt", MemberKind.document(.txt)), ("A.HTML", .document(.html)), ("x.tar.gz", .archive(streamable: true)),
        ("x.tgz", .archive(streamable: true)), ("x.zip", .archive(streamable: false)), ("x.7z", .archive(streamable: false)),
        ("feed.jsonl.gz", .compressed(innerName: "feed.jsonl")), ("x.cpio", .archive(streamable: true)),
        ("photo.jpg", .skip(reason: "unknown_format")), ("README", .skip(reason: "no_extension")), ("a.csv", .document(.csv)),
        ("dump.json", .document(.json)),
    ])
    func membersAreClassifiedByName(name: String, kind: MemberKind) {
        #expect(MemberKind.classify(name: name, options: InputOptions()) == kind)
    }

    @Test func windowsMemberNamesAreDecoded() {
        let cp866: [UInt8] = [0x8D, 0xAE, 0xA2, 0xAE, 0xE1, 0xE2, 0xA8, 0x2E, 0x74, 0x78, 0x74]  // "Новости.txt"
        let cp1251: [UInt8] = [0xCD, 0xEE, 0xE2, 0xEE, 0xF1, 0xF2, 0xE8, 0x2E, 0x74, 0x78, 0x74]
        #expect(MemberNames.decode(cp866) == "Новости.txt")
        #expect(MemberNames.decode(cp1251) == "Новости.txt")
        #expect(MemberNames.decode(Array("Новости.txt".utf8)) == "Новости.txt")
    }
}

@Suite struct ExactDedupTests {
    func document(_ member: String, _ text: String) -> Document {
        Document(origin: Origin(archive: nil, member: member), format: .txt, sourceBytes: 0, encoding: "utf-8", text: text)
    }

    @Test func firstInOrderIsCanonical() {
        let stage = ExactDedupStage(mode: .mark)
        let sequencer = stage.makeSequencer()!
        var a = document("a", "один текст")
        var b = document("b", "другой текст")
        var c = document("c", "один текст")
        for i in [0, 1, 2] {
            var doc = [a, b, c][i]
            _ = stage.process(&doc)
            #expect(sequencer.sequence(&doc) == .keep)
            if i == 0 { a = doc } else if i == 1 { b = doc } else { c = doc }
        }
        #expect(a.dedup?.status == .unique && a.dedup?.cluster == a.id)
        #expect(b.dedup?.status == .unique)
        #expect(c.dedup?.status == .exact && c.dedup?.of == a.id && c.dedup?.cluster == a.id && c.dedup?.similarity == 1.0)
    }

    @Test func compactIDsRoundTrip() {
        let id = DocumentID.make(for: Origin(archive: "a.zip", member: "b.txt"))
        #expect(CompactID(hex: id).hex == id)
        #expect(CompactID(hex: "00000000000000ff0000abcd").hex == "00000000000000ff0000abcd")
    }

    @Test func dropModeDropsDuplicates() {
        let stage = ExactDedupStage(mode: .drop)
        let sequencer = stage.makeSequencer()!
        var a = document("a", "текст")
        var b = document("b", "текст")
        _ = stage.process(&a)
        _ = stage.process(&b)
        #expect(sequencer.sequence(&a) == .keep)
        #expect(sequencer.sequence(&b) == .drop(reason: "exact_duplicate"))
    }
}
