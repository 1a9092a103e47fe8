import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// End-to-end runs of the library over archives the tests build.
@Suite struct EngineTests {
    struct Output {
        var report: RunReport
        var records: [[String: Any]]
        var rejects: [[String: Any]]
        var partBytes: [UInt8]
        var rejectBytes: [UInt8]

        func record(member: String) -> [String: Any]? {
            records.first { ($0["source"] as? [String: Any])?["member"] as? String == member }
        }

        func reject(member: String) -> [String: Any]? {
            rejects.first { $0["member"] as? String == member }
        }
    }

    static func run(_ inputs: [String], in dir: TempDir, jobs: Int = 2, yaml: String? = nil, output: String = "out") throws -> Output {
        let config = try yaml.map { try PipelineConfig.parse(yaml: $0, file: "test.yaml") } ?? PipelineConfig.builtInDefault()
        let report = try Runner.run(config: config, options: RunOptions(inputs: inputs, output: dir.file(output), jobs: jobs))
        var partBytes: [UInt8] = []
        for part in report.parts { partBytes += try dir.read("\(output)/\(part)") }
        let rejectBytes = try dir.read("\(output)/rejects.jsonl")
        func lines(_ bytes: [UInt8]) throws -> [[String: Any]] {
            try bytes.split(separator: 0x0A).map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
        }
        return Output(
            report: report, records: try lines(partBytes), rejects: try lines(rejectBytes),
            partBytes: partBytes, rejectBytes: rejectBytes)
    }

    @Test(arguments: [
        (ArchiveBuilder.Format.tar, "feed.tar"), (.tarGz, "feed.tar.gz"), (.tarBz2, "feed.tar.bz2"), (.tarXz, "feed.tar.xz"),
        (.tarZst, "feed.tar.zst"), (.zip, "feed.zip"), (.zip64, "feed64.zip"), (.sevenZip, "feed.7z"), (.cpio, "feed.cpio"),
    ])
    func readsEveryArchiveFormat(format: ArchiveBuilder.Format, name: String) throws {
        let dir = TempDir()
        try ArchiveBuilder.write(
            [
                .init("news/rain.txt", Articles.rain), .init("news/bridge.txt", Articles.bridge),
                .init("img/photo.jpg", bytes: [0xFF, 0xD8, 0xFF]),
            ], format: format, to: dir.file(name))
        let out = try Self.run([dir.file(name)], in: dir)
        #expect(out.report.written == 2)
        #expect(out.report.rejected == 0)
        #expect(out.report.read.skipped == ["unknown_format": 1])
        let rain = try #require(out.record(member: "news/rain.txt"))
        #expect(rain["title"] as? String == "Ливни затопили улицы Твери")
        #expect((rain["text"] as? String)?.hasPrefix("ТВЕРЬ, 3 июня.") == true)
        #expect((rain["source"] as? [String: Any])?["archive"] as? String == dir.file(name))
        // Archive order is kept: rain was packed first.
        #expect((out.records.first?["source"] as? [String: Any])?["member"] as? String == "news/rain.txt")
    }

    @Test func descendsNestedArchivesAndStopsAtTheDepthLimit() throws {
        let dir = TempDir()
        let innermost = try ArchiveBuilder.bytes([.init("deep.txt", Articles.english)], format: .tarGz)
        let zip = try ArchiveBuilder.bytes(
            [.init("inner/bridge.txt", Articles.bridge), .init("deeper.tar.gz", bytes: innermost)], format: .zip)
        let tarGz = try ArchiveBuilder.bytes([.init("library.txt", Articles.library)], format: .tarGz)
        try ArchiveBuilder.write(
            [.init("rain.txt", Articles.rain), .init("bundle/day.zip", bytes: zip), .init("week.tar.gz", bytes: tarGz)],
            format: .tar, to: dir.file("outer.tar"))
        let out = try Self.run([dir.file("outer.tar")], in: dir, yaml: "input: {max_archive_depth: 2}\nstages: [normalize]")
        let outer = dir.file("outer.tar")
        let bridge = try #require(out.record(member: "inner/bridge.txt"))
        #expect((bridge["source"] as? [String: Any])?["archive"] as? String == "\(outer)!/bundle/day.zip")
        let library = try #require(out.record(member: "library.txt"))
        #expect((library["source"] as? [String: Any])?["archive"] as? String == "\(outer)!/week.tar.gz")
        let tooDeep = try #require(out.reject(member: "deeper.tar.gz"))
        #expect(tooDeep["code"] as? String == "archive_too_deep")
        #expect(out.report.written == 3)

        let deeper = try Self.run([outer], in: dir, yaml: "input: {max_archive_depth: 3}\nstages: [normalize]", output: "out3")
        #expect(deeper.record(member: "deep.txt") != nil)
        #expect(deeper.report.rejected == 0)
    }

    @Test func decodesWindowsMemberNames() throws {
        let dir = TempDir()
        try ArchiveBuilder.write([.init("Новости/Ливни.txt", Articles.rain)], format: .zipCP866, to: dir.file("win.zip"))
        let out = try Self.run([dir.file("win.zip")], in: dir)
        #expect(out.record(member: "Новости/Ливни.txt") != nil)
    }

    @Test func streamsDumpsAcrossChunksWithCorrectRowNumbers() throws {
        let dir = TempDir()
        // Big enough to be cut into several chunks; quoted CSV newlines straddle the cuts.
        var jsonl = ""
        var csv = "url,title,text,topic\n"
        let rows = 2500
        for i in 1...rows {
            let filler = String(repeating: "текст ", count: 40)
            jsonl += #"{"url": "https://example.org/\#(i)", "title": "Новость \#(i)", "text": "Номер \#(i). \#(filler)"}"# + "\n"
            csv += "https://example.org/\(i),\"Заголовок, \"\"\(i)\"\"\",\"Строка \(i).\n\(filler)\",Общество\n"
        }
        try ArchiveBuilder.write(
            [.init("dumps/feed.jsonl", jsonl), .init("dumps/lenta.csv", csv)], format: .tarGz, to: dir.file("dumps.tar.gz"))
        try ArchiveBuilder.write([.init("feed.jsonl", jsonl)], format: .rawGzip, to: dir.file("feed.jsonl.gz"))
        // Quotes stay as the dump wrote them, so the titles can be compared.
        let out = try Self.run(
            [dir.file("dumps.tar.gz"), dir.file("feed.jsonl.gz")], in: dir, yaml: "stages: [{normalize: {quotes: false}}]")
        #expect(out.report.written == 3 * rows)
        #expect(out.report.rejected == 0)
        for record in out.records {
            let source = record["source"] as! [String: Any]
            let row = source["row"] as! Int
            let text = record["text"] as! String
            if source["format"] as? String == "csv" {
                #expect(text.hasPrefix("Строка \(row).\n"))
                #expect(record["title"] as? String == "Заголовок, \"\(row)\"")
                #expect((record["meta"] as? [String: String]) == ["topic": "Общество"])
            } else {
                #expect(text.hasPrefix("Номер \(row)."))
                #expect(record["url"] as? String == "https://example.org/\(row)")
            }
        }
        let gz = out.records.filter { ($0["source"] as? [String: Any])?["archive"] as? String == dir.file("feed.jsonl.gz") }
        #expect(gz.count == rows)
        #expect((gz.first?["source"] as? [String: Any])?["member"] as? String == "feed.jsonl")
    }

    @Test func readsJSONArraysAndWebPages() throws {
        let dir = TempDir()
        let array = #"[{"title": "Первая", "text": "Текст один"}, {"title": "Без текста"}, {"text": "Текст два", "date": "2024-05-01"}]"#
        let single = #"{"headline": "Одна", "content": "Текст три"}"#
        let page =
            "<html><head><title>Сайт</title></head><body><nav>Меню</nav><article><h1>Заголовок</h1><p>Абзац&nbsp;один.</p><p>Абзац два.</p></article></body></html>"
        try ArchiveBuilder.write(
            [
                .init("a.json", array), .init("b.json", single), .init("c.html", page),
                .init("d.html", "<html><body><nav>x</nav></body></html>"),
            ],
            format: .zip, to: dir.file("mixed.zip"))
        let out = try Self.run([dir.file("mixed.zip")], in: dir)
        let rows = out.records.filter { ($0["source"] as? [String: Any])?["member"] as? String == "a.json" }
        #expect(rows.map { ($0["source"] as? [String: Any])?["row"] as? Int } == [1, 3])
        #expect(rows.last?["published"] as? String == "2024-05-01")
        #expect(out.reject(member: "a.json")?["code"] as? String == "row_without_text")
        #expect(out.record(member: "b.json")?["title"] as? String == "Одна")
        let html = try #require(out.record(member: "c.html"))
        #expect(html["title"] as? String == "Заголовок")
        #expect(html["text"] as? String == "Абзац один.\nАбзац два.")
        #expect(out.reject(member: "d.html")?["code"] as? String == "empty_text")
    }

    @Test func legacyCharsetDumpsAreTranscoded() throws {
        let dir = TempDir()
        // "title,text\nМосква,Съешь же ещё этих мягких французских булок\n" in windows-1251
        let csv =
            Array("title,text\n".utf8)
            + hex("cceef1eae2e02cd1fae5f8fc20e6e520e5f9b820fdf2e8f520ecffe3eae8f520f4f0e0edf6f3e7f1eae8f520e1f3ebeeea0a")
        // {"text": "Съешь же ещё этих мягких французских булок"} in KOI8-R
        let jsonl =
            Array(#"{"text": ""#.utf8) + hex("f3dfc5dbd820d6c520c5dda320dcd4c9c820cdd1c7cbc9c820c6d2c1cec3d5dad3cbc9c820c2d5cccfcb")
            + Array("\"}\n".utf8)
        try ArchiveBuilder.write(
            [.init("a.csv", bytes: csv), .init("b.jsonl", bytes: jsonl)], format: .tarGz, to: dir.file("dumps.tar.gz"))
        let out = try Self.run([dir.file("dumps.tar.gz")], in: dir)
        #expect(out.report.rejected == 0)
        let csvRecord = try #require(out.record(member: "a.csv"))
        #expect(csvRecord["title"] as? String == "Москва")
        #expect(csvRecord["text"] as? String == "Съешь же ещё этих мягких французских булок")
        #expect((csvRecord["source"] as? [String: Any])?["encoding"] as? String == "windows-1251")
        let jsonRecord = try #require(out.record(member: "b.jsonl"))
        #expect(jsonRecord["text"] as? String == "Съешь же ещё этих мягких французских булок")
        #expect((jsonRecord["source"] as? [String: Any])?["encoding"] as? String == "koi8-r")
    }

    @Test func damagedInputsBecomeRejectsAndTheRunGoesOn() throws {
        let dir = TempDir()
        var articles: [ArchiveBuilder.Member] = []
        for i in 0..<40 {
            articles.append(.init("n\(i).txt", Articles.rain + "\nВыпуск \(i). " + String(repeating: "\(i * 7919) ", count: 300)))
        }
        // Truncated tar.gz and 7z: the members before the cut survive.
        try ArchiveBuilder.write(articles, format: .tarGz, to: dir.file("a-truncated.tar.gz"))
        try ArchiveBuilder.write(articles, format: .sevenZip, to: dir.file("b-truncated.7z"))
        for name in ["a-truncated.tar.gz", "b-truncated.7z"] {
            let bytes = try dir.read(name)
            try dir.write(name, bytes: Array(bytes.prefix(bytes.count * 2 / 3)))
        }
        // A zip member whose stored bytes no longer match its CRC.
        try ArchiveBuilder.write(
            [.init("good.txt", Articles.bridge), .init("bad.txt", Articles.library)], format: .zipStored, to: dir.file("c-crc.zip"))
        var zip = try dir.read("c-crc.zip")
        let needle = Array("ПСКОВ".utf8)
        let at = try #require((0..<(zip.count - needle.count)).first { Array(zip[$0..<($0 + needle.count)]) == needle })
        zip[at + 2] ^= 0x01
        try dir.write("c-crc.zip", bytes: zip)
        // A bz2 stream with garbage in the middle, and files that are not archives at all.
        try ArchiveBuilder.write(articles, format: .tarBz2, to: dir.file("d-corrupt.tar.bz2"))
        var bz = try dir.read("d-corrupt.tar.bz2")
        for i in stride(from: 20, to: bz.count, by: 7) { bz[i] ^= 0x5A }
        try dir.write("d-corrupt.tar.bz2", bytes: bz)
        try dir.write("e-not-an-archive.zip", "just text")
        try dir.write("f-empty.tar.gz", bytes: [])
        // Members that are empty, binary, too large, or in a charset not decoded yet.
        try ArchiveBuilder.write(
            [
                .init("empty.txt", bytes: []), .init("blob.txt", bytes: [0x00, 0x01, 0x02, 0xFF, 0x00]),
                .init("huge.txt", String(repeating: "слово ", count: 2000)),
                .init("cp1251.txt", bytes: [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]),
                .init(
                    "gbk.txt",
                    bytes: hex(
                        "d0c2bbaac9e7b1b1bea9b5e720d6d0b9fab9fabcd2d6f7cfafbdf1ccecd4dac8cbc3f1b4f3bbe1ccc3bbe1bcfbc1cbc0b4b7c3b5c4cde2b9fac1ecb5bcc8cb"
                    )),
                .init("ok.txt", Articles.english),
            ], format: .tar, to: dir.file("g-members.tar"))
        let out = try Self.run(
            [dir.path, dir.file("missing.tar.gz")], in: dir,
            yaml: "input: {max_member_bytes: 10000}\nstages: [normalize, stats, exact_dedup]")
        func code(_ member: String) -> String? { out.reject(member: member)?["code"] as? String }
        #expect(code(dir.file("a-truncated.tar.gz")) == "archive_corrupt")
        #expect(code(dir.file("b-truncated.7z")) == "archive_corrupt")
        #expect((out.reject(member: dir.file("b-truncated.7z"))?["message"] as? String)?.isEmpty == false)
        #expect(code("bad.txt") == "member_corrupt")
        #expect(out.record(member: "good.txt") != nil)
        #expect(code(dir.file("d-corrupt.tar.bz2")) == "archive_corrupt")
        #expect((out.reject(member: dir.file("d-corrupt.tar.bz2"))?["message"] as? String)?.contains("d-corrupt.tar.bz2") == true)
        #expect(code(dir.file("e-not-an-archive.zip")) == "archive_corrupt")
        #expect(code(dir.file("f-empty.tar.gz")) == "member_empty")
        #expect(code("empty.txt") == "member_empty")
        #expect(code("blob.txt") == "member_binary")
        #expect(code("huge.txt") == "member_too_large")
        #expect(code("gbk.txt") == "not_utf8")
        #expect(out.record(member: "cp1251.txt")?["text"] as? String == "Привет")
        #expect((out.record(member: "cp1251.txt")?["source"] as? [String: Any])?["encoding"] as? String == "windows-1251")
        #expect(code(dir.file("missing.tar.gz")) == "input_missing")
        #expect(out.record(member: "ok.txt") != nil)
        #expect(out.records.contains { ($0["source"] as? [String: Any])?["archive"] as? String == dir.file("a-truncated.tar.gz") })
        let r = out.report
        #expect(r.documentsRead == r.written + r.rejected + r.dropped)
        #expect(r.rejected == out.rejects.count)
    }

    @Test func exactDuplicatesAreMarkedOrDropped() throws {
        let dir = TempDir()
        try dir.makeFolder("in")
        try ArchiveBuilder.write(
            [.init("a.txt", Articles.rain), .init("b.txt", Articles.bridge)], format: .tarGz, to: dir.file("in/1.tar.gz"))
        // Same text with CRLF and trailing blanks: equal after normalization.
        let reprint = Articles.rain.replacingOccurrences(of: "\n", with: "  \r\n")
        try ArchiveBuilder.write([.init("c.txt", reprint), .init("d.txt", Articles.library)], format: .zip, to: dir.file("in/2.zip"))
        let marked = try Self.run([dir.file("in")], in: dir)
        let a = try #require(marked.record(member: "a.txt"))
        let c = try #require(marked.record(member: "c.txt"))
        let dedup = try #require(c["dedup"] as? [String: Any])
        #expect(dedup["status"] as? String == "exact")
        #expect(dedup["of"] as? String == a["id"] as? String)
        #expect(dedup["cluster"] as? String == a["id"] as? String)
        #expect(marked.report.dedupStatus == ["unique": 3, "exact": 1])

        let dropped = try Self.run([dir.file("in")], in: dir, yaml: "stages: [normalize, {exact_dedup: {mode: drop}}]", output: "dropped")
        #expect(dropped.report.written == 3)
        #expect(dropped.report.droppedByReason == ["exact_duplicate": 1])
        #expect(dropped.record(member: "c.txt") == nil)
        #expect(dropped.report.documentsRead == 4)
    }

    @Test func outputIsByteIdenticalWhateverTheThreadCount() throws {
        let dir = TempDir()
        try dir.makeFolder("in")
        let texts = [Articles.rain, Articles.bridge, Articles.library, Articles.english]
        for shard in 0..<4 {
            var members: [ArchiveBuilder.Member] = []
            for i in 0..<300 {
                let n = shard * 300 + i
                // Every 7th document repeats an earlier one, so dedup decisions are exercised.
                let text = n % 7 == 0 ? texts[n % 4] : texts[n % 4] + "\nДобавка \(n)."
                members.append(.init("s\(shard)/\(n).txt", text))
            }
            members.append(.init("s\(shard)/broken.txt", bytes: [0xFF, 0xFE, 0xFD]))
            try ArchiveBuilder.write(
                members, format: shard % 2 == 0 ? .tarGz : .zip, to: dir.file("in/shard\(shard).\(shard % 2 == 0 ? "tar.gz" : "zip")"))
        }
        let one = try Self.run(
            [dir.file("in")], in: dir, jobs: 1, yaml: "stages: [normalize, stats, exact_dedup]\noutput: {part_max_records: 500}",
            output: "j1")
        let four = try Self.run(
            [dir.file("in")], in: dir, jobs: 4, yaml: "stages: [normalize, stats, exact_dedup]\noutput: {part_max_records: 500}",
            output: "j4")
        #expect(one.report.parts == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"])
        #expect(one.report.parts == four.report.parts)
        // Compared by hash: a failing == over megabytes makes the test library's diff take forever.
        #expect(Hash128.murmur3(one.partBytes) == Hash128.murmur3(four.partBytes))
        #expect(Hash128.murmur3(one.rejectBytes) == Hash128.murmur3(four.rejectBytes))
        #expect(one.report.written == 1200 && one.report.rejected == 4)
    }

    @Test func refusesToReplaceAFolderThatIsNotAnOutput() throws {
        let dir = TempDir()
        try dir.write("docs/thesis.tex", "важное")
        try dir.write("in/a.txt", Articles.rain)
        #expect(throws: RunFailure.self) { try Self.run([dir.file("in")], in: dir, output: "docs") }
        #expect(FileManager.default.fileExists(atPath: dir.file("docs/thesis.tex")))
        // An earlier output is replaced whole.
        _ = try Self.run([dir.file("in")], in: dir, output: "out")
        try dir.write("in/b.txt", Articles.bridge)
        let second = try Self.run([dir.file("in")], in: dir, output: "out")
        #expect(second.report.written == 2)
        // No staging folder is left behind; the lock file stays (removing it could let two runs lock two files).
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".out") }
        #expect(leftovers == [".out.lock"])
    }
}
