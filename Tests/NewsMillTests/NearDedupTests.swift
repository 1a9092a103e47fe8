import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Articles made for these tests: paragraphs of pseudo-random Russian words from a seed, so that
/// reprints with known edits can be built and their Jaccard similarity is predictable.
enum Reprints {
    static let vocabulary =
        ("власти города сообщили что новый мост через реку откроют осенью после ремонта дороги "
        + "жители района давно ждали решения проблемы по словам мэра работы идут по графику а стоимость проекта "
        + "составит миллиард рублей эксперты считают что движение станет свободнее однако часть водителей "
        + "недовольна ограничениями во время стройки в администрации обещали открыть объезд уже в следующем месяце").split(separator: " ")
        .map(String.init)

    static func article(seed: UInt64, paragraphs: Int = 6, words: Int = 40) -> [String] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<paragraphs).map { _ in
            (0..<words).map { _ -> String in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return vocabulary[Int(state >> 33) % vocabulary.count]
            }.joined(separator: " ").capitalizedFirst + "."
        }
    }

    static func text(_ paragraphs: [String]) -> String { paragraphs.joined(separator: "\n\n") }

    static func jaccard(_ a: String, _ b: String) -> Double {
        let x = Shingles.hashes(of: a, size: 5), y = Shingles.hashes(of: b, size: 5)
        return x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { Shingles.jaccard(p, $0) } }
    }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

@Suite struct ShingleTests {
    @Test func wordsAreWhatPythonFindsLowerCased() {
        // Same words, other case, punctuation, spacing and a BOM: the same shingles.
        let a = Shingles.hashes(of: "Привет, мир! Hello_world 2019 года — ЁЛКА", size: 2)
        let b = Shingles.hashes(of: "\u{FEFF}привет мир hello_world\n2019   ГОДА «ёлка»", size: 2)
        #expect(a == b)
        #expect(a.count == 5)
        // A combining accent separates words, as \w does not match it.
        #expect(Shingles.hashes(of: "сро\u{301}чно", size: 1).count == 2)
    }

    @Test func shortTextsHaveOneShingleAndEmptyNone() {
        #expect(Shingles.hashes(of: "три слова тут", size: 5).count == 1)
        #expect(Shingles.hashes(of: " ,. — ", size: 5).isEmpty)
    }

    @Test func jaccardOfSortedSets() {
        let a: [UInt32] = [1, 2, 3, 4], b: [UInt32] = [3, 4, 5, 6, 7, 8]
        let j = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { Shingles.jaccard(x, $0) } }
        #expect(j == 2.0 / 8.0)
    }
}

@Suite struct MinHashTests {
    /// Two sets of 2,000 shingle hashes (mixed, as `Shingles` makes them) sharing `common`.
    static func pair(common: Int, seed: UInt32) -> ([UInt32], [UInt32]) {
        func hash(_ x: UInt32, _ salt: UInt64) -> UInt32 {
            UInt32(truncatingIfNeeded: Shingles.mix(UInt64(x) | salt << 32 | UInt64(seed) << 40) >> 32)
        }
        let shared = (0..<UInt32(common)).map { hash($0, 1) }
        let onlyA = (0..<UInt32(2000 - common)).map { hash($0, 2) }
        let onlyB = (0..<UInt32(2000 - common)).map { hash($0, 3) }
        return ((shared + onlyA).sorted(), (shared + onlyB).sorted())
    }

    @Test(arguments: [0.2, 0.5, 0.8, 0.95])
    func binsAgreeAsOftenAsTheSetsOverlap(jaccard: Double) {
        // J = c / (4000 - c)  =>  c = 4000 J / (1 + J)
        let common = Int((4000 * jaccard / (1 + jaccard)).rounded())
        let minHash = MinHash(bands: 64, rows: 8)  // 512 bins
        var agree = 0, total = 0
        for seed in 0..<8 as Range<UInt32> {
            let (a, b) = Self.pair(common: common, seed: seed &* 7_919)
            let sa = minHash.signature(a), sb = minHash.signature(b)
            agree += zip(sa, sb).filter { $0 == $1 }.count
            total += sa.count
        }
        let estimate = Double(agree) / Double(total)
        #expect(abs(estimate - jaccard) < 0.03, "J \(jaccard): bins agree \(estimate)")
    }

    @Test func bandCollisionsFollowTheLSHCurve() {
        let minHash = MinHash(bands: 16, rows: 4)
        #expect(minHash.candidateProbability(0.8) > 0.999)
        for (jaccard, trials) in [(0.8, 200), (0.4, 400)] {
            let common = Int((4000 * jaccard / (1 + jaccard)).rounded())
            var collided = 0
            for seed in 0..<UInt32(trials) {
                let (a, b) = Self.pair(common: common, seed: seed &* 104_729 &+ 17)
                let ba = minHash.bandHashes(minHash.signature(a)), bb = minHash.bandHashes(minHash.signature(b))
                if zip(ba, bb).contains(where: { $0 == $1 }) { collided += 1 }
            }
            let expected = minHash.candidateProbability(jaccard)
            let observed = Double(collided) / Double(trials)
            #expect(abs(observed - expected) < 0.08, "J \(jaccard): candidates \(observed), expected \(expected)")
        }
    }
}

@Suite struct NearDedupTests {
    private func document(_ name: String, _ text: String) -> Document {
        Document(origin: Origin(archive: nil, member: name), format: .txt, sourceBytes: text.utf8.count, encoding: "utf-8", text: text)
    }

    /// Runs exact and near dedup over texts in order, through the engine.
    private func run(_ texts: [(String, String)], threshold: Double = 0.8, bands: Int = 16, rows: Int = 4) throws -> [Document] {
        let sink = ArraySink()
        _ = try Engine.run(
            stages: [ExactDedupStage(), NearDedupStage(threshold: threshold, bands: bands, rows: rows)],
            source: ArraySource(texts.map { document($0, $1) }), sink: sink, jobs: 2)
        return sink.documents
    }

    @Test func theThresholdDecidesByExactJaccard() throws {
        let base = Reprints.article(seed: 1, paragraphs: 10)
        // Replace paragraphs until the similarity falls just below / stays just above 0.8.
        var close = base, far = base
        close[9] = Reprints.article(seed: 99, paragraphs: 1)[0]
        far[8] = Reprints.article(seed: 98, paragraphs: 1)[0]
        far[9] = Reprints.article(seed: 97, paragraphs: 1)[0]
        far[7] = Reprints.article(seed: 96, paragraphs: 1)[0]
        let jClose = Reprints.jaccard(Reprints.text(base), Reprints.text(close))
        let jFar = Reprints.jaccard(Reprints.text(base), Reprints.text(far))
        #expect(jClose >= 0.8 && jFar < 0.8, "\(jClose) \(jFar)")
        let docs = try run([("a.txt", Reprints.text(base)), ("b.txt", Reprints.text(close)), ("c.txt", Reprints.text(far))])
        #expect(docs[1].dedup?.status == .near)
        #expect(docs[1].dedup?.of == docs[0].id)
        #expect(docs[1].dedup?.similarity == (jClose * 10_000).rounded() / 10_000)
        #expect(
            docs[2].dedup?.status == .unique || docs[2].dedup?.of == docs[1].id,
            "c is below the threshold to a; it may only be linked to b if it is close enough to b")
        let cToB = Reprints.jaccard(Reprints.text(close), Reprints.text(far))
        #expect((docs[2].dedup?.status == .near) == (cToB >= 0.8))
    }

    @Test func clustersAreChainsWithTheEarliestAsCanonical() throws {
        // a → b → c: c is near b but not near a; all three are one cluster, canonical a.
        let a = Reprints.article(seed: 5, paragraphs: 20)
        var b = a
        b[19] = Reprints.article(seed: 50, paragraphs: 1)[0]
        var c = b
        c[18] = Reprints.article(seed: 51, paragraphs: 1)[0]
        c[0] = Reprints.article(seed: 52, paragraphs: 1)[0]
        #expect(Reprints.jaccard(Reprints.text(a), Reprints.text(c)) < 0.8)
        #expect(Reprints.jaccard(Reprints.text(b), Reprints.text(c)) >= 0.8)
        let docs = try run([
            ("1.txt", Reprints.text(a)), ("2.txt", Reprints.text(b)), ("3.txt", Reprints.text(c)),
            ("4.txt", Reprints.text(a)),
        ])
        #expect(docs.map { $0.dedup!.cluster } == Array(repeating: docs[0].id, count: 4))
        #expect(docs[2].dedup?.of == docs[1].id)
        #expect(docs[3].dedup?.status == .exact)
        #expect(docs[3].dedup?.of == docs[0].id)
    }

    @Test func aDocumentJoiningTwoClustersNamesTheMerge() throws {
        // x and y are apart; z takes half of each and is near both at a threshold of 0.3.
        let x = Reprints.article(seed: 7, paragraphs: 10), y = Reprints.article(seed: 8, paragraphs: 10)
        let z = Array(x[0..<5]) + Array(y[0..<5])
        #expect(Reprints.jaccard(Reprints.text(x), Reprints.text(y)) < 0.05)
        #expect(Reprints.jaccard(Reprints.text(x), Reprints.text(z)) > 0.3)
        let docs = try run(
            [("x.txt", Reprints.text(x)), ("y.txt", Reprints.text(y)), ("z.txt", Reprints.text(z))],
            threshold: 0.3, bands: 32, rows: 1)
        #expect(docs[0].dedup?.status == .unique && docs[1].dedup?.status == .unique)
        #expect(docs[2].dedup?.status == .near)
        #expect(docs[2].dedup?.cluster == docs[0].id)
        #expect(docs[2].dedup?.merges == [docs[1].id])
    }
}

/// Near dedup through the command line: determinism, drop mode, state across runs.
@Suite struct NearDedupCLITests {
    /// 40 stories and 60 reprints (a paragraph replaced, a footer added, paragraphs cut).
    static func writeCorpus(_ dir: TempDir, folder: String, stories: Range<UInt64>) throws {
        for story in stories {
            let base = Reprints.article(seed: story, paragraphs: 10)
            try dir.write("\(folder)/s\(story)-0.txt", Reprints.text(base))
            var edited = base
            edited[4] = Reprints.article(seed: story + 1_000, paragraphs: 1)[0]
            try dir.write("\(folder)/s\(story)-1.txt", Reprints.text(edited) + "\n\nЧитайте также: другие новости")
            if story % 2 == 0 {
                try dir.write("\(folder)/s\(story)-2.txt", Reprints.text(Array(base[0...8])))
            }
        }
    }

    static let pipeline = "stages: [normalize, boilerplate, exact_dedup, {near_dedup: {threshold: 0.8}}]\n"

    private func records(_ dir: TempDir, _ out: String) throws -> [[String: Any]] {
        let lines = String(decoding: try dir.read("\(out)/part-00000.jsonl"), as: UTF8.self).split(separator: "\n")
        return try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    private func member(_ record: [String: Any]) -> String {
        ((record["source"] as! [String: Any])["member"] as! String).split(separator: "/").last.map(String.init)!
    }

    @Test func linksReprintsTheSameForAnyJobCount() throws {
        let dir = TempDir()
        try Self.writeCorpus(dir, folder: "in", stories: 0..<40)
        try dir.write("near.yaml", Self.pipeline)
        for jobs in ["1", "4"] {
            let result = try CLIRunner.run([
                "run", dir.file("in"), "-o", dir.file("out\(jobs)"), "-q", "-j", jobs, "--pipeline", dir.file("near.yaml"),
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try dir.read("out1/part-00000.jsonl") == dir.read("out4/part-00000.jsonl"))
        let records = try records(dir, "out1")
        #expect(records.count == 100)
        let byMember = Dictionary(uniqueKeysWithValues: records.map { (member($0), $0) })
        for story in 0..<40 {
            let original = byMember["s\(story)-0.txt"]!
            let reprint = (byMember["s\(story)-1.txt"]!["dedup"] as! [String: Any])
            #expect(reprint["status"] as? String == "near")
            #expect(reprint["cluster"] as? String == original["id"] as? String)
        }
        let report = try JSONSerialization.jsonObject(with: Data(try dir.read("out1/report.json"))) as! [String: Any]
        #expect((report["dedup"] as! [String: Int])["near"] == 60)

        try dir.write("drop.yaml", "stages: [normalize, boilerplate, exact_dedup, {near_dedup: {mode: drop}}]\n")
        let dropped = try CLIRunner.run(["run", dir.file("in"), "-o", dir.file("dropped"), "-q", "--pipeline", dir.file("drop.yaml")])
        #expect(dropped.status == 0)
        #expect(try self.records(dir, "dropped").count == 40)
        let droppedReport = try JSONSerialization.jsonObject(with: Data(try dir.read("dropped/report.json"))) as! [String: Any]
        #expect((droppedReport["dropped"] as! [String: Int])["near_duplicate"] == 60)
    }

    @Test func aSecondRunLinksReprintsToTheFirstRunsDocuments() throws {
        let dir = TempDir()
        // Night 1: the originals of stories 0..<20. Night 2: their reprints and 10 new stories.
        for story: UInt64 in 0..<20 {
            try dir.write("night1/s\(story)-0.txt", Reprints.text(Reprints.article(seed: story, paragraphs: 10)))
        }
        try Self.writeCorpus(dir, folder: "all", stories: 0..<30)
        for story: UInt64 in 0..<30 {
            for variant in 0...2 where story >= 20 || variant > 0 {
                let name = "s\(story)-\(variant).txt"
                if let data = try? dir.read("all/\(name)") { try dir.write("night2/\(name)", bytes: data) }
            }
        }
        try dir.write("near.yaml", Self.pipeline)
        let state = dir.file("state")
        let first = try CLIRunner.run([
            "run", dir.file("night1"), "-o", dir.file("out1"), "-q", "--state", state, "--pipeline", dir.file("near.yaml"),
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CLIRunner.run([
            "run", dir.file("night2"), "-o", dir.file("out2"), "-q", "--state", state, "--pipeline", dir.file("near.yaml"),
        ])
        #expect(second.status == 0, "\(second.stderr)")
        let night1 = Dictionary(uniqueKeysWithValues: try records(dir, "out1").map { (member($0), $0["id"] as! String) })
        for record in try records(dir, "out2") {
            let name = member(record), dedup = record["dedup"] as! [String: Any]
            let story = name.dropFirst().prefix { $0 != "-" }
            if let original = night1["s\(story)-0.txt"] {
                #expect(dedup["cluster"] as? String == original, "\(name) links to last night's s\(story)-0")
                #expect(dedup["status"] as? String == "near")
            } else if name.hasSuffix("-0.txt") {
                #expect(dedup["status"] as? String == "unique")
            }
        }
        let stats = try CLIRunner.run(["state", "stats", state])
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("2 runs committed"))
        #expect(stats.stdout.contains("near_dedup: 75 documents"))
    }

    @Test func aKilledRunLeavesTheStateUsable() throws {
        let dir = TempDir()
        try Self.writeCorpus(dir, folder: "a", stories: 0..<10)
        try Self.writeCorpus(dir, folder: "b", stories: 10..<20)
        try dir.write("near.yaml", Self.pipeline)
        let run = { (input: String, out: String, state: String) throws -> CLIRunner.Result in
            try CLIRunner.run([
                "run", dir.file(input), "-o", dir.file(out), "-q", "--state", dir.file(state), "--pipeline", dir.file("near.yaml"),
            ])
        }
        #expect(try run("a", "clean-a", "clean").status == 0)
        #expect(try run("b", "clean-b", "clean").status == 0)

        #expect(try run("a", "out-a", "state").status == 0)
        // What a run killed half-way leaves: data appended past the committed lengths, a manifest
        // half written to its temporary name, no new state.json.
        for file in ["near_dedup.shingles.bin", "near_dedup.documents.bin", "near_dedup.bands.bin", "exact_dedup.hashes.bin"] {
            let handle = FileHandle(forWritingAtPath: dir.file("state/\(file)"))!
            handle.seekToEndOfFile()
            handle.write(Data(repeating: 0xAB, count: 1_000))
            handle.closeFile()
        }
        try dir.write("state/.state.json.tmp", "{\"format\": \"newsmill-st")
        #expect(try run("b", "out-b", "state").status == 0)
        #expect(try dir.read("out-b/part-00000.jsonl") == dir.read("clean-b/part-00000.jsonl"))
    }

    @Test func aDamagedOrForeignStateIsAClearError() throws {
        let dir = TempDir()
        try Self.writeCorpus(dir, folder: "a", stories: 0..<3)
        try dir.write("near.yaml", Self.pipeline)
        let run = { (pipeline: String) throws -> CLIRunner.Result in
            try CLIRunner.run(["run", dir.file("a"), "-o", dir.file("out"), "-q", "--state", dir.file("state"), "--pipeline", pipeline])
        }
        #expect(try run(dir.file("near.yaml")).status == 0)
        let manifest = String(decoding: try dir.read("state/state.json"), as: UTF8.self)

        // A data file shorter than the manifest says.
        let shingles = try dir.read("state/near_dedup.shingles.bin")
        try dir.write("state/near_dedup.shingles.bin", bytes: Array(shingles.prefix(shingles.count / 2)))
        let truncated = try run(dir.file("near.yaml"))
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("is damaged: near_dedup.shingles.bin (section near_dedup) has"))
        try dir.write("state/near_dedup.shingles.bin", bytes: shingles)

        try dir.write("state/state.json", manifest.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 7"))
        let future = try run(dir.file("near.yaml"))
        #expect(future.status == 1)
        #expect(future.stderr.contains("has state version 7; this NewsMill reads version 1"))

        try dir.write("state/state.json", "{not json")
        let garbled = try run(dir.file("near.yaml"))
        #expect(garbled.status == 1 && garbled.stderr.contains("is damaged: state.json cannot be read"))

        try dir.write("state/state.json", manifest)
        try dir.write("other.yaml", "stages: [normalize, exact_dedup, {near_dedup: {bands: 20}}]\n")
        let other = try run(dir.file("other.yaml"))
        #expect(other.status == 1 && other.stderr.contains("holds near_dedup signatures made with bands 16, rows 4, shingle 5"))
        #expect(try run(dir.file("near.yaml")).status == 0, "the intact state still works")
    }
}
