import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Figures: what is found, what it is worth, its unit and currency, where it is (Unicode scalars).
@Suite struct NumbersTests {
    /// "text = value kind unit currency", "-" for nil.
    private func found(
        _ text: String, options: NumberExtractor.Options = NumberExtractor.Options(),
        dates: [DateMention] = []
    ) -> [String] {
        NumberExtractor(options: options).extract(from: text, skipping: dates).map(Self.describe)
    }

    static func describe(_ m: NumberMention) -> String {
        let value = m.value == m.value.rounded() && abs(m.value) < 1e15 ? String(Int64(m.value)) : String(m.value)
        return "\(m.text) = \(value) \(m.kind.rawValue) \(m.unit ?? "-") \(m.currency ?? "-")"
    }

    @Test(arguments: [
        ("В давке пострадали 16 человек.", ["16 человек = 16 cardinal человек -"]),
        ("Индекс вырос до 150, рекорд года.", ["150 = 150 cardinal - -"]),
        ("На форум приехали 150 участников.", ["150 участников = 150 cardinal участников -"]),
        ("До райцентра около 300 км.", ["300 км = 300 cardinal км -"]),
        ("Город вырос до 1 500 000 жителей.", ["1 500 000 жителей = 1500000 cardinal жителей -"]),
        ("Тираж\u{A0}— 12\u{A0}500\u{A0}экземпляров.", ["12\u{A0}500\u{A0}экземпляров = 12500 cardinal экземпляров -"]),
        ("В бюджет заложено 1,500,000 долларов.", ["1,500,000 долларов = 1500000 money долларов USD"]),
        ("Построят 5 новых школ.", ["5 новых школ = 5 cardinal школ -"]),
        ("Из 100 опрошенных согласились 64.", ["100 опрошенных = 100 cardinal опрошенных -", "64 = 64 cardinal - -"]),
        (
            "Площадь — 90 тысяч квадратных километров, квартира 45 кв. м.",
            ["90 тысяч квадратных километров = 90000 cardinal квадратных километров -", "45 кв. м = 45 cardinal кв. м -"]
        ),
        (
            "Скорость 120 км/ч, вес 400 г, объём 2 л.",
            ["120 км/ч = 120 cardinal км/ч -", "400 г = 400 cardinal г -", "2 л = 2 cardinal л -"]
        ),
        ("Ему дали 3 года колонии, а ей 2,5 года.", ["3 года = 3 cardinal года -", "2,5 года = 2.5 cardinal года -"]),
        ("Мощность станции 10МВт.", ["10МВт = 10 cardinal МВт -"]),
        (
            "Over 500 people attended; the budget was 3 million dollars.",
            ["500 people = 500 cardinal people -", "3 million dollars = 3000000 money dollars USD"]
        ),
    ])
    func findsCountsWithTheirUnits(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        ("Фонд получил $5 млн.", ["$5 млн = 5000000 money $ USD"]),
        ("Кредит — 5,3 млрд рублей.", ["5,3 млрд рублей = 5300000000 money рублей RUB"]),
        ("Вход стоит €10, или 10 евро.", ["€10 = 10 money € EUR", "10 евро = 10 money евро EUR"]),
        (
            "Штраф 100 долларов, 500 гривен или 5000 тенге.",
            ["100 долларов = 100 money долларов USD", "500 гривен = 500 money гривен UAH", "5000 тенге = 5000 money тенге KZT"]
        ),
        ("Выручка 1,5 тыс. долларов за смену.", ["1,5 тыс. долларов = 1500 money долларов USD"]),
        ("Собрали 2 млн 300 тыс. рублей.", ["2 млн 300 тыс. рублей = 2300000 money рублей RUB"]),
        (
            "Проект оценили в £30 млн и $27.5 млн, а 12,8 млн долларов США вернули.",
            ["£30 млн = 30000000 money £ GBP", "$27.5 млн = 27500000 money $ USD", "12,8 млн долларов США = 12800000 money долларов USD"]
        ),
        ("Долг — 100 млн гонконгских долларов.", ["100 млн гонконгских долларов = 100000000 money долларов HKD"]),
        ("Налог — 2,2 трлн руб. Далее по тексту.", ["2,2 трлн руб = 2200000000000 money руб RUB"]),
        ("Цена 500 руб., скидка 5$ и 20 ₽.", ["500 руб. = 500 money руб RUB", "5$ = 5 money $ USD", "20 ₽ = 20 money ₽ RUB"]),
        ("Raised $5m and $2bn.", ["$5m = 5000000 money $ USD", "$2bn = 2000000000 money $ USD"]),
        ("Курс — 75,5 рубля за доллар.", ["75,5 рубля = 75.5 money рубля RUB"]),
    ])
    func findsMoney(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        ("Цены выросли на 20% и 65\u{A0}%.", ["20% = 20 percent % -", "65\u{A0}% = 65 percent % -"]),
        ("Зарплаты выросли на 20 процентов.", ["20 процентов = 20 percent процентов -"]),
        ("Ставка выросла на 2,5 процентных пункта.", ["2,5 процентных пункта = 2.5 percent процентных пункта -"]),
        ("Явка — двадцать пять процентов.", ["двадцать пять процентов = 25 percent процентов -"]),
    ])
    func findsPercentages(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        ("Он стал третьим, она пришла 5-й.", ["третьим = 3 ordinal - -", "5-й = 5 ordinal - -"]),
        ("Третий день подряд идёт дождь.", ["Третий = 3 ordinal - -"]),
        ("Сборная заняла двадцать пятое место на 102-м году клуба.", ["двадцать пятое = 25 ordinal - -", "102-м = 102 ordinal - -"]),
        ("XXI съезд открылся; Пётр I основал город.", ["XXI = 21 ordinal - -", "I = 1 ordinal - -"]),
        ("Ученики 5-х классов и 1st place.", ["5-х = 5 ordinal - -", "1st = 1 ordinal - -"]),
        (
            "Дело возбуждено по части 2 статьи 214, ст. 282 и статье 19.7; колония № 5.",
            ["2 = 2 ordinal - -", "214 = 214 ordinal - -", "282 = 282 ordinal - -", "19.7 = 19.7 ordinal - -", "5 = 5 cardinal - -"]
        ),
        ("Награждён орденом войны I степени.", ["I = 1 ordinal - -"]),
        // Words are looked up with ё read as е: "статьёй" is the label "статьей".
        ("В соответствии со статьёй 24 параграф 2 Конвенции.", ["24 = 24 ordinal - -", "2 = 2 cardinal - -"]),
    ])
    func findsOrdinals(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        ("Пришли десять человек и два гостя.", ["десять человек = 10 cardinal человек -", "два гостя = 2 cardinal гостя -"]),
        (
            "Сто двадцать три тысячи четыреста пятьдесят шесть рублей.",
            ["Сто двадцать три тысячи четыреста пятьдесят шесть рублей = 123456 money рублей RUB"]
        ),
        ("Ремонт обошёлся в полтора миллиона рублей.", ["полтора миллиона рублей = 1500000 money рублей RUB"]),
        ("Прошло полторы тысячи лет.", ["полторы тысячи лет = 1500 cardinal лет -"]),
        ("Пострадали двое детей и сто журналистов.", ["двое детей = 2 cardinal детей -", "сто журналистов = 100 cardinal журналистов -"]),
        (
            "Свыше тысячи человек вышли, собрано более миллиона подписей.",
            ["тысячи человек = 1000 cardinal человек -", "миллиона подписей = 1000000 cardinal подписей -"]
        ),
        ("Одна женщина и девятнадцать мужчин.", ["Одна женщина = 1 cardinal женщина -", "девятнадцать мужчин = 19 cardinal мужчин -"]),
        ("Пришли пять двадцать человек.", ["пять = 5 cardinal - -", "двадцать человек = 20 cardinal человек -"]),
        (
            "Под следствием пять экс-президентов, он дважды побеждал.",
            ["пять экс-президентов = 5 cardinal экс-президентов -", "дважды = 2 cardinal - -"]
        ),
        ("Один из лидеров и одна из версий, но ещё один памятник.", ["один памятник = 1 cardinal памятник -"]),
    ])
    func findsNumberWords(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        ("Пришли от 5 до 7 человек.", ["5 = 5 cardinal человек -", "7 человек = 7 cardinal человек -"]),
        (
            "Ждут 5–7 человек и 2-3 раза больше.",
            ["5 = 5 cardinal человек -", "7 человек = 7 cardinal человек -", "2 = 2 cardinal раза -", "3 раза = 3 cardinal раза -"]
        ),
        ("Цены от 3 до 5 тысяч рублей.", ["3 = 3000 money рублей RUB", "5 тысяч рублей = 5000 money рублей RUB"]),
        ("Цены от 500 до 2 тыс. рублей.", ["500 = 500 money рублей RUB", "2 тыс. рублей = 2000 money рублей RUB"]),
        ("Рост на 5—7%.", ["5 = 5 percent % -", "7% = 7 percent % -"]),
        ("Бюджет $5–7 млн.", ["$5 = 5000000 money $ USD", "7 млн = 7000000 money $ USD"]),
        ("От 1000 до 2000 человек.", ["1000 = 1000 cardinal человек -", "2000 человек = 2000 cardinal человек -"]),
    ])
    func readsRangesAsTwoFigures(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        ("На улице -5 градусов, ночью до −10 °C.", ["-5 градусов = -5 cardinal градусов -", "−10 °C = -10 cardinal °C -"]),
        ("Ночью от -5 до -10 градусов.", ["-5 = -5 cardinal градусов -", "-10 градусов = -10 cardinal градусов -"]),
        ("Днём минус пять градусов, индекс упал до -3.", ["минус пять градусов = -5 cardinal градусов -", "-3 = -3 cardinal - -"]),
        (
            "Счёт 5-3 в пользу хозяев, днём +5 градусов.",
            ["5 = 5 cardinal - -", "3 = 3 cardinal - -", "5 градусов = 5 cardinal градусов -"]
        ),
    ])
    func readsNegativeNumbers(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        "В 2019 году, 23 января, в 1990-х и в 2020-м.",
        "Закон принят 2019 г. и действует с 1929г; сезон 2016/17, период 1990-2000, 2011—2016 годы.",
        "Лучший в 2003, 2004 и 2005 годах; с 2019 по 2020 год; (1997).",
        "С 1 по 3 марта и 5–7 мая, 5-го января и к 15 числу.",
        "Двадцать третьего февраля, в XX веке и в XIX в. ничего не было.",
        "Встреча в 10:30, с 9.00 до 18.00 и в 10.30; счёт 2:1.",
        "Звоните +7 (495) 123-45-67, 8 (800) 555-35-35, 8-800-2000-600 или 8 800 555 35 35.",
        "Вышла версия 2.0, версия 1.2.3, а Windows 10 и iPhone 12 подешевели.",
        "В СИЗО-6 доставили пилота Су-27 с COVID-19, он летел на A320 с 5G и 3D-экраном.",
        "Адрес ria.ru/news/12345, доступ 24/7, доля 1/2, код 007.",
        "22-летний водитель и 100-долларовая купюра, 5-кратный рост.",
        "Начал с нуля; тысячи людей вышли; семью детьми.",
        "1. Пункт списка без чисел.",
    ])
    func leavesOtherNumbersAlone(_ text: String) {
        #expect(found(text) == [])
    }

    @Test func valuesAreExactDecimals() {
        let values = NumberExtractor().extract(from: "5,3 млрд рублей, 0,1 процента, 3,04 млрд долларов, 1,05 тыс. человек, 44,7 тысячи")
            .map(\.value)
        #expect(values == [5_300_000_000, 0.1, 3_040_000_000, 1050, 44_700])
    }

    @Test func optionsTurnPartsOff() {
        let text = "Пришли двое, потом пятый и 150 участников."
        #expect(found(text) == ["двое = 2 cardinal - -", "пятый = 5 ordinal - -", "150 участников = 150 cardinal участников -"])
        #expect(found(text, options: .init(words: false)) == ["150 участников = 150 cardinal участников -"])
        #expect(found(text, options: .init(ordinals: false)) == ["двое = 2 cardinal - -", "150 участников = 150 cardinal участников -"])
        #expect(
            found(text, options: .init(countedNouns: false)) == [
                "двое = 2 cardinal - -", "пятый = 5 ordinal - -", "150 = 150 cardinal - -",
            ])
        #expect(found("Прошло 16 лет.", options: .init(countedNouns: false)) == ["16 лет = 16 cardinal лет -"])
    }

    @Test func configOptionsAreChecked() throws {
        let config = try PipelineConfig.parse(
            yaml: "stages:\n  - numbers: {words: false, ordinals: true, counted_nouns: false}", file: "t.yaml")
        #expect(config.stageNames == ["numbers"])
        #expect(throws: ConfigError.self) { try PipelineConfig.parse(yaml: "stages:\n  - numbers: {currency: true}", file: "t.yaml") }
        #expect(throws: ConfigError.self) { try PipelineConfig.parse(yaml: "stages:\n  - numbers: {words: maybe}", file: "t.yaml") }
        #expect(throws: ConfigError.self) { try PipelineConfig.parse(yaml: "stages: [numbers, normalize]", file: "t.yaml") }
    }

    @Test func numbersInsideDateSpansAreSkipped() {
        let text = "С 1 по 3 марта пришли 150 человек, а 12 апреля — 200."
        let dates = DateExtractor().extract(from: text)
        #expect(dates.count == 2)
        #expect(found(text, dates: dates) == ["150 человек = 150 cardinal человек -", "200 = 200 cardinal - -"])
        // A span the heuristics alone would not see as a date still wins.
        let claimed = [DateMention(text: "150 человек", value: "x", start: 22, end: 33)]
        #expect(found(text, dates: claimed) == ["200 = 200 cardinal - -"])

        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: "В 2002 году 1500 человек, 23 января 2019 года ещё 40.")
        _ = DatesStage().process(&document)
        _ = NumbersStage().process(&document)
        #expect(document.numbers?.map(Self.describe) == ["1500 человек = 1500 cardinal человек -", "40 = 40 cardinal - -"])
    }

    @Test func offsetsCountUnicodeScalarsEndExclusive() {
        // Astral-plane emoji (one scalar, four bytes), a combining accent and Cyrillic (two bytes)
        // before the figures: offsets must count scalars only.
        let text = "🙂🙂 Сро́чно: e\u{301} — 16 человек 👍🏽\nи $5 млн, третий — 20%"
        let mentions = NumberExtractor().extract(from: text)
        #expect(mentions.map(\.text) == ["16 человек", "$5 млн", "третий", "20%"])
        let scalars = Array(text.unicodeScalars)
        for mention in mentions {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[mention.start..<mention.end])
            #expect(String(view) == mention.text)
        }
        #expect(mentions.first?.start == 17)
    }

    @Test func everyCutOfTheTextIsSafe() {
        // The grammar looks ahead and behind; a text may end anywhere inside a figure.
        let text =
            "От 3 до 5 тысяч рублей, $5–7 млн, 2 млн 300 тыс. руб., 1 500 000 человек, -5 °C, 5-й, XXI, "
            + "двадцать пять процентов, 2,5 процентных пункта, +7 (495) 123-45-67, 23.01.2019, 10:30, 90 тысяч кв. км, 5 новых школ"
        let scalars = Array(text.unicodeScalars)
        var total = 0
        for cut in 0...scalars.count {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<cut])
            let cutText = String(view)
            let mentions = NumberExtractor().extract(from: cutText)
            total += mentions.count
            let cutScalars = Array(cutText.unicodeScalars)
            for m in mentions {
                var slice = String.UnicodeScalarView()
                slice.append(contentsOf: cutScalars[m.start..<m.end])
                #expect(String(slice) == m.text)
            }
        }
        #expect(total > 0)
    }

    @Test func amountsStayExact() {
        #expect(NumberAmount(53, exponent: -1).scaled(byPowerOfTen: 9)?.double == 5_300_000_000)
        #expect((NumberAmount(2_000_000) + NumberAmount(3, exponent: 5))?.double == 2_300_000)
        #expect((NumberAmount(1) + NumberAmount(5, exponent: -2))?.double == 1.05)
        #expect(NumberAmount(Int64.max / 2).scaled(byPowerOfTen: 30) == nil)
    }

    @Test func recordsCarryNumbersWithTrueOffsets() throws {
        let dir = TempDir()
        // NBSPs (normalize makes them spaces), CRLF and an emoji before the figures; the dates
        // stage runs first, so the year is not a figure.
        let article = "Заголовок\r\n\r\n🙂 В 2019 году 16\u{A0}человек получили 5,3\u{A0}млрд рублей.\r\nРост — 20%, третий год подряд."
        try dir.write("in/a.txt", article)
        let yaml = "stages:\n  - normalize\n  - dates\n  - numbers: {counted_nouns: true}\n"
        let out = try EngineTests.run([dir.file("in")], in: dir, yaml: yaml)
        let record = try #require(out.records.first)
        let text = try #require(record["text"] as? String)
        let numbers = try #require(record["numbers"] as? [[String: Any]])
        #expect(numbers.map { $0["text"] as? String } == ["16 человек", "5,3 млрд рублей", "20%", "третий"])
        #expect(numbers.map { $0["kind"] as? String } == ["cardinal", "money", "percent", "ordinal"])
        #expect(numbers[1]["value"] as? Double == 5_300_000_000)
        #expect(numbers[1]["currency"] as? String == "RUB")
        #expect(numbers[0]["currency"] is NSNull)
        #expect(numbers[3]["unit"] is NSNull)
        let scalars = Array(text.unicodeScalars)
        for number in numbers {
            let start = try #require(number["start"] as? Int), end = try #require(number["end"] as? Int)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            #expect(String(view) == number["text"] as? String)
        }
        let line = try #require(String(decoding: out.partBytes, as: UTF8.self).split(separator: "\n").first)
        #expect(try SchemaTests.recordValidator().validate(json: String(line)) == [])
    }
}
