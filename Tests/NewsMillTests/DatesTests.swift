import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Date expressions: what is found, what it is worth in ISO, where it is (Unicode scalars).
@Suite struct DatesTests {
    private func found(_ text: String, published: String? = nil) -> [String] {
        DateExtractor(published: published).extract(from: text).map { "\($0.text) = \($0.value ?? "null")" }
    }

    /// 2019-07-13 was a Saturday.
    @Test(arguments: [
        ("Вчера вечером прошёл митинг.", ["Вчера вечером = 2019-07-12"]),
        ("Позавчера и сегодня шёл дождь.", ["Позавчера = 2019-07-11", "сегодня = 2019-07-13"]),
        ("Это случилось в пятницу.", ["в пятницу = 2019-07-12"]),
        ("Это случилось в субботу.", ["в субботу = 2019-07-13"]),
        ("Это было в воскресенье.", ["в воскресенье = 2019-07-07"]),
        ("В прошлую среду решили, в следующую среду подпишут.", ["В прошлую среду = 2019-07-03", "в следующую среду = 2019-07-17"]),
        ("Как сообщалось на прошлой неделе.", ["на прошлой неделе = 2019-07-01/2019-07-07"]),
        ("На этой неделе и в этом месяце.", ["На этой неделе = 2019-07-08/2019-07-14", "в этом месяце = 2019-07"]),
        ("В прошлом году рост, в следующем году спад.", ["В прошлом году = 2018", "в следующем году = 2020"]),
        (
            "Три дня назад, неделю назад и два года тому назад.",
            ["Три дня назад = 2019-07-10", "неделю назад = 2019-07-06", "два года тому назад = 2017"]
        ),
        ("Через 2 месяца и через год.", ["Через 2 месяца = 2019-09", "через год = 2020"]),
        ("В четверг, 11 июля 2019 года, он выступил.", ["В четверг, 11 июля 2019 года = 2019-07-11"]),
        ("Выбросы попали в окружающую среду. На день и в это время.", [String]()),
    ])
    func findsRelativeDatesFromThePublicationDay(_ text: String, _ expected: [String]) {
        #expect(found(text, published: "2019-07-13") == expected)
    }

    @Test func relativeDatesWithoutAPublicationDayHaveNoValue() {
        #expect(found("Вчера прошёл митинг, в 2019 году тоже.") == ["Вчера = null", "в 2019 году = 2019"])
        let mentions = DateExtractor(published: "2019-07-13").extract(from: "Вчера и 5 мая.")
        #expect(mentions.map(\.anchor) == ["published", "published"])
        #expect(DateExtractor(published: "2019-07-13").extract(from: "5 мая 2019 года.").map(\.anchor) == [nil])
        #expect(DateExtractor(published: "2019-07-13", relative: false).extract(from: "Вчера.").isEmpty)
    }

    @Test func civilDaysRoundTrip() {
        for days in stride(from: -800_000, to: 800_000, by: 997) {
            let day = CivilDay(days: days)
            let (y, m, d) = day.civil
            #expect(CivilDay(year: y, month: m, day: d) == day)
        }
        #expect(CivilDay(iso: "2019-07-13")?.weekday == 6)
        #expect(CivilDay(iso: "2000-03-01T10:00:00+03:00")?.adding(days: -1).iso == "2000-02-29")
    }

    @Test(arguments: [
        ("Встреча прошла 23 января.", ["23 января = --01-23"]),
        ("Встреча прошла 23 января 2019 года в Москве.", ["23 января 2019 года = 2019-01-23"]),
        ("Приказ от 1 мая 2019 г. вступил в силу.", ["от 1 мая 2019 г = 2019-05-01"]),
        ("Выставка пройдёт с 1 по 3 марта.", ["с 1 по 3 марта = --03-01/--03-03"]),
        ("Фестиваль 5–7 мая 2020 года.", ["5–7 мая 2020 года = 2020-05-05/2020-05-07"]),
        ("С 25 декабря 2018 года по 5 января шли праздники.", ["С 25 декабря 2018 года по 5 января = 2018-12-25/2019-01-05"]),
        ("Датировано 23.01.2019, исправлено 24/01/19.", ["23.01.2019 = 2019-01-23", "24/01/19 = 2019-01-24"]),
        ("Обновлено 2019-01-24T10:00.", ["2019-01-24 = 2019-01-24"]),
        ("В январе 2019 года цены выросли.", ["В январе 2019 года = 2019-01"]),
        ("с января по март 2019 года", ["с января по март 2019 года = 2019-01/2019-03"]),
        ("В 2002 году он уехал, в 1929г вернулся.", ["В 2002 году = 2002", "в 1929г = 1929"]),
        (
            "Он работал с 1994 по 2000 годы, а 2011—2016 годы были трудными.",
            ["с 1994 по 2000 годы = 1994/2000", "2011—2016 годы = 2011/2016"]
        ),
        ("В 1990-х годах и в XX веке; в конце 90-х.", ["В 1990-х годах = 1990/1999", "в XX веке = 1901/2000", "в конце 90-х = 1990/1999"]),
        (
            "Весной 2002 года, в начале 2017 года и в конце марта.",
            ["Весной 2002 года = 2002", "в начале 2017 года = 2017", "в конце марта = --03"]
        ),
        ("В четверг, 11 июля 2019 года, суд вынес решение.", ["В четверг, 11 июля 2019 года = 2019-07-11"]),
        ("Министр (2001—2003), лауреат премии (1997) и «Мисс Россия-2017».", ["2001—2003 = 2001/2003", "1997 = 1997", "2017 = 2017"]),
        (
            "Лучший в 2003, 2004 и 2005 годах; в 1997-м; сезон 2016/17.",
            ["в 2003 = 2003", "2004 = 2004", "2005 годах = 2005", "в 1997-м = 1997", "2016/17 = 2016/2017"]
        ),
    ])
    func findsAbsoluteDates(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        "Прошло 2 года и 1,5 дня.",
        "Пришли 1500 человек, купили 400 г соли, в 2000 раз больше.",
        "Версия 1.2.3.4 вышла, звоните 8-800-2000-600.",
        "Он умер на 102-м году жизни.",
        "Марта Иванова пришла с Мартой.",
        "Счёт 31 мая? Нет: 32 мая и 30 февраля не бывает.",
    ])
    func leavesFiguresAndNamesAlone(_ text: String) {
        let dates = found(text)
        if text.hasPrefix("Счёт") {
            #expect(dates == ["31 мая = --05-31"])
        } else {
            #expect(dates.isEmpty, "\(dates)")
        }
    }

    @Test func everyCutOfTheTextIsSafe() {
        // Patterns look ahead and behind; a text may end anywhere inside one.
        let text =
            "В четверг, 11 июля 2019 года, с 1 по 3 марта 2019 г., в 1990-х годах, XX в., 2016/17, (2001—2003), "
            + "Олимпиаде-2016, 23.01.2019, 2019-01-24, в 1997-м, в июне прошлого года, 8-800-2000-600, 400 г, в 2002 году"
        let scalars = Array(text.unicodeScalars)
        var total = 0
        for cut in 0...scalars.count {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<cut])
            total += DateExtractor().extract(from: String(view)).count
        }
        #expect(total > 0)
    }

    @Test func digitScreenAgreesWithAByteLoop() {
        var seed: UInt64 = 7
        for length in 0..<40 {
            for _ in 0..<200 {
                let bytes = (0..<length).map { _ -> UInt8 in
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let r = UInt8(truncatingIfNeeded: seed >> 33)
                    return r & 0x10 == 0 ? r | 0x80 : r  // mostly high bytes, some ASCII
                }
                let expected = bytes.contains { $0 >= 0x30 && $0 <= 0x39 }
                let found = bytes.withUnsafeBufferPointer { WordTokens.hasDigit($0, 0..<length) }
                #expect(found == expected, "\(bytes)")
            }
        }
    }

    @Test func yearComesFromThePublicationDate() {
        #expect(found("Это было 23 декабря и будет в мае.", published: "2019-01-10") == ["23 декабря = 2018-12-23", "в мае = 2019-05"])
        #expect(
            found("В июне прошлого года и 5 марта этого года.", published: "2019-11-30T08:00:00Z") == [
                "В июне прошлого года = 2018-06", "5 марта этого года = 2019-03-05",
            ])
        #expect(found("В июне прошлого года.") == ["В июне прошлого года = --06"])
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: "Назначено на 1 сентября.", published: "2024-08-01")
        _ = DatesStage().process(&document)
        #expect(document.dates?.map(\.value) == ["2024-09-01"])
        _ = DatesStage(yearFromPublished: false).process(&document)
        #expect(document.dates?.map(\.value) == ["--09-01"])
    }

    @Test func offsetsCountUnicodeScalarsEndExclusive() {
        // Astral-plane emoji (one scalar, two UTF-16 units, four bytes), a combining accent and
        // Cyrillic (two bytes) before the dates: offsets must count scalars only.
        let text = "🙂🙂 Сро́чно: e\u{301} — 23 января 2019 года\nи 2019-01-24 ✓"
        let mentions = DateExtractor().extract(from: text)
        #expect(mentions.count == 2)
        let scalars = Array(text.unicodeScalars)
        for mention in mentions {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[mention.start..<mention.end])
            #expect(String(view) == mention.text)
        }
        #expect(mentions.first?.start == 17)
    }

    @Test func offsetsPointIntoTheNormalizedTextOfTheRecord() throws {
        let dir = TempDir()
        // CRLF, a soft hyphen, NBSPs and a zero-width space before the dates: normalize removes or
        // replaces them, and the offsets must be those of the text that is written.
        let article = "Заголовок\r\n\r\nСо\u{AD}бытие 🙂 произошло\u{A0}23\u{A0}января 2019\u{200B} года.\r\nВ 2002 году — тоже."
        try dir.write("in/a.txt", article)
        let result = try CLIRunner.run(["run", dir.file("in"), "-o", dir.file("out"), "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = String(decoding: try dir.read("out/part-00000.jsonl"), as: UTF8.self).split(separator: "\n")[0]
        let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        let text = record["text"] as! String
        let dates = record["dates"] as! [[String: Any]]
        #expect(dates.map { $0["value"] as! String } == ["2019-01-23", "2002"])
        let scalars = Array(text.unicodeScalars)
        for date in dates {
            let start = date["start"] as! Int, end = date["end"] as! Int
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            #expect(String(view) == date["text"] as! String)
        }
    }
}
