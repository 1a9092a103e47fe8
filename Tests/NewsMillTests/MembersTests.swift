import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Which members are articles: include/exclude globs, members that are not articles
/// (CoNLL-U, tagged tokens, tables), metadata tables joined to their texts.
@Suite struct MemberGlobTests {
    func glob(_ pattern: String) throws -> MemberGlob { try MemberGlob(pattern) }

    @Test func starStaysInAFolderAndDoubleStarCrossesFolders() throws {
        #expect(try glob("*.txt").matches("a.txt"))
        #expect(try !glob("*.txt").matches("texts/a.txt"))
        #expect(try glob("texts/*.txt").matches("texts/123.txt"))
        #expect(try !glob("texts/*.txt").matches("texts/old/123.txt"))
        #expect(try !glob("texts/*.txt").matches("Fontanka/texts/123.txt"))
        #expect(try glob("**/texts/*.txt").matches("Fontanka/texts/123.txt"))
        #expect(try glob("**/texts/*.txt").matches("texts/123.txt"), "**/ also matches no folder")
        #expect(try glob("**/texts/*.txt").matches("a/b/texts/123.txt"))
        #expect(try !glob("**/texts/*.txt").matches("a/mytexts/123.txt"))
        #expect(try glob("tagged_texts/**").matches("tagged_texts/2017/1.txt"))
        #expect(try glob("a**b").matches("a/x/y/b"))
        #expect(try !glob("*.txt").matches("a.txt.gz"), "the whole path must match")
    }

    @Test func questionMarkSetsAndEscapes() throws {
        #expect(try glob("day-?.txt").matches("day-1.txt"))
        #expect(try !glob("day-?.txt").matches("day-12.txt"))
        #expect(try !glob("a?b").matches("a/b"), "? never matches a folder separator")
        #expect(try glob("[0-9][0-9].txt").matches("42.txt"))
        #expect(try !glob("[0-9][0-9].txt").matches("4x.txt"))
        #expect(try glob("[!0-9]*.txt").matches("x1.txt"))
        #expect(try !glob("[!0-9]*.txt").matches("1x.txt"))
        #expect(try glob("[]x].txt").matches("].txt"), "a ] first in a set is a member")
        #expect(try glob("\\*.txt").matches("*.txt"))
        #expect(try !glob("\\*.txt").matches("a.txt"))
        #expect(try glob("Новости/[а-я]*.txt").matches("Новости/ливни.txt"))
        #expect(try !glob("Новости/[а-я]*.txt").matches("Новости/Ливни.txt"), "case matters")
    }

    @Test func memberPathsLoseALeadingDotSlash() throws {
        let g = try glob("texts/*.txt")
        #expect(g.matches(member: "./texts/1.txt"))
        #expect(g.matches(member: "/texts/1.txt"))
        #expect(try glob("./texts/*.txt").matches(member: "texts/1.txt"))
    }

    @Test func badPatternsAreRefusedWithAReason() {
        #expect(throws: GlobError.self) { try MemberGlob("") }
        #expect(throws: GlobError.self) { try MemberGlob("texts/[abc") }
        #expect(throws: GlobError.self) { try MemberGlob("texts\\") }
        #expect(throws: GlobError.self) { try MemberGlob("[z-a].txt") }
    }

    /// A backtracking matcher takes exponential time here; the automaton takes
    /// (tokens × characters) steps.
    @Test func hostilePatternsMatchInLinearTime() throws {
        // Each path ends as the pattern does, so the literal-ending shortcut does not decide.
        let path = String(repeating: "a", count: 50_000) + "b"
        let deep = Array(repeating: "a", count: 5_000).joined(separator: "/") + "/c"
        let started = ContinuousClock.now
        #expect(try !glob(String(repeating: "*a", count: 12) + "*c*b").matches(path))
        #expect(try glob(String(repeating: "*a", count: 12) + "*b").matches(path))
        #expect(try !glob(String(repeating: "**a", count: 12) + "**c**b").matches(path))
        #expect(try !glob(String(repeating: "**/", count: 12) + "x*/c").matches(deep))
        #expect(try glob(String(repeating: "**/", count: 12) + "c").matches(deep))
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}

@Suite struct ArticleSnifferTests {
    static let conllu = """
        # newdoc id = 1
        # sent_id = 1
        # text = Дождь шёл весь день.
        1\tДождь\tдождь\tNOUN\t_\tAnimacy=Inan|Case=Nom\t2\tnsubj\t_\t_
        2\tшёл\tидти\tVERB\t_\tAspect=Imp\t0\troot\t_\t_
        3-4\tвесь день\t_\t_\t_\t_\t_\t_\t_\t_
        3\tвесь\tвесь\tDET\t_\t_\t4\tdet\t_\t_
        4\tдень\tдень\tNOUN\t_\t_\t2\tobl\t_\tSpaceAfter=No
        4.1\t_\t_\t_\t_\t_\t_\t_\t_\t_
        5\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_

        """

    static func reason(_ text: String) -> String? {
        ArticleSniffer.notArticleReason(Array(text.utf8))
    }

    @Test func recognisesCoNLLUTaggedTokensAndTables() {
        #expect(Self.reason(Self.conllu) == "conllu")
        #expect(Self.reason("\u{FEFF}" + Self.conllu.replacingOccurrences(of: "\n", with: "\r\n")) == "conllu")
        let tagged = "Мэр\tS\tмэр\nгорода\tS\tгород\nоткрыл\tV\tоткрыть\nновый\tA\tновый\nмост\tS\tмост\n.\tPUNCT\t.\n"
        #expect(Self.reason(tagged) == "tagged")
        let table = "textid\ttitle\tdate\n1\tМост открыт\t2017-03-05\n2\tДождь в городе\t2017-03-06\n3\tНовая аллея в парке\t2017-03-07\n"
        #expect(Self.reason(table) == "table")
    }

    @Test func neverTakesAnArticleForATable() {
        #expect(Self.reason(Articles.rain) == nil)
        #expect(Self.reason(Articles.english) == nil)
        // Markdown headings, tab-indented paragraphs, a table inside the text, numbered lines.
        #expect(Self.reason("# Ливни в Твери\nСильный дождь затопил улицы.\n") == nil)
        #expect(
            Self.reason(
                "\tСильный дождь затопил улицы.\n\tДвижение было затруднено.\n\tСиноптики обещают солнце.\n\tВода ушла.\n\tКонец.\n") == nil
        )
        #expect(Self.reason("Итоги матча:\nкоманда\tочки\tголы\nСпартак\t3\t2\nЗенит\t0\t1\nЦСКА\t1\t1\n") == nil)
        #expect(Self.reason("1\tВведение\n2\tОсновная часть текста, в которой говорится о важном\n") == nil, "too few lines to tell")
        // One line of running text in the window keeps the member an article.
        #expect(Self.reason(Self.conllu + "Это обычный абзац текста, а не строка разметки.\n") == nil)
    }

    @Test func looksOnlyAtTheFirstFewKilobytes() {
        // Running text after the window is not looked at: the window decides.
        let long = Self.conllu + String(repeating: "6\tи\tи\tCCONJ\t_\t_\t2\tcc\t_\t_\n", count: 400) + "Обычный текст.\n"
        #expect(long.utf8.count > ArticleSniffer.window)
        #expect(Self.reason(long) == "conllu")
        // A first line longer than the window is running text.
        #expect(Self.reason(String(repeating: "слово ", count: 2000)) == nil)
    }
}

@Suite struct MemberSelectionTests {
    static let metadataYAML = """
        input:
          metadata: {path: "**/newmetadata.csv", fields: {title: [textname, title]}}
        stages: [normalize]
        """

    /// A Taiga-like archive: texts, their CoNLL-U copies, a metadata table stored after the texts.
    static func taiga(in dir: TempDir, name: String = "taiga.tar.gz", metadata: String? = nil) throws -> String {
        let table =
            metadata ?? """
                textid\tdate\ttextname\turl\tauthor
                1\t2017-03-05\tЛивни затопили улицы Твери\thttps://example.org/news/1\tИ. Петров
                2\t05.03.2017\tМост через Трубеж\thttps://example.org/news/2\t

                """
        let path = dir.file(name)
        try ArchiveBuilder.write(
            [
                .init("Source/texts/1.txt", Articles.rain),
                .init("Source/texts/2.txt", Articles.bridge),
                .init("Source/texts/3.txt", Articles.library),
                .init("Source/tagged_texts/1.txt", ArticleSnifferTests.conllu),
                .init("Source/newmetadata.csv", table),
            ], format: .tarGz, to: path)
        return path
    }

    @Test func taigaArchiveJoinsItsMetadataAndSkipsTheTaggedCopies() throws {
        let dir = TempDir()
        let archive = try Self.taiga(in: dir)
        let out = try EngineTests.run([archive], in: dir, yaml: Self.metadataYAML)
        #expect(out.report.written == 3)
        #expect(out.report.rejected == 0)
        #expect(out.report.read.skipped == ["not_article:conllu": 1, "metadata": 1])
        #expect(out.report.read.members == 3)
        #expect(out.report.read.metadataRows == 2)
        #expect(out.report.read.metadataJoined == 2)
        #expect(out.report.read.metadataUnmatched == 1)

        let rain = try #require(out.record(member: "Source/texts/1.txt"))
        #expect(rain["title"] as? String == "Ливни затопили улицы Твери")
        #expect(rain["url"] as? String == "https://example.org/news/1")
        #expect(rain["published"] as? String == "2017-03-05")
        #expect(rain["meta"] as? [String: String] == ["author": "И. Петров"])
        // The text repeated the title on its first line: it is the title now, not the text.
        #expect((rain["text"] as? String)?.hasPrefix("ТВЕРЬ, 3 июня.") == true)
        let bridge = try #require(out.record(member: "Source/texts/2.txt"))
        #expect(bridge["title"] as? String == "Мост через Трубеж")
        #expect(bridge["published"] as? String == "2017-03-05")
        #expect(bridge["meta"] == nil, "empty cells are not kept")
        // The table's title differs from the first line, so the first line stays text.
        #expect((bridge["text"] as? String)?.hasPrefix("В Рязани открыли пешеходный мост") == true)
        let library = try #require(out.record(member: "Source/texts/3.txt"))
        #expect(library["title"] as? String == "Библиотека в Пскове продлит часы работы", "no row: the headline rule still applies")
        #expect(library["url"] as? String == nil)

        let report = try JSONSerialization.jsonObject(with: Data(try dir.read("out/report.json"))) as! [String: Any]
        let inputs = report["inputs"] as! [String: Any]
        #expect(inputs["metadata"] as? [String: Int] == ["rows": 2, "joined": 2, "unmatched": 1])
        #expect(inputs["skipped"] as? [String: Int] == ["metadata": 1, "not_article:conllu": 1])
    }

    @Test func joinedOutputIsTheSameForAnyJobs() throws {
        let dir = TempDir()
        let archive = try Self.taiga(in: dir)
        let one = try EngineTests.run([archive], in: dir, jobs: 1, yaml: Self.metadataYAML, output: "out1")
        let four = try EngineTests.run([archive], in: dir, jobs: 4, yaml: Self.metadataYAML, output: "out4")
        #expect(one.partBytes == four.partBytes)
        #expect(one.rejectBytes == four.rejectBytes)
    }

    @Test func badMetadataRowsAreRejectedWithTheirRow() throws {
        let dir = TempDir()
        let archive = try Self.taiga(
            in: dir,
            metadata: """
                textid,textname,date
                1,Ливни затопили улицы Твери,2017-03-05
                2,"Мост, которого ждали",not a date
                ,Без ключа,2017-03-06
                1,Повтор ключа,2017-03-07
                3,лишнее,поле,здесь

                """)
        let out = try EngineTests.run([archive], in: dir, yaml: Self.metadataYAML)
        #expect(out.report.rejectsByCode == ["csv_invalid": 3])
        let rows = out.rejects.compactMap { $0["row"] as? Int }
        #expect(rows == [3, 4, 5])
        #expect(out.rejects.allSatisfy { $0["member"] as? String == "Source/newmetadata.csv" })
        let bridge = try #require(out.record(member: "Source/texts/2.txt"))
        #expect(bridge["title"] as? String == "Мост, которого ждали")
        #expect(bridge["published"] as? String == nil)
        #expect(bridge["meta"] as? [String: String] == ["date": "not a date"], "an unreadable date stays as written")
        #expect(out.report.read.metadataJoined == 2)
    }

    @Test func aTableWithoutItsKeyColumnIsRejected() throws {
        let dir = TempDir()
        let archive = try Self.taiga(in: dir, metadata: "name,title\n1.txt,Ливни\n")
        let out = try EngineTests.run([archive], in: dir, yaml: Self.metadataYAML)
        let reject = try #require(out.reject(member: "Source/newmetadata.csv"))
        #expect(reject["code"] as? String == "csv_invalid")
        #expect((reject["message"] as? String)?.contains("looked for: textid, id, file, filename") == true)
        #expect(out.report.read.metadataUnmatched == 3)
        // Keyed by file name instead: the configured key column names "1.txt".
        let keyed = try EngineTests.run(
            [archive], in: dir,
            yaml: """
                input: {metadata: {path: "**/newmetadata.csv", key: name}}
                stages: [normalize]
                """, output: "out2")
        #expect(keyed.record(member: "Source/texts/1.txt")?["title"] as? String == "Ливни")
        #expect(keyed.report.read.metadataJoined == 1)
    }

    @Test func folderInputsJoinTheirTablesByRelativePath() throws {
        let dir = TempDir()
        try dir.write("in/b/texts/7.txt", Articles.rain)
        try dir.write("in/b/meta.csv", "id;title;url\n7;Ливни в Твери;https://example.org/7\n")
        try dir.write("in/a/texts/7.txt", Articles.bridge)
        let out = try EngineTests.run(
            [dir.file("in")], in: dir,
            yaml: """
                input: {metadata: {path: "*/meta.csv"}}
                stages: [normalize]
                """)
        #expect(out.record(member: dir.file("in/b/texts/7.txt"))?["url"] as? String == "https://example.org/7")
        // The table of b/ does not reach a/: the same key there stays unjoined.
        #expect(out.record(member: dir.file("in/a/texts/7.txt"))?["url"] as? String == nil)
        #expect(out.report.read.skipped == ["metadata": 1])
        #expect(out.report.read.metadataJoined == 1)
        #expect(out.report.read.metadataUnmatched == 1)
    }

    @Test func includeExcludeOverArchiveMembersNestedArchivesAndFolders() throws {
        let dir = TempDir()
        try dir.makeFolder("in")
        let nested = try ArchiveBuilder.bytes(
            [.init("texts/9.txt", Articles.english), .init("notes/todo.txt", Articles.library)], format: .tar)
        try ArchiveBuilder.write(
            [
                .init("Source/texts/1.txt", Articles.rain),
                .init("Source/tagged_texts/1.txt", Articles.bridge),
                .init("Source/readme.txt", Articles.library),
                .init("more/extra.tar", bytes: nested),
                .init(
                    "feeds/day.jsonl.gz",
                    bytes: try ArchiveBuilder.bytes([.init("day.jsonl", "{\"text\": \"Короткая заметка о погоде.\"}\n")], format: .rawGzip)),
            ], format: .zip, to: dir.file("in/mix.zip"))
        try dir.write("in/texts/local.txt", Articles.bridge)
        try dir.write("in/other/skip.txt", Articles.bridge)

        let out = try EngineTests.run(
            [dir.file("in")], in: dir,
            yaml: """
                input:
                  include: ["**/texts/*.txt", "**/*.jsonl"]
                  exclude: ["**/tagged_texts/**"]
                stages: [normalize]
                """)
        let members = Set(out.records.compactMap { ($0["source"] as? [String: Any])?["member"] as? String })
        // Nested members match by their own path in their archive; archives are always descended.
        #expect(members == ["Source/texts/1.txt", "texts/9.txt", "day.jsonl", dir.file("in/texts/local.txt")])
        #expect(out.report.read.skipped == ["excluded": 1, "not_included": 3])

        let noNested = try EngineTests.run(
            [dir.file("in")], in: dir,
            yaml: """
                input: {exclude: ["**/*.tar", "other/**"]}
                stages: [normalize]
                """, output: "out2")
        #expect(noNested.report.read.skipped == ["excluded": 2])
        #expect(noNested.record(member: "texts/9.txt") == nil)
        #expect(noNested.record(member: "Source/tagged_texts/1.txt") != nil)
        #expect(noNested.record(member: dir.file("in/other/skip.txt")) == nil)
    }

    @Test func dotSlashMemberNamesJoinAndMatchLikeTheOthers() throws {
        let dir = TempDir()
        try ArchiveBuilder.write(
            [
                .init("./texts/1.txt", Articles.rain), .init("./texts/2.txt", Articles.bridge),
                .init("./newmetadata.csv", "textid,textname\n1,Ливни в Твери\n"),
            ], format: .tar, to: dir.file("dot.tar"))
        let out = try EngineTests.run(
            [dir.file("dot.tar")], in: dir,
            yaml: """
                input:
                  exclude: ["texts/2.txt"]
                  metadata: {path: "newmetadata.csv", fields: {title: [textname]}}
                stages: [normalize]
                """)
        #expect(out.record(member: "./texts/1.txt")?["title"] as? String == "Ливни в Твери")
        #expect(out.report.read.skipped == ["excluded": 1, "metadata": 1])
    }

    @Test func aTableInANestedArchiveIsCountedAsNotJoined() throws {
        let dir = TempDir()
        let inner = try ArchiveBuilder.bytes(
            [.init("texts/1.txt", Articles.rain), .init("newmetadata.csv", "textid,title\n1,Ливни\n")], format: .tar)
        try ArchiveBuilder.write([.init("inner.tar", bytes: inner)], format: .tar, to: dir.file("outer.tar"))
        let out = try EngineTests.run([dir.file("outer.tar")], in: dir, yaml: Self.metadataYAML)
        #expect(out.report.read.skipped == ["metadata_not_joined": 1])
        #expect(out.report.read.metadataUnmatched == 1)
        #expect(out.report.written == 1)
    }

    @Test func configRefusesBadGlobsAndMetadataWithoutPath() {
        #expect(throws: ConfigError.self) {
            try PipelineConfig.parse(yaml: "input: {include: ['texts/[0-9']}\nstages: [normalize]", file: "t.yaml")
        }
        do {
            _ = try PipelineConfig.parse(yaml: "input:\n  exclude: ['a\\']\nstages: [normalize]", file: "t.yaml")
            Issue.record("a pattern ending in a lone backslash was accepted")
        } catch {
            #expect(error.description.contains("input.exclude"))
            #expect(error.description.contains("lone"))
        }
        #expect(throws: ConfigError.self) {
            try PipelineConfig.parse(yaml: "input: {metadata: {key: textid}}\nstages: [normalize]", file: "t.yaml")
        }
        #expect(throws: ConfigError.self) {
            try PipelineConfig.parse(yaml: "input: {metadata: {path: x.csv, colour: red}}\nstages: [normalize]", file: "t.yaml")
        }
        #expect(throws: Never.self) {
            try PipelineConfig.parse(yaml: "input: {include: [], exclude: ['**/*.jpg']}\nstages: [normalize]", file: "t.yaml")
        }
    }

    @Test func inspectShowsEveryDecision() throws {
        let dir = TempDir()
        let archive = try Self.taiga(in: dir)
        try dir.write(
            "p.yaml",
            """
            input:
              exclude: ["**/3.txt"]
              metadata: {path: "**/newmetadata.csv"}
            stages: [normalize]
            """)
        let result = try CLIRunner.run(["inspect", archive, "--pipeline", dir.file("p.yaml")])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let byPath = Dictionary(
            lines.dropFirst().map { ($0[3].replacingOccurrences(of: "\(archive)!/", with: ""), $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath["Source/texts/1.txt"]?[0] == "txt")
        #expect(byPath["Source/texts/1.txt"]?.last == "metadata row joined")
        #expect(byPath["Source/texts/3.txt"]?[0] == "skip:excluded")
        #expect(byPath["Source/texts/3.txt"]?.last == "matches input.exclude '**/3.txt'")
        #expect(byPath["Source/tagged_texts/1.txt"]?[0] == "skip:not_article:conllu")
        #expect(byPath["Source/newmetadata.csv"]?[0] == "skip:metadata")
        #expect(byPath["Source/newmetadata.csv"]?.last?.contains("2 rows keyed by 'textid'") == true)
    }
}
