import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// UTF-8 with a few bad bytes stays UTF-8: the bad bytes are repaired, counted and flagged, and
/// clean legacy texts are still read in their charset.
@Suite struct CharsetRepairTests {
    static let sentence =
        "Губернатор пообещал, что новый мост через реку откроют уже в мае. "
        + "Подрядчик говорит, что работы идут по графику.\nЖители ждут «хороших новостей» с весны."

    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func cp1251(_ text: String) -> [UInt8] { Array(text.data(using: .windowsCP1251)!) }

    /// `text` as UTF-8 with `bytes` put in after its first `offset` bytes (a character boundary).
    static func inserting(_ bytes: [UInt8], into text: String, at offset: Int) -> [UInt8] {
        let all = utf8(text)
        return Array(all[..<offset]) + bytes + Array(all[offset...])
    }

    static func decode(_ bytes: [UInt8]) throws -> TextDecoding.Decoded {
        try TextDecoding.decode(bytes).get()
    }

    @Test func aStrayCp1252ApostropheBecomesTheApostrophe() throws {
        // "Губернатор" is 10 letters, 20 bytes.
        let decoded = try Self.decode(Self.inserting([0x92], into: Self.sentence, at: 20))
        #expect(decoded.encoding == "utf-8")
        #expect(decoded.invalidBytes == 1)
        #expect(decoded.mixedCharset == nil)
        #expect(decoded.text == "Губернатор’" + Self.sentence.dropFirst(10))
    }

    @Test func cp1251GuillemetsInUTF8AreRestored() throws {
        let bytes =
            Self.utf8("Министр назвал проект ") + [0xAB] + Self.utf8("Северный путь") + [0xBB]
            + Self.utf8(" главным делом года, сообщили в ведомстве.")
        let decoded = try Self.decode(bytes)
        #expect(decoded.encoding == "utf-8" && decoded.invalidBytes == 2)
        #expect(decoded.text == "Министр назвал проект «Северный путь» главным делом года, сообщили в ведомстве.")
    }

    @Test func cyrillicTextTakesTheCp1251MeaningAndWesternTextTheCp1252One() throws {
        // 0xB9 is № in windows-1251 and ¹ in windows-1252.
        let russian = try Self.decode(Self.utf8("Приказ ") + [0xB9] + Self.utf8(" 12 подписан директором школы."))
        #expect(russian.text == "Приказ № 12 подписан директором школы.")
        let english = try Self.decode(Self.utf8("The café opened on 5 May") + [0xB9] + Self.utf8(" after a long delay."))
        #expect(english.encoding == "utf-8")
        #expect(english.text == "The café opened on 5 May¹ after a long delay.")
    }

    @Test func badBytesThatAreNotPunctuationBecomeReplacementCharacters() throws {
        // A stray lead byte, an overlong encoding of "/" and a cp1251 letter on its own.
        let bytes =
            Self.utf8("Погода ") + [0xC0] + Self.utf8(" завтра ") + [0xC0, 0xAF] + Self.utf8(" будет ") + [0xE6]
            + Self.utf8(" тёплой и солнечной по всей области.")
        let decoded = try Self.decode(bytes)
        #expect(decoded.encoding == "utf-8" && decoded.invalidBytes == 4)
        #expect(decoded.text == "Погода \u{FFFD} завтра \u{FFFD}\u{FFFD} будет \u{FFFD} тёплой и солнечной по всей области.")
    }

    @Test func aSequenceCutShortIsOneReplacementCharacter() throws {
        let whole = Self.utf8(Self.sentence)
        // Ends inside the last letter ("весны." loses "ы." but keeps the first byte of "ы").
        let atEnd = try Self.decode(Array(whole.dropLast(2)))
        #expect(atEnd.encoding == "utf-8" && atEnd.invalidBytes == 1)
        #expect(atEnd.text == String(Self.sentence.dropLast(2)) + "\u{FFFD}")
        // A dash ("—", three bytes) that lost its last byte in the middle of the text.
        let dashed = Self.utf8("Итог — ничья, ") + Self.utf8("счёт 2:2.")
        var cut = dashed
        cut.remove(at: Self.utf8("Итог ").count + 2)
        let inMiddle = try Self.decode(cut)
        #expect(inMiddle.invalidBytes == 2)
        #expect(inMiddle.text == "Итог \u{FFFD} ничья, счёт 2:2.")
    }

    @Test func aCp1251ParagraphInsideUTF8IsDecodedAsCp1251AndFlagged() throws {
        let first = "Первый абзац пришёл из новой системы и записан в UTF-8, как и положено.\n"
        let second = "Второй абзац взяли из старого архива редакции, он в кодировке Windows-1251."
        let decoded = try Self.decode(Self.utf8(first) + Self.cp1251(second))
        #expect(decoded.encoding == "utf-8")
        #expect(decoded.text == first + second)
        #expect(decoded.mixedCharset == .windows1251)
        #expect(decoded.invalidBytes > 0)
    }

    @Test func cleanLegacyTextsKeepTheirCharset() throws {
        let cp1251 = try Self.decode(Self.cp1251(Self.sentence))
        #expect(cp1251.encoding == "windows-1251" && cp1251.text == Self.sentence && cp1251.invalidBytes == 0)
        // "Съешь же ещё этих мягких французских булок, да выпей чаю." in KOI8-R: "Съ" (0xF3 0xDF) and
        // others are no valid UTF-8, but some pairs of KOI8-R letters are.
        let koi8 = try Self.decode(
            hex("f3dfc5dbd820d6c520c5dda320dcd4c9c820cdd1c7cbc9c820c6d2c1cec3d5dad3cbc9c820c2d5cccfcb2c20c4c120d7d9d0c5ca20dec1c02e"))
        #expect(koi8.encoding == "koi8-r")
        #expect(koi8.text == "Съешь же ещё этих мягких французских булок, да выпей чаю.")
    }

    @Test func aCp1251TextWhoseLettersPairIntoValidUTF8StaysCp1251() throws {
        // Capital letter + "і" / "ё" of windows-1251 (0xCC 0xB3, 0xC2 0xB3, 0xD1 0xB8) are valid
        // two-byte UTF-8 sequences.
        let text = "Міністр Віктор Сёмін сказав, що Міська рада зібралася вчасно і Вінниця отримала кошти."
        let decoded = try Self.decode(Self.cp1251(text))
        #expect(decoded.encoding == "windows-1251")
        #expect(decoded.text == text)
    }

    @Test func randomBytesAreStillRejectedNotRepaired() {
        var seed: UInt64 = 7
        let bytes = (0..<600).map { _ -> UInt8 in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(0x80 | (seed >> 57))
        }
        guard case .failure(.notUTF8) = TextDecoding.decode(bytes) else {
            Issue.record("high random bytes should be rejected as not_utf8")
            return
        }
    }

    @Test func theRecordAndTheReportCountRepairsEndToEnd() throws {
        let dir = TempDir()
        let good = Self.utf8("Новость без единой ошибки в байтах, просто текст о погоде на завтра.")
        let stray = Self.inserting([0x92], into: Self.sentence, at: 20)
        let cut = Array(Self.utf8(Self.sentence).dropLast(2))
        let row = Array(#"{"title": "Мост", "text": "Работы на мосту "#.utf8) + [0x97] + Array(#" по графику, сказал прораб."}"#.utf8)
        let jsonl = Array(#"{"text": "Чистая строка дампа, без ошибок."}"#.utf8) + [0x0A] + row + [0x0A]
        try ArchiveBuilder.write(
            [
                .init("good.txt", bytes: good), .init("stray.txt", bytes: stray), .init("cut.txt", bytes: cut),
                .init("feed.jsonl", bytes: jsonl),
            ], format: .tarGz, to: dir.file("in.tar.gz"))
        let out = try EngineTests.run([dir.file("in.tar.gz")], in: dir)
        #expect(out.report.rejected == 0)
        func source(_ member: String, row: Int? = nil) -> [String: Any]? {
            out.records.first {
                let source = $0["source"] as? [String: Any]
                return source?["member"] as? String == member && source?["row"] as? Int == row
            }?["source"] as? [String: Any]
        }
        #expect(source("good.txt")?["invalid_bytes"] == nil)
        #expect(source("stray.txt")?["invalid_bytes"] as? Int == 1)
        #expect(source("stray.txt")?["encoding"] as? String == "utf-8")
        #expect(source("cut.txt")?["invalid_bytes"] as? Int == 1)
        #expect(source("feed.jsonl", row: 1)?["invalid_bytes"] == nil)
        #expect(source("feed.jsonl", row: 1)?["encoding"] as? String == "utf-8")
        #expect(source("feed.jsonl", row: 2)?["invalid_bytes"] as? Int == 1)
        let text = out.records.first { ($0["source"] as? [String: Any])?["row"] as? Int == 2 }?["text"] as? String
        #expect(text == "Работы на мосту — по графику, сказал прораб.")
        #expect(out.report.repairs == DecodeRepairs(documents: 3, bytes: 3, mixedCharset: 0))
        let report = String(decoding: try dir.read("out/report.json"), as: UTF8.self)
        #expect(report.contains("\"invalid_utf8_documents\": 3"))
        #expect(report.contains("\"invalid_utf8_bytes\": 3"))
    }

    @Test func aStrayByteInOneCSVRowLeavesTheOtherRowsAlone() throws {
        let dir = TempDir()
        let csv =
            Self.utf8("title,text\nПервая,Строка без ошибок про выборы в городской совет.\n")
            + Self.utf8("Вторая,Строка с ") + [0xAB] + Self.utf8("кавычками") + [0xBB] + Self.utf8(" из старого редактора.\n")
        try dir.write("feed.csv", bytes: csv)
        let out = try EngineTests.run([dir.file("feed.csv")], in: dir)
        #expect(out.records.count == 2)
        for record in out.records {
            #expect((record["source"] as? [String: Any])?["encoding"] as? String == "utf-8")
        }
        #expect(out.records[0]["title"] as? String == "Первая")
        #expect((out.records[0]["source"] as? [String: Any])?["invalid_bytes"] == nil)
        #expect(out.records[1]["text"] as? String == "Строка с «кавычками» из старого редактора.")
        #expect((out.records[1]["source"] as? [String: Any])?["invalid_bytes"] as? Int == 2)
    }
}
