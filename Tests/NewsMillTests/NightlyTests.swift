import Foundation
import Glibc
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// Nightly runs over a growing drop folder: the input ledger, the run history, the locks.
@Suite struct InputLedgerTests {
    @Test func digestIsTheSHA256OfTheFileHoweverItWasRead() throws {
        let dir = TempDir()
        try dir.write("abc", "abc")
        #expect(InputDigest.of(file: dir.file("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Bytes seen out of order, twice, or not at all are read again at the end.
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try dir.write("big", bytes: bytes)
        let whole = InputDigest.of(file: dir.file("big"))
        let digest = InputDigest(path: dir.file("big"))
        bytes.withUnsafeBytes { raw in
            digest.didRead(UnsafeRawBufferPointer(rebasing: raw[200_000..<250_000]), at: 200_000)
            digest.didRead(UnsafeRawBufferPointer(rebasing: raw[0..<100_000]), at: 0)
            digest.didRead(UnsafeRawBufferPointer(rebasing: raw[50_000..<120_000]), at: 50_000)
        }
        #expect(digest.finish() == whole)
    }

    @Test(arguments: [(ArchiveBuilder.Format.tarGz, "tar.gz"), (.zip, "zip"), (.sevenZip, "7z"), (.tar, "tar")])
    func archivesAreHashedWhileTheyAreRead(format: ArchiveBuilder.Format, ext: String) throws {
        let dir = TempDir()
        let members: [ArchiveBuilder.Member] = [
            .init("a.txt", Articles.rain), .init("skip.bin", String(repeating: "x", count: 200_000)), .init("b.txt", Articles.bridge),
        ]
        try dir.makeFolder("in")
        try ArchiveBuilder.write(members, format: format, to: dir.file("in/archive.\(ext)"))
        let plan = InputPlan.expand([dir.file("in")])
        let source = ArchiveSource(plan: plan, options: InputOptions())
        let stats = source.read(progress: ProgressCounter()) { _ in }
        #expect(stats.digests[dir.file("in/archive.\(ext)")] == InputDigest.of(file: dir.file("in/archive.\(ext)")))
    }

    @Test func decidesNewChangedUnchangedRenamedAndForced() throws {
        let dir = TempDir()
        try decideAndCommit(state: dir.file("state"))
        // Committed, the ledger is there for the next run; lines not committed are not.
        let again = try InputLedger(state: StateFolder(path: dir.file("state")))
        #expect(again.entries.map(\.path) == ["/d/a"])
    }

    private func decideAndCommit(state path: String) throws {
        let state = try StateFolder(path: path)
        let ledger = try InputLedger(state: state)
        var digests = 0
        func decide(_ path: String, _ size: Int64, _ modified: Int64, _ sha: String, forced: Bool = false) -> InputLedger.Decision {
            ledger.decide(path: path, size: size, modified: modified, forced: forced) {
                digests += 1
                return sha
            }
        }
        #expect(decide("/d/a", 10, 1, "A") == .new(sha256: nil))
        #expect(digests == 0, "a size never seen cannot be a rename: no read")
        ledger.record(.init(path: "/d/a", size: 10, modified: 1, sha256: "A", run: 1, how: .taken))
        #expect(decide("/d/a", 10, 1, "A") == .unchanged(sha256: nil))
        #expect(digests == 0, "same size and time: not read")
        #expect(decide("/d/a", 10, 2, "A") == .unchanged(sha256: "A"), "touched: read, same content")
        #expect(decide("/d/a", 10, 2, "B") == .changed(sha256: "B"))
        #expect(decide("/d/b", 10, 5, "A") == .renamed(from: "/d/a", sha256: "A"))
        #expect(decide("/d/c", 10, 5, "C") == .new(sha256: "C"))
        #expect(decide("/d/a", 10, 1, "A", forced: true) == .forced)
        try ledger.stage(in: state)
        try state.commit()
        ledger.record(.init(path: "/d/z", size: 1, modified: 1, sha256: "Z", run: 2, how: .taken))
        try ledger.stage(in: state)
    }
}

@Suite struct NightlyRunTests {
    func run(_ dir: TempDir, _ output: String, _ extra: [String] = []) throws -> CLIRunner.Result {
        try CLIRunner.run(["run", dir.file("drop"), "-o", dir.file(output), "--state", dir.file("state"), "-q", "-j", "2"] + extra)
    }

    func report(_ dir: TempDir, _ output: String) throws -> JSONValue {
        try JSONParser.parse(dir.read("\(output)/report.json"))
    }

    @Test func takesOnlyWhatIsNewAndSaysSo() throws {
        let dir = TempDir()
        try dir.makeFolder("drop")
        try ArchiveBuilder.write([.init("a.txt", Articles.rain)], format: .tarGz, to: dir.file("drop/1.tar.gz"))
        try ArchiveBuilder.write([.init("b.txt", Articles.bridge)], format: .zip, to: dir.file("drop/2.zip"))
        let first = try run(dir, "night1")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try report(dir, "night1")["inputs"]?["ledger"]?["new"]?.int == 2)

        // Night 2: nothing new; then a new file, a renamed one and a changed one.
        let second = try run(dir, "night2")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try report(dir, "night2")["documents"]?["read"]?.int == 0)
        #expect(try report(dir, "night2")["inputs"]?["ledger"]?["unchanged"]?.int == 2)

        try ArchiveBuilder.write([.init("c.txt", Articles.library)], format: .tarZst, to: dir.file("drop/3.tar.zst"))
        try FileManager.default.moveItem(atPath: dir.file("drop/2.zip"), toPath: dir.file("drop/2-renamed.zip"))
        try ArchiveBuilder.write(
            [.init("a.txt", Articles.rain), .init("e.txt", Articles.english)], format: .tarGz, to: dir.file("drop/1.tar.gz"))
        let third = try run(dir, "night3")
        #expect(third.status == 0, "\(third.stderr)")
        let ledger = try report(dir, "night3")["inputs"]?["ledger"]
        #expect(ledger?["new"]?.int == 1)
        #expect(ledger?["changed"]?.int == 1)
        #expect(ledger?["renamed"]?.int == 1)
        #expect(try report(dir, "night3")["documents"]?["read"]?.int == 3, "the new file's one and the changed file's two")
        #expect(try report(dir, "night3")["dedup"]?["exact"]?.int == 1, "the changed archive's old article is an exact duplicate")

        // Asked for again, an unchanged input is read.
        let rerun = try run(dir, "night4", ["--rerun", "**/3.tar.zst"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try report(dir, "night4")["inputs"]?["ledger"]?["forced"]?.int == 1)
        #expect(try report(dir, "night4")["documents"]?["read"]?.int == 1)

        let list = try CLIRunner.run(["runs", "list", "--state", dir.file("state")])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").count == 5, "\(list.stdout)")
        let show = try CLIRunner.run(["runs", "show", "3", "--state", dir.file("state")])
        #expect(show.status == 0)
        let shown = try JSONParser.parse(Array(show.stdout.utf8))
        let taken = shown["inputs_taken"].flatMap { value -> [String]? in
            guard case .array(let items) = value else { return nil }
            return items.compactMap { $0["path"]?.string }
        }
        #expect(taken?.map { $0.hasSuffix("/drop/1.tar.gz") || $0.hasSuffix("/drop/3.tar.zst") } == [true, true])
        #expect(shown["inputs_taken"].map { "\($0)".contains(InputDigest.of(file: dir.file("drop/3.tar.zst"))!) } == true)
    }

    @Test func aBusyStateOrOutputIsRefusedWithItsOwnStatus() throws {
        let dir = TempDir()
        try dir.write("drop/a.txt", Articles.rain)
        #expect(try run(dir, "out").status == 0)
        for lockFile in [dir.file("state/lock"), dir.file(".out.lock")] {
            let fd = open(lockFile, O_RDWR)
            #expect(fd >= 0)
            #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
            let refused = try run(dir, "out")
            #expect(refused.status == 75, "\(refused.stderr)")
            #expect(
                refused.stderr.contains("in use by another newsmill run")
                    || refused.stderr.contains("being written by another newsmill run"))
            close(fd)
        }
        #expect(try run(dir, "out").status == 0, "a lock whose holder is gone holds nothing")
    }

    @Test func aFailedRunIsInTheHistoryAndLeavesTheStateAsItWas() throws {
        let dir = TempDir()
        try dir.write("drop/a.txt", Articles.rain)
        try dir.write("file", "not a folder")
        let failed = try CLIRunner.run(["run", dir.file("drop"), "-o", dir.file("file/out"), "--state", dir.file("state"), "-q"])
        #expect(failed.status == 74, "\(failed.stderr)")
        let list = try CLIRunner.run(["runs", "list", "--state", dir.file("state"), "--json"])
        #expect(list.stdout.contains("\"status\":\"failed\""), "\(list.stdout)")
        // The ledger did not move: the next run takes the file.
        #expect(try run(dir, "out").status == 0)
        #expect(try report(dir, "out")["inputs"]?["ledger"]?["new"]?.int == 1)
        #expect(try report(dir, "out")["run"]?.int == 2)
    }
}

/// Killed runs resume from their checkpoint and finish with the output and state an
/// uninterrupted run leaves.
@Suite struct ResumeTests {
    static func documents() -> [Document] {
        (0..<10).flatMap { round in
            EngineInMemoryTests.documents().map { document in
                var copy = document
                copy.origin = Origin(archive: nil, member: "\(round)/\(document.origin.member)")
                return copy
            }
        }
    }

    static func records(_ documents: some Sequence<Document>) -> [String] {
        documents.map { document in
            var json = JSONWriter()
            RecordSerializer.standard.write(document, into: &json)
            return String(decoding: json.bytes, as: UTF8.self)
        }
    }

    @Test func theEngineResumesFromACheckpointInMemory() throws {
        let dir = TempDir()
        let stages = EngineInMemoryTests.stages
        let straight = ArraySink()
        let reference = try Engine.run(
            stages: stages, source: ArraySource(Self.documents()), sink: straight, jobs: 2, state: StateFolder(path: dir.file("a")))

        // A run that checkpoints after every batch; what it saved at its second checkpoint is where
        // the "killed" run stopped. It goes on past it, as a run does until it is killed.
        let interrupted = ArraySink()
        var saved: [(progress: EngineProgress, sections: [String: StateFolder.Section], written: Int)] = []
        do {
            let state = try StateFolder(path: dir.file("b"))
            let checkpoints = Checkpoints(every: 0, resume: nil) { progress in
                saved.append((progress, state.pendingSections, interrupted.documents.count))
            }
            _ = try Engine.run(
                stages: stages, source: ArraySource(Self.documents()), sink: interrupted, jobs: 2, state: state, checkpoints: checkpoints)
        }
        #expect(saved.count >= 3)
        let checkpoint = saved[1]
        #expect(checkpoint.written == checkpoint.progress.written)

        let state = try StateFolder(path: dir.file("b"))
        try state.resume(sections: checkpoint.sections)
        let rest = ArraySink()
        let resumed = try Engine.run(
            stages: stages, source: ArraySource(Self.documents()), sink: rest, jobs: 2, state: state,
            checkpoints: Checkpoints(every: 1e9, resume: checkpoint.progress) { _ in })
        #expect(
            Self.records(interrupted.documents.prefix(checkpoint.written)) + Self.records(rest.documents)
                == Self.records(straight.documents))
        #expect(resumed.documentsRead == reference.documentsRead && resumed.written == reference.written)
        #expect(resumed.stageCounts == reference.stageCounts)
    }

    func drop(_ dir: TempDir) throws {
        try dir.makeFolder("drop")
        let members = (0..<700).map { i in
            ArchiveBuilder.Member("a/\(i).txt", Reprints.text(Reprints.article(seed: UInt64(i % 500), paragraphs: 3)))
        }
        try ArchiveBuilder.write(members, format: .tarGz, to: dir.file("drop/night.tar.gz"))
    }

    func run(_ dir: TempDir, _ name: String, failpoint: String? = nil, pipeline: String? = nil) throws -> CLIRunner.Result {
        try CLIRunner.run(
            [
                "run", dir.file("drop"), "-o", dir.file("\(name)-out"), "--state", dir.file("\(name)-state"), "-q", "-j", "2",
                "--checkpoint-every", "0.000001",
            ] + (pipeline.map { ["--pipeline", $0] } ?? []),
            environment: failpoint.map { ["NEWSMILL_FAILPOINT": $0] } ?? [:])
    }

    func sameResult(_ dir: TempDir, _ a: String, _ b: String) throws {
        for file in ["part-00000.jsonl", "rejects.jsonl", "_SUCCESS"] {
            #expect(FileManager.default.fileExists(atPath: dir.file("\(b)-out/\(file)")), "\(b): \(file)")
        }
        #expect(try dir.read("\(a)-out/part-00000.jsonl") == dir.read("\(b)-out/part-00000.jsonl"), "\(b)")
        for file in [
            "exact_dedup.hashes.bin", "near_dedup.documents.bin", "near_dedup.shingles.bin", "near_dedup.links.bin", "ledger.inputs.jsonl",
        ] {
            #expect(try dir.read("\(a)-state/\(file)") == dir.read("\(b)-state/\(file)"), "\(b): \(file)")
        }
        let history = String(decoding: try dir.read("\(b)-state/runs.history.jsonl"), as: UTF8.self)
        #expect(history.split(separator: "\n").count == 1, "\(b): one run in the history")
    }

    @Test func aKilledRunResumesAndEndsAsAnUninterruptedOne() throws {
        let dir = TempDir()
        try drop(dir)
        #expect(try run(dir, "straight").status == 0)
        for failpoint in ["checkpoint-saved:3", "finished", "committed"] {
            let name = failpoint.replacingOccurrences(of: ":", with: "-")
            let killed = try run(dir, name, failpoint: failpoint)
            #expect(killed.status == SIGKILL, "\(failpoint): killed")
            #expect(!FileManager.default.fileExists(atPath: dir.file("\(name)-out")), "\(failpoint): nothing published yet")
            let again = try run(dir, name)
            #expect(again.status == 0, "\(failpoint): \(again.stderr)")
            try sameResult(dir, "straight", name)
            if failpoint.hasPrefix("checkpoint") {
                let report = try JSONParser.parse(dir.read("\(name)-out/report.json"))
                #expect((report["resumed_after_documents"]?.int ?? 0) > 0)
                #expect(report["documents"]?["read"]?.int == 700)
            }
        }
    }

    /// Compressed parts: the frame still being gathered at a checkpoint is kept beside the part
    /// and gathered again on resume, so the parts come out as from an uninterrupted run.
    @Test(arguments: ["zstd", "gzip"])
    func aKilledRunWithCompressedPartsResumesToTheSameBytes(codec: String) throws {
        let dir = TempDir()
        try drop(dir)
        let pipeline = dir.file("\(codec).yaml")
        try dir.write("\(codec).yaml", "version: 1\nstages: [normalize, exact_dedup, near_dedup]\noutput:\n  compression: \(codec)\n")
        let part = "part-00000.jsonl.\(codec == "zstd" ? "zst" : "gz")"
        #expect(try run(dir, "straight", pipeline: pipeline).status == 0)
        #expect(try run(dir, "killed", failpoint: "checkpoint-saved:4", pipeline: pipeline).status == SIGKILL)
        let staging = try FileManager.default.contentsOfDirectory(atPath: dir.file(".killed-out.partial"))
        #expect(staging.contains { $0.hasPrefix(".pending-frame-") }, "the killed run left its pending frame: \(staging)")
        let again = try run(dir, "killed", pipeline: pipeline)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try dir.read("straight-out/\(part)") == dir.read("killed-out/\(part)"))
        #expect(try dir.read("straight-state/near_dedup.documents.bin") == dir.read("killed-state/near_dedup.documents.bin"))
        let published = try FileManager.default.contentsOfDirectory(atPath: dir.file("killed-out"))
        #expect(published.sorted() == ["_SUCCESS", part, "rejects.jsonl", "report.json"].sorted())
        let report = try JSONParser.parse(dir.read("killed-out/report.json"))
        #expect((report["resumed_after_documents"]?.int ?? 0) > 0)
    }

    @Test func aFullDiskStopsTheRunWithNothingPublishedAndTheStateAsItWas() throws {
        let dir = TempDir()
        try drop(dir)
        // A file size limit makes writes fail as a full disk does (EFBIG instead of ENOSPC).
        let full = try CLIRunner.shell(
            "trap '' XFSZ; ulimit -f 64; exec \"$NEWSMILL\" run \(dir.file("drop")) -o \(dir.file("out")) --state \(dir.file("state")) -q")
        #expect(full.status == 74, "\(full.stderr)")
        #expect(full.stderr.contains("cannot write") && full.stderr.contains(dir.path), "names the path: \(full.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("partial") }.isEmpty)
        let again = try CLIRunner.run(["run", dir.file("drop"), "-o", dir.file("out"), "--state", dir.file("state"), "-q"])
        #expect(again.status == 0, "\(again.stderr)")
        let report = try JSONParser.parse(dir.read("out/report.json"))
        #expect(report["inputs"]?["ledger"]?["new"]?.int == 1, "the failed run took nothing")
        #expect(report["documents"]?["written"]?.int == 700)
    }

    @Test func metricsSayHowTheRunEnded() throws {
        let dir = TempDir()
        try dir.write("in/a.txt", Articles.rain)
        try dir.write("file", "x")
        func run(output: String) throws -> (status: Int32, metrics: String) {
            let result = try CLIRunner.run([
                "run", dir.file("in"), "-o", dir.file(output), "-q", "--metrics-file", dir.file("m.prom"), "--metrics-job", "wire",
            ])
            return (result.status, String(decoding: try dir.read("m.prom"), as: UTF8.self))
        }
        func lastSuccess(_ metrics: String) -> Substring? {
            metrics.split(separator: "\n").first { $0.hasPrefix("newsmill_last_success_timestamp_seconds") }
        }
        let ok = try run(output: "out")
        #expect(ok.status == 0)
        #expect(ok.metrics.contains("newsmill_last_run_success{job=\"wire\"} 1\n"))
        #expect(ok.metrics.contains("newsmill_last_run_documents{job=\"wire\",outcome=\"written\"} 1\n"))
        #expect(ok.metrics.contains("# TYPE newsmill_last_success_timestamp_seconds gauge\n"))
        let failed = try run(output: "file/out")
        #expect(failed.status == 74)
        #expect(failed.metrics.contains("newsmill_last_run_success{job=\"wire\"} 0\n"))
        #expect(failed.metrics.contains("newsmill_last_run_exit_status{job=\"wire\"} 74\n"))
        #expect(lastSuccess(failed.metrics) != nil && lastSuccess(failed.metrics) == lastSuccess(ok.metrics))
    }

    @Test func jsonLogLinesAreOneObjectEach() throws {
        let dir = TempDir()
        try dir.write("in/a.txt", Articles.rain)
        let result = try CLIRunner.run(["run", dir.file("in"), "-o", dir.file("out"), "--log-format", "json"])
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let value = try JSONParser.parse(Array(line.utf8))
            #expect(value["level"]?.string != nil && value["message"]?.string != nil && value["time"]?.string != nil)
        }
        #expect(lines.contains { $0.contains("\"message\":\"run finished\"") && $0.contains("\"written\":1") })
    }
}
