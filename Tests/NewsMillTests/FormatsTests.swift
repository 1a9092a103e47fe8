import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Boilerplate that keeps real text: a credit glued to a paragraph loses only the credit, a line
/// that is only boilerplate goes, a long paragraph that merely starts like boilerplate stays.
@Suite struct BoilerplatePartsTests {
    private func clean(_ text: String, patterns: [String] = BoilerplateStage.defaultPatterns) -> (text: String, counts: [String: Int]) {
        var document = Document(origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: text)
        var counts = StageCounts()
        _ = BoilerplateStage(patterns: patterns).process(&document, counts: &counts)
        return (document.text, counts.values)
    }

    static let longParagraph =
        "Мэр города заявил журналистам, что новый мост через реку откроют для машин и пешеходов уже в начале "
        + "осени, а ремонт старой набережной закончат к зиме, если позволит погода и подрядчики не сорвут сроки поставки гранита."

    @Test func aCaptionGluedToTheFirstParagraphLosesOnlyTheCaption() {
        let result = clean("Фото: AFP. Борис Джонсон ушел в отставку после скандала в правительстве.\nВторой абзац.")
        #expect(result.text == "Борис Джонсон ушел в отставку после скандала в правительстве.\nВторой абзац.")
        #expect(result.counts == ["parts_removed/Фото:": 1])
    }

    @Test func aCaptionBeforeALongParagraphLosesOnlyTheCaption() {
        let result = clean("Фото: пресс-служба мэрии. " + Self.longParagraph)
        #expect(result.text == Self.longParagraph)
        #expect(result.counts == ["parts_removed/Фото:": 1])
    }

    @Test func aLinkGluedToTheTextLosesOnlyTheLink() {
        let result = clean("Читайте также: Мост через Волгу закроют на ремонт в 2020 г. " + Self.longParagraph)
        #expect(result.text == Self.longParagraph)
        #expect(result.counts == ["parts_removed/Читайте также": 1])
    }

    @Test func initialsDoNotEndACredit() {
        let result = clean("Фото: И. Петров / ТАСС. Мост через реку открыли после долгого ремонта.")
        #expect(result.text == "Мост через реку открыли после долгого ремонта.")
    }

    @Test func creditsInARowAreAllRemoved() {
        let result = clean("Фото: ТАСС. Источник: РИА Новости. Мэр города заявил, что мост откроют осенью.")
        #expect(result.text == "Мэр города заявил, что мост откроют осенью.")
        #expect(result.counts == ["parts_removed/Фото:": 1, "parts_removed/Источник:": 1])
    }

    @Test(arguments: [
        ("Фото: Иван Петров / ТАСС", "lines_removed/Фото:"),
        ("Источник: РИА Новости", "lines_removed/Источник:"),
        ("Фото: ТАСС. Иван Петров", "lines_removed/Фото:"),
        ("Читайте также: Мост через Волгу закроют на ремонт", "lines_removed/Читайте также"),
        ("Реклама", "lines_removed/Реклама"),
        ("Поделиться", "lines_removed/Поделиться"),
    ])
    func aLineOfOnlyBoilerplateGoes(line: String, key: String) {
        let result = clean("Первый абзац новости.\n\(line)\nПоследний абзац.")
        #expect(result.text == "Первый абзац новости.\nПоследний абзац.")
        #expect(result.counts == [key: 1])
    }

    @Test(arguments: [
        "Источник в правительстве сообщил, что решение о строительстве моста примут до конца месяца.",
        "Рекламами завешаны все остановки в центре города.",
        "Источник в правительстве рассказал: " + longParagraph,
        "Реклама на телевидении подорожала: " + longParagraph,
        "Фото: " + longParagraph.replacingOccurrences(of: ".", with: ""),
    ])
    func realTextThatStartsLikeBoilerplateStays(paragraph: String) {
        let result = clean("Первый абзац новости.\n\(paragraph)")
        #expect(result.text == "Первый абзац новости.\n\(paragraph)")
        #expect(result.counts.isEmpty)
    }

    @Test func manyGluedCreditsStayLinear() {
        let credits = String(repeating: "Фото: АБВ. ", count: 20_000)
        let start = ContinuousClock.now
        let result = clean(credits + "Мост открыли после ремонта.")
        #expect(result.text == "Мост открыли после ремонта.")
        #expect(result.counts == ["parts_removed/Фото:": 20_000])
        #expect(ContinuousClock.now - start < .seconds(2))
    }
}

@Suite struct DumpMarkupTests {
    private static let format = DumpFormat(fields: FieldNames(), maxRecordBytes: 1 << 20)

    private func decode(_ jsonl: String, html: FieldMarkup = .auto) -> [Outcome] {
        var fields = FieldNames()
        fields.html = html
        return DumpFormat(fields: fields, maxRecordBytes: 1 << 20)
            .decodeJSONLines(
                RowChunk(
                    origin: Origin(archive: nil, member: "feed.jsonl"), format: .jsonl, header: nil, bytes: Array(jsonl.utf8), firstRow: 1))
    }

    private func document(_ outcome: Outcome?) -> Document? {
        if case .document(let document) = outcome { return document }
        return nil
    }

    static let htmlField =
        #"<p><strong>москва, 31 янв - риа новости.</strong> Министр встретился с <a href=\"https://example.org/a\" title=\"ссылка\">коллегами</a>.</p>\n<p>Второй&nbsp;абзац &laquo;в кавычках&raquo;.</p><script>var s = \"<p>нет</p>\";</script>"#

    @Test func htmlInAJSONTextFieldIsExtractedLikeAPage() throws {
        let doc = try #require(document(decode(#"{"title": "Встреча", "text": "\#(Self.htmlField)"}"#).first))
        #expect(doc.text == "москва, 31 янв - риа новости. Министр встретился с коллегами.\nВторой\u{A0}абзац «в кавычках».")
        #expect(doc.textFromMarkup)
        #expect(doc.title == "Встреча")
    }

    @Test func markupWithoutTextIsRejected() {
        guard case .reject(let reject) = decode(#"{"text": "<p> </p><script>x()</script>"}"#).first else {
            Issue.record("expected a reject"); return
        }
        #expect(reject.code == .emptyText)
        #expect(reject.message == "the text field 'text' holds markup without text")
    }

    @Test(arguments: [
        "Пять меньше семи: 5 < 7.\nВторая строка.",
        "Конфеты <<Ромашка>> снова в продаже.\nИ ещё абзац.",
        "Формула a<b and c>d верна.\nИ ещё абзац.",
        "Скобки <стрелки> и &laquo;кавычки&raquo;.\nИ ещё абзац.",
        "Тег без конца <p\nи строка.",
    ])
    func plainTextWithALessThanSignStaysPlain(text: String) throws {
        #expect(!FieldMarkup.looksLikeHTML(text))
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self)
        let doc = try #require(document(decode(json).first))
        #expect(doc.text == text)
        #expect(!doc.textFromMarkup)
    }

    @Test(arguments: [
        "<p>Абзац</p>", "строка<br>строка", "строка<br/>", "строка<BR />", "<a href='x'>ссылка</a>",
        "текст</div>", "<div class = \"c\">x", "<span\nstyle=\"x\">y",
    ])
    func markupIsFound(text: String) {
        #expect(FieldMarkup.looksLikeHTML(text))
    }

    @Test func theConfigSwitchesDetectionOnAndOff() throws {
        let markup = #"{"text": "<p>Первый абзац.</p><p>Второй абзац.</p>"}"#
        #expect(try #require(document(decode(markup, html: .never).first)).text == "<p>Первый абзац.</p><p>Второй абзац.</p>")
        let plain = #"{"text": "Первая строка\nвторая строка"}"#
        let forced = try #require(document(decode(plain, html: .always).first))
        #expect(forced.text == "Первая строка вторая строка" && forced.textFromMarkup)
        #expect(
            try PipelineConfig.parse(yaml: "input: {fields: {html: \"false\"}}\nstages: [normalize]", file: "t.yaml").input.fields.html
                == .never)
        #expect(
            try PipelineConfig.parse(yaml: "input: {fields: {html: true}}\nstages: [normalize]", file: "t.yaml").input.fields.html
                == .always)
        #expect(throws: ConfigError.self) {
            try PipelineConfig.parse(yaml: "input: {fields: {html: maybe}}\nstages: [normalize]", file: "t.yaml")
        }
    }

    @Test func htmlInCSVAndJSONLDumpsEndToEnd() throws {
        let dir = TempDir()
        let csv = """
            url,title,text,date
            https://example.org/news/2019/08/10/most/,Мост,"<div><p class=""lead"">Мост открыли в субботу.</p><p>Движение <b>пустят</b> в понедельник.</p></div>",
            https://example.org/b,Цены,"Цены выросли: 5 < 7, и <<Ромашка>> тоже.",10.08.2019 09:30
            """
        let jsonl = #"{"title": "Встреча", "text": "\#(Self.htmlField)", "published": "2019-01-31T10:15:00+0300"}"#
        try ArchiveBuilder.write([.init("dump.csv", csv), .init("feed.jsonl", jsonl)], format: .zip, to: dir.file("dumps.zip"))
        let out = try EngineTests.run([dir.file("dumps.zip")], in: dir, yaml: "stages: [normalize, boilerplate, dates]\n")
        #expect(out.report.rejected == 0)
        let rows = out.records.filter { ($0["source"] as? [String: Any])?["member"] as? String == "dump.csv" }
        try #require(rows.count == 2)
        #expect(rows[0]["text"] as? String == "Мост открыли в субботу.\nДвижение пустят в понедельник.")
        #expect((rows[0]["source"] as? [String: Any])?["html"] as? Bool == true)
        #expect(rows[0]["published"] as? String == "2019-08-10")
        #expect((rows[0]["source"] as? [String: Any])?["published_from"] as? String == "url")
        #expect(rows[1]["text"] as? String == "Цены выросли: 5 < 7, и <<Ромашка>> тоже.")
        #expect((rows[1]["source"] as? [String: Any])?["html"] == nil)
        #expect(rows[1]["published"] as? String == "2019-08-10T09:30:00")
        #expect((rows[1]["source"] as? [String: Any])?["published_from"] as? String == "field")
        let feed = try #require(out.record(member: "feed.jsonl"))
        let text = try #require(feed["text"] as? String)
        #expect(text == "москва, 31 янв — риа новости. Министр встретился с коллегами.\nВторой абзац «в кавычках».")
        #expect(!text.contains("href") && !text.contains("ссылка"))
        #expect(feed["published"] as? String == "2019-01-31T10:15:00+03:00")
        // The yearless "31 янв" takes its year from a published date-time.
        #expect((feed["dates"] as? [[String: Any]])?.first?["value"] as? String == "2019-01-31")
        let validator = try SchemaTests.recordValidator()
        for line in out.partBytes.split(separator: 0x0A) {
            #expect(validator.validate(json: String(decoding: line, as: UTF8.self)) == [])
        }
    }
}

@Suite struct PublishedDateTests {
    @Test(arguments: [
        ("2019-01-23T14:05:00+03:00", "2019-01-23T14:05:00+03:00"),
        ("2019-01-23T11:05:00Z", "2019-01-23T11:05:00Z"),
        ("2019-01-23T14:05:00", "2019-01-23T14:05:00"),
        ("2019-01-23", "2019-01-23"),
        ("2019-01-23 14:05:00", "2019-01-23T14:05:00"),
        ("2019-01-23T14:05:00+0300", "2019-01-23T14:05:00+03:00"),
        ("2019-01-23T14:05:00.123-05:30", "2019-01-23T14:05:00-05:30"),
        ("2019-01-23T14:05+03", "2019-01-23T14:05:00+03:00"),
        ("2019-01-23 14:05:00 UTC", "2019-01-23T14:05:00Z"),
        ("2019-01-23T14:05:00+00:00", "2019-01-23T14:05:00Z"),
        ("23.01.2019 14:05", "2019-01-23T14:05:00"),
        ("Wed, 23 Jan 2019 14:05:00 +0300", "2019-01-23T14:05:00+03:00"),
        ("Wed, 23 Jan 2019 11:05:00 GMT", "2019-01-23T11:05:00Z"),
        ("3 Feb 2019", "2019-02-03"),
        ("1548241500", "2019-01-23T11:05:00Z"),
        ("1548241500000", "2019-01-23T11:05:00Z"),
        ("2019-01-23T25:05:00", "2019-01-23"),
        ("2019-13-23", nil), ("23 января", nil), ("12345678901", nil), ("Wed, 32 Jan 2019", nil),
    ])
    func datesKeepTheirTime(raw: String, value: String?) {
        #expect(DateField.isoDate(raw) == value)
    }

    @Test func wordsAfterADateLeaveTheRawValueInMeta() throws {
        #expect(DateField.parse("23.01.2019 14:05 (МСК)") == .init(value: "2019-01-23T14:05:00", complete: false))
        #expect(DateField.parse("23.01.2019 14:05") == .init(value: "2019-01-23T14:05:00", complete: true))
        let format = DumpFormat(fields: FieldNames(), maxRecordBytes: 1 << 20)
        let outcome = format.document(
            fields: [("text", "Текст"), ("date", "23.01.2019 14:05 (МСК)")],
            origin: Origin(archive: nil, member: "a.csv", row: 1), format: .csv, bytes: 10)
        guard case .document(let doc) = outcome else { Issue.record("expected a document"); return }
        #expect(doc.published == "2019-01-23T14:05:00" && doc.publishedFrom == .field)
        #expect(doc.meta.map(\.value) == ["23.01.2019 14:05 (МСК)"])
    }

    @Test(arguments: [
        ("https://lenta.ru/news/2018/12/14/slug/", "2018-12-14"),
        ("https://ria.ru/20190810/1557312345.html", "2019-08-10"),
        ("https://example.org/2019-08-10/slug", "2019-08-10"),
        ("https://example.org/a/2019-08-10-slug.html", "2019-08-10"),
        ("example.org/news/2018/12/14", "2018-12-14"),
        ("https://example.org/news/12345678/", nil),
        ("https://example.org/news/1985/01/01/old/", nil),
        ("https://example.org/2019/02/30/x", nil),
        ("https://20190810.example.org/x", nil),
        ("https://example.org/x?d=/2019/01/01/", nil),
        ("https://example.org/id/201908101/", nil),
        ("https://example.org/2019/08/", nil),
    ])
    func datesFromURLPaths(url: String, date: String?) {
        #expect(DateField.fromURL(url) == date)
    }

    @Test func aReadableDateFieldWinsOverTheURL() {
        let format = DumpFormat(fields: FieldNames(), maxRecordBytes: 1 << 20)
        let origin = Origin(archive: nil, member: "a.csv", row: 1)
        let url = ("url", Optional("https://lenta.ru/news/2018/12/14/slug/"))
        guard
            case .document(let dated) = format.document(
                fields: [("text", "Т"), url, ("date", "2018-12-15")], origin: origin, format: .csv, bytes: 1),
            case .document(let undated) = format.document(
                fields: [("text", "Т"), url, ("date", "вчера")], origin: origin, format: .csv, bytes: 1)
        else {
            Issue.record("expected documents"); return
        }
        #expect(dated.published == "2018-12-15" && dated.publishedFrom == .field)
        #expect(undated.published == "2018-12-14" && undated.publishedFrom == .url)
        #expect(undated.meta.map(\.key) == ["date"])
    }

    @Test func htmlMembersSayTheirDateComesFromThePage() {
        let member = RawMember(
            origin: Origin(archive: nil, member: "a.html"), format: .html,
            bytes: Array(
                #"<html><head><meta property="article:published_time" content="2024-04-12T10:30:00+03:00"></head><body><p>Текст.</p></body></html>"#
                    .utf8))
        guard case .document(let doc) = HTMLFormat.decode(member) else { Issue.record("expected a document"); return }
        #expect(doc.published == "2024-04-12T10:30:00+03:00" && doc.publishedFrom == .html)
    }

    @Test func schemaTakesDateTimesAndTheirOrigin() throws {
        let validator = try SchemaTests.recordValidator()
        func record(_ published: String, _ extra: String = #","published_from":"field""#) -> String {
            SchemaTests.minimalRecord
                .replacingOccurrences(of: #""published":null"#, with: #""published":"\#(published)""#)
                .replacingOccurrences(of: #""encoding":"utf-8""#, with: #""encoding":"utf-8""# + extra)
        }
        for good in ["2019-01-23", "2019-01-23T14:05:00", "2019-01-23T14:05:00Z", "2019-01-23T14:05:00+03:00"] {
            #expect(validator.validate(json: record(good)) == [], "\(good)")
        }
        #expect(validator.validate(json: record("2019-01-23", #","html":true,"published_from":"url""#)) == [])
        for bad in ["2019-01-23T24:05:00", "2019-01-23 14:05:00", "2019-01-23T14:05", "2019-01-23T14:05:00+0300"] {
            #expect(!validator.validate(json: record(bad)).isEmpty, "\(bad)")
        }
        #expect(!validator.validate(json: record("2019-01-23", #","published_from":"meta""#)).isEmpty)
        #expect(!validator.validate(json: record("2019-01-23", #","html":false"#)).isEmpty)
    }
}
