import Foundation
import Testing

@testable import NewsMillCore

/// The command line as a user meets it: exit statuses, messages, subcommands.
@Suite struct CLITests {
    @Test func cleanRunExitsZeroAndRejectsExitThree() throws {
        let dir = TempDir()
        try dir.write("clean/a.txt", Articles.rain)
        try ArchiveBuilder.write([.init("b.txt", Articles.bridge)], format: .tarGz, to: dir.file("clean/b.tar.gz"))
        let clean = try CLIRunner.run(["run", dir.file("clean"), "-o", dir.file("out1"), "-j", "2"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.isEmpty)
        #expect(clean.stderr.contains("2 read: 2 written, 0 rejected, 0 dropped"))
        #expect(!clean.stderr.contains("\u{1B}["), "no progress bar when stderr is not a terminal")

        try dir.write("dirty/bad.txt", bytes: [0x00, 0x01, 0xC0, 0xFF, 0x00])
        let dirty = try CLIRunner.run(["run", dir.file("clean"), dir.file("dirty"), "-o", dir.file("out2"), "-q"])
        #expect(dirty.status == 3)
        #expect(dirty.stderr.isEmpty)
        let rejects = String(decoding: try dir.read("out2/rejects.jsonl"), as: UTF8.self)
        #expect(rejects.contains("\"code\":\"member_binary\""))
    }

    @Test func summarySaysWhatWasSkippedAndRepaired() throws {
        let dir = TempDir()
        var stray = Array(Articles.rain.utf8)
        stray.insert(0x92, at: stray.indices.first { $0 > stray.count / 2 && stray[$0] == 0x20 }!)
        try dir.write("in/stray.txt", bytes: stray)
        try dir.write(
            "in/tagged.txt", "# sent_id = 1\n1\tДождь\tдождь\tNOUN\t_\t_\t2\tnsubj\t_\t_\n2\tшёл\tидти\tVERB\t_\t_\t0\troot\t_\t_\n")
        let run = try CLIRunner.run(["run", dir.file("in"), "-o", dir.file("out"), "-j", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("skipped: 1 not_article:conllu"), "\(run.stderr)")
        #expect(run.stderr.contains("repaired: 1 UTF-8 text with 1 bad byte"), "\(run.stderr)")
    }

    @Test func runsOverEveryArchiveKindFromTheCommandLine() throws {
        let dir = TempDir()
        let formats: [(ArchiveBuilder.Format, String)] = [
            (.tar, "a.tar"), (.tarGz, "b.tar.gz"), (.tarBz2, "c.tar.bz2"), (.tarXz, "d.tar.xz"),
            (.tarZst, "e.tar.zst"), (.zip, "f.zip"), (.zip64, "g.zip"), (.sevenZip, "h.7z"), (.cpio, "i.cpio"),
        ]
        try dir.makeFolder("in")
        for (n, (format, name)) in formats.enumerated() {
            try ArchiveBuilder.write([.init("doc\(n).txt", Articles.rain + "\nВыпуск \(n).")], format: format, to: dir.file("in/\(name)"))
        }
        let inner = try ArchiveBuilder.bytes([.init("inner.txt", Articles.bridge)], format: .zip)
        try ArchiveBuilder.write([.init("nested/day.zip", bytes: inner)], format: .tarGz, to: dir.file("in/j-nested.tar.gz"))
        try ArchiveBuilder.write([.init("Новости/Библиотека.txt", Articles.library)], format: .zipCP866, to: dir.file("in/k-windows.zip"))
        // Pseudo-random words compress poorly, so the first half of the stream holds whole members
        // (libarchive reads ahead: a truncated archive smaller than its read-ahead fails at open).
        var seed: UInt64 = 42
        let truncated = try ArchiveBuilder.bytes(
            (0..<300).map { n in
                let words = (0..<400).map { _ -> String in
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return String(seed >> 40, radix: 36)
                }
                return .init("t\(n).txt", Articles.english + words.joined(separator: " "))
            }, format: .tarGz)
        try dir.write("in/l-truncated.tar.gz", bytes: Array(truncated.prefix(truncated.count / 2)))

        let result = try CLIRunner.run(["run", dir.file("in"), "-o", dir.file("out"), "-j", "3", "-q"])
        #expect(result.status == 3)
        let lines = String(decoding: try dir.read("out/part-00000.jsonl"), as: UTF8.self).split(separator: "\n")
        let members = try lines.map { line -> String in
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (record["source"] as! [String: Any])["member"] as! String
        }
        for n in 0..<formats.count { #expect(members.contains("doc\(n).txt"), "doc\(n).txt from \(formats[n].1)") }
        #expect(members.contains("inner.txt"))
        #expect(members.contains("Новости/Библиотека.txt"))
        #expect(members.contains { $0.hasPrefix("t") }, "members before the damage are kept")
        let rejects = String(decoding: try dir.read("out/rejects.jsonl"), as: UTF8.self)
        #expect(rejects.contains("l-truncated.tar.gz") && rejects.contains("archive_corrupt"))
    }

    @Test func badConfigFailsWithExitOneAndSaysWhere() throws {
        let dir = TempDir()
        try dir.write("bad.yaml", "stages:\n  - normalize: {nfc: maybe}\n")
        try dir.write("in/a.txt", Articles.rain)
        let result = try CLIRunner.run(["run", dir.file("in"), "--pipeline", dir.file("bad.yaml"), "-o", dir.file("out")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(dir.file("bad.yaml")):2: stages[0].normalize.nfc: expected true or false, got 'maybe'"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))

        let validate = try CLIRunner.run(["validate", dir.file("bad.yaml")])
        #expect(validate.status == 1)
        let good = try CLIRunner.run(["validate", "Pipelines/default.yaml"])
        #expect(good.status == 0)
        #expect(
            good.stdout.contains(
                "normalize → boilerplate → lead → language → stats → dates → numbers → entities → quotes → exact_dedup → near_dedup"))
    }

    @Test func unwritableOutputFailsWithItsOwnStatus() throws {
        let dir = TempDir()
        try dir.write("in/a.txt", Articles.rain)
        try dir.write("file", "not a folder")
        let result = try CLIRunner.run(["run", dir.file("in"), "-o", dir.file("file/out")])
        #expect(result.status == 74, "writing the output failed")
        #expect(result.stderr.contains("run failed"))
    }

    @Test func inspectListsMembersFormatsAndSizes() throws {
        let dir = TempDir()
        try ArchiveBuilder.write(
            [
                .init("a.txt", Articles.rain), .init("p.jpg", bytes: [1, 2]),
                .init("feed.jsonl", "{\"text\": \"x\"}\n{\"text\": \"y\"}\n"),
            ], format: .zip, to: dir.file("x.zip"))
        let result = try CLIRunner.run(["inspect", dir.file("x.zip")])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.first == ["FORMAT", "BYTES", "RECORDS", "PATH"])
        #expect(lines.contains(["txt", "\(Articles.rain.utf8.count)", "1", "\(dir.file("x.zip"))!/a.txt"]))
        #expect(lines.contains(["skip:unknown_format", "0", "0", "\(dir.file("x.zip"))!/p.jpg"]))
        #expect(lines.contains(["jsonl", "28", "2", "\(dir.file("x.zip"))!/feed.jsonl"]))
    }

    @Test func helpIsThereForEverySubcommand() throws {
        for command in [["--help"], ["run", "--help"], ["inspect", "--help"], ["validate", "--help"]] {
            let result = try CLIRunner.run(command)
            #expect(result.status == 0)
            #expect(result.stdout.contains("USAGE"))
        }
    }

    @Test func defaultRunReadsTheCorpus() throws {
        let dir = TempDir()
        let result = try CLIRunner.run(["run", "-o", dir.file("out"), "-q"])
        // The sample corpus holds deliberately broken members.
        #expect(result.status == 3)
        let report = try JSONSerialization.jsonObject(with: Data(try dir.read("out/report.json"))) as! [String: Any]
        let documents = report["documents"] as! [String: Int]
        #expect(documents["read"] == documents["written"]! + documents["rejected"]! + documents["dropped"]!)
        #expect(documents["written"]! >= 60)
        let part = String(decoding: try dir.read("out/part-00000.jsonl"), as: UTF8.self)
        #expect(part.contains("Николаса Мадуро"), "Cyrillic is written as UTF-8, not escaped")
    }

    /// Compressed parts hold exactly the plain parts' bytes, for any --jobs: two dumps of 6 MB of
    /// records make two parts of two 4 MiB frames or more; a reject goes to the plain rejects.jsonl.
    @Test func compressedPartsDecompressToThePlainParts() throws {
        let dir = TempDir()
        let paragraphs = [Articles.rain, Articles.bridge, Articles.library, Articles.english]
        for dump in 0..<2 {
            var lines: [String] = []
            for n in 0..<1200 {
                let text = (0..<12).map { paragraphs[($0 + n) % 4] }.joined(separator: "\n") + "\nВыпуск \(dump)-\(n)."
                var json = JSONWriter()
                json.beginObject()
                json.key("title"); json.string("Заметка \(n)")
                json.key("text"); json.string(text)
                json.endObject()
                lines.append(String(decoding: json.bytes, as: UTF8.self))
            }
            lines.insert("{not json", at: 600)
            try dir.write("in/dump\(dump).jsonl", lines.joined(separator: "\n") + "\n")
        }
        func run(_ name: String, compression: String, jobs: Int) throws -> (report: [String: Any], parts: [[UInt8]]) {
            try dir.write("\(name).yaml", "stages: [exact_dedup]\noutput: {part_max_records: 1500, compression: \(compression)}\n")
            let result = try CLIRunner.run([
                "run", dir.file("in"), "--pipeline", dir.file("\(name).yaml"), "-o", dir.file(name), "-j", "\(jobs)",
            ])
            #expect(result.status == 3, "\(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(try dir.read("\(name)/report.json"))) as! [String: Any]
            let output = report["output"] as! [String: Any]
            let codec = PartCompression.Codec(rawValue: compression)!
            var parts: [[UInt8]] = []
            var onDisk = 0
            for part in output["parts"] as! [String] {
                #expect(part.hasSuffix(codec.fileExtension))
                let bytes = try dir.read("\(name)/\(part)")
                onDisk += bytes.count
                let frames = try PartCompressionTests.frames(bytes, codec)
                if codec != .none {
                    #expect(frames.count >= 2)
                    #expect(frames.dropLast().allSatisfy { $0.count >= PartWriter.defaultFrameBytes })
                }
                parts.append(frames.reduce(into: []) { $0 += $1 })
            }
            #expect(output["compression"] as? String == compression)
            #expect(output["compressed_bytes"] as? Int == onDisk)
            #expect(output["bytes"] as? Int == parts.reduce(0) { $0 + $1.count })
            if codec != .none {
                #expect(onDisk * 3 < parts.reduce(0) { $0 + $1.count })
                #expect(result.stderr.contains("\(compression): "), "\(result.stderr)")
            }
            #expect(String(decoding: try dir.read("\(name)/rejects.jsonl"), as: UTF8.self).contains("json_invalid"))
            return (report, parts)
        }
        let plain = try run("plain", compression: "none", jobs: 2)
        #expect(plain.parts.count == 2)
        for compression in ["zstd", "gzip"] {
            for jobs in [1, 2] {
                let packed = try run("\(compression)-j\(jobs)", compression: compression, jobs: jobs)
                #expect(packed.parts.count == plain.parts.count)
                // Compared by hash: a failing == over megabytes makes the test library's diff take forever.
                let hash = { (bytes: [UInt8]) in bytes.withUnsafeBytes { Hash128.murmur3($0) } }
                #expect(packed.parts.map(hash) == plain.parts.map(hash), "\(compression) -j \(jobs)")
                #expect(try dir.read("\(compression)-j\(jobs)/rejects.jsonl") == dir.read("plain/rejects.jsonl"))
            }
        }
        #expect(try dir.read("zstd-j1/part-00000.jsonl.zst") == dir.read("zstd-j2/part-00000.jsonl.zst"))
        #expect(try dir.read("gzip-j1/part-00001.jsonl.gz") == dir.read("gzip-j2/part-00001.jsonl.gz"))
    }
}
