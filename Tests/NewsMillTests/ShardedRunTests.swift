import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

@Suite struct ShardPlanTests {
    static func loads(_ plan: ShardPlan, _ sizes: [Int64]) -> [Double] {
        plan.pieces.map { $0.reduce(0) { $0 + Double(sizes[$1.file]) * Double($1.count) / Double($1.modulus) } }
    }

    @Test func everyUnitOnceInPlanOrderAndEvenInBytes() {
        let sizes: [Int64] = [100, 5_000, 120, 80, 900, 60, 3_000, 10]
        for shards in [1, 2, 3, 4, 7, 20] {
            let plan = ShardPlan(files: sizes, shards: shards)
            let pieces = plan.pieces.flatMap { $0 }
            // Taken in shard order, the pieces are in the order of the plan.
            #expect(pieces.map { [$0.file, $0.first] } == pieces.map { [$0.file, $0.first] }.sorted { $0.lexicographicallyPrecedes($1) })
            for file in sizes.indices {
                let shared = pieces.filter { $0.file == file }
                // Every unit number is taken by exactly one piece, each piece in a shard of its own.
                for unit in 0..<60 { #expect(shared.filter { $0.takes(unit: unit) }.count == 1, "file \(file), unit \(unit)") }
                #expect(plan.pieces.filter { $0.contains { $0.file == file } }.count == shared.count)
            }
            // Shares are even to a twentieth of the largest input.
            let share = Double(sizes.reduce(0, +)) / Double(shards)
            for load in Self.loads(plan, sizes) {
                #expect(abs(load - share) <= 5_000 / 20 + 1, "\(shards) shards: \(Self.loads(plan, sizes))")
            }
        }
    }

    @Test func inputsAreSharedOnlyWhereACutFallsInThem() {
        // Five equal inputs over four shards: without slices one shard would get two (1.6 shares).
        let five = ShardPlan(files: [100, 100, 100, 100, 100], shards: 4)
        #expect(Self.loads(five, [100, 100, 100, 100, 100]) == [125, 125, 125, 125])
        let plan = ShardPlan(files: [10, 1_000, 10], shards: 4)
        #expect(plan.pieces.flatMap { $0 }.filter { $0.file == 1 }.count == 4)
        #expect(plan.pieces.flatMap { $0 }.filter { $0.file != 1 }.allSatisfy { $0.isWhole })
        // Empty inputs: one piece each, in the first shard; the other shards have nothing to do.
        #expect(ShardPlan(files: [0, 0], shards: 3).pieces.map(\.count) == [2, 0, 0])
    }
}

/// `newsmill run --shards N` against `newsmill run`: the same part files, rejects and counts, for
/// several N, with an archive split across shards, bad members, a missing input, compression and
/// several part files, and a state folder over two nights.
@Suite struct ShardedRunTests {
    static func drop(_ dir: TempDir) throws {
        try dir.makeFolder("drop")
        // Stories 0-599, then exact reprints of some and reprints with a paragraph added (near).
        var big: [ArchiveBuilder.Member] = (0..<900).map { i in
            var article = Reprints.article(seed: UInt64(i % 600), paragraphs: 5)
            if i >= 750 { article.append(contentsOf: Reprints.article(seed: UInt64(10_000 + i), paragraphs: 1, words: 12)) }
            return ArchiveBuilder.Member("big/\(i).txt", Reprints.text(article))
        }
        big.append(ArchiveBuilder.Member("big/binary.txt", bytes: [0x00, 0x01, 0x02, 0x00] + Array(repeating: UInt8(0), count: 64)))
        try ArchiveBuilder.write(big, format: .tarGz, to: dir.file("drop/a-big.tar.gz"))
        let small = (0..<40).map { i in
            ArchiveBuilder.Member("s/\(i).txt", Reprints.text(Reprints.article(seed: UInt64(500 + i), paragraphs: 2)))
        }
        try ArchiveBuilder.write(small, format: .zip, to: dir.file("drop/b-small.zip"))
        let dump = (0..<300).map { i in
            #"{"title": "Заметка \#(i)", "text": "\#(Reprints.text(Reprints.article(seed: UInt64(i % 250 + 700), paragraphs: 2)).replacingOccurrences(of: "\n", with: "\\n"))"}"#
        }.joined(separator: "\n")
        try dir.write("drop/c-dump.jsonl", dump + "\n{not json\n")
        try dir.write("drop/d-broken.tar.gz", "this is not an archive")
    }

    static func run(_ dir: TempDir, _ name: String, _ extra: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(["run", dir.file("drop"), dir.file("missing.zip"), "-o", dir.file(name), "-q", "-j", "2"] + extra)
    }

    static func same(_ dir: TempDir, _ a: String, _ b: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.file(a)).filter { $0 != "report.json" && $0 != "_SUCCESS" }
            .sorted()
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.file(b)).filter { $0 != "report.json" && $0 != "_SUCCESS" }.sorted()
                == files)
        for file in files { #expect(try dir.read("\(a)/\(file)") == dir.read("\(b)/\(file)"), "\(b)/\(file)") }
        // The report's counts are the same; only times differ.
        func counts(_ name: String) throws -> JSONValue {
            var report = try JSONParser.parse(dir.read("\(name)/report.json"))
            if case .object(let members) = report { report = .object(members.filter { !["timing", "jobs", "pipeline"].contains($0.key) }) }
            return report
        }
        let (left, right) = (try counts(a), try counts(b))
        #expect(left == right, "\(b)/report.json: \(left.pretty()) \(right.pretty())")
    }

    @Test func shardedRunsWriteWhatOneProcessWrites() throws {
        let dir = TempDir()
        try Self.drop(dir)
        try dir.write(
            "p.yaml",
            "version: 1\nstages: [normalize, lead, stats, exact_dedup, near_dedup]\noutput:\n  part_max_records: 250\n  compression: zstd\n"
        )
        let pipeline = ["--pipeline", dir.file("p.yaml")]
        let reference = try Self.run(dir, "ref", pipeline)
        #expect(reference.status == 3, "rejects: \(reference.stderr)")
        let report = try JSONParser.parse(dir.read("ref/report.json"))
        #expect((report["dedup"]?["near"]?.int ?? 0) > 0 && (report["dedup"]?["exact"]?.int ?? 0) > 0)
        #expect({ if case .array(let parts)? = report["output"]?["parts"] { return parts.count } else { return 0 } }() >= 4)
        for shards in [1, 2, 3, 7] {
            let sharded = try Self.run(dir, "s\(shards)", pipeline + ["--shards", "\(shards)"])
            #expect(sharded.status == 3, "\(shards) shards: \(sharded.stderr)")
            try Self.same(dir, "ref", "s\(shards)")
            // The run folder keeps its spec and logs; its data goes once the output is published.
            #expect(!FileManager.default.fileExists(atPath: dir.file(".s\(shards).run/map")))
        }
        let spec = try RunFolder(output: dir.file("s7")).loadSpec()
        #expect(spec.plan.pieces.flatMap { $0 }.contains { !$0.isWhole }, "the big archive is shared by shards")
    }

    @Test func aShardedNightUsesAndLeavesTheStateAsOneProcessDoes() throws {
        let dir = TempDir()
        try Self.drop(dir)
        for (night, extra) in [("1", [String]()), ("2", ["--rerun", "**/b-small.zip"])] {
            #expect(try Self.run(dir, "ref-\(night)", ["--state", dir.file("ref-state")] + extra).status == 3)
            #expect(try Self.run(dir, "sh-\(night)", ["--state", dir.file("sh-state"), "--shards", "3"] + extra).status == 3)
            try Self.same(dir, "ref-\(night)", "sh-\(night)")
            for file in [
                "exact_dedup.hashes.bin", "near_dedup.documents.bin", "near_dedup.shingles.bin", "near_dedup.bands.bin",
                "near_dedup.links.bin",
                "ledger.inputs.jsonl",
            ] {
                #expect(try dir.read("ref-state/\(file)") == dir.read("sh-state/\(file)"), "night \(night): \(file)")
            }
        }
        // A sharded night that fails is a line of the history too, and leaves the rest of the state alone.
        let ledger = try dir.read("sh-state/ledger.inputs.jsonl")
        try dir.write("blocker", "a file where the output's folder should be")
        let failed = try CLIRunner.run([
            "run", dir.file("drop"), "-o", dir.file("blocker/out"), "-q", "--state", dir.file("sh-state"), "--shards", "2",
        ])
        #expect(failed.status != 0 && failed.status != 3, "\(failed.stderr)")
        #expect(try dir.read("sh-state/ledger.inputs.jsonl") == ledger)
        let history = String(decoding: try dir.read("sh-state/runs.history.jsonl"), as: UTF8.self).split(separator: "\n")
        #expect(history.count == 3)
        #expect(try JSONParser.parse(Array(history[2].utf8))["status"]?.string == "failed")
        let second = try JSONParser.parse(dir.read("sh-2/report.json"))
        #expect(second["inputs"]?["ledger"]?["forced"]?.int == 1)
    }

    @Test func tasksRunTwiceDoNothingAndFailedOnesAreRedone() throws {
        let dir = TempDir()
        try Self.drop(dir)
        #expect(try Self.run(dir, "ref", []).status == 3)
        let config = try PipelineConfig.load(path: "\(CLIRunner.packageRoot)/Pipelines/default.yaml")
        let folder = try ShardedRun.prepare(
            config: config, options: RunOptions(inputs: [dir.file("drop"), dir.file("missing.zip")], output: dir.file("out"), jobs: 2),
            shards: 2)
        let submission = SlurmSubmission(folder: folder)
        #expect(try submission.remaining().map(\.phase) == [.map, .sequence, .write, .finish])
        #expect(try MapTask.run(folder: folder, task: 0))
        #expect(try !MapTask.run(folder: folder, task: 0), "a finished task is not redone")
        #expect(try submission.remaining().first?.tasks == [1])
        // A task that died half way left only its temporary folder: it runs again from the start.
        try dir.makeFolder(".out.run/map/00001.partial")
        try dir.write(".out.run/map/00001.partial/records.bin", "half")
        #expect(throws: RunFailure.self) { try SequenceTask.run(folder: folder) }
        #expect(try MapTask.run(folder: folder, task: 1))
        #expect(try SequenceTask.run(folder: folder))
        #expect(try WriteTask.run(folder: folder, task: 0) >= 1)
        #expect(try WriteTask.run(folder: folder, task: 1) == 0)
        #expect(try submission.remaining().map(\.phase) == [.finish])
        _ = try FinishTask.run(folder: folder)
        #expect(try submission.remaining().isEmpty)
        try Self.same(dir, "ref", "out")
    }

    /// The state's new data waits in its files between the sequence and finish tasks; a run that
    /// opened the state in between cut it off, and finish refuses to commit lengths the files lack.
    @Test func finishRefusesAStateCutBackInBetween() throws {
        let dir = TempDir()
        try Self.drop(dir)
        try dir.write("p.yaml", "version: 1\nstages: [normalize, exact_dedup, near_dedup]\n")
        let config = try PipelineConfig.load(path: dir.file("p.yaml"))
        let folder = try ShardedRun.prepare(
            config: config, options: RunOptions(inputs: [dir.file("drop")], output: dir.file("out"), jobs: 1, state: dir.file("state")),
            shards: 2)
        for task in 0..<2 { try MapTask.run(folder: folder, task: task) }
        try SequenceTask.run(folder: folder)
        for task in 0..<2 { try WriteTask.run(folder: folder, task: task) }
        #expect(truncate(dir.file("state/near_dedup.shingles.bin"), 0) == 0)
        let error = #expect(throws: RunFailure.self) { try FinishTask.run(folder: folder) }
        #expect(error?.message.contains("shorter than the sequence task left it") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")), "nothing published")
    }
}
