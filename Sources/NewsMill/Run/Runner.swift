import Foundation
import Logging

/// What `newsmill run` is given besides the pipeline config.
public struct RunOptions: Sendable {
    public var inputs: [String]
    public var output: String
    public var jobs: Int
    /// State folder that dedup and the input ledger keep across runs (`--state`); nil: none.
    public var state: String?
    /// Inputs to take again although the ledger has them (`--rerun`): globs over the absolute
    /// path or the path under the input folder.
    public var rerun: [MemberGlob]
    /// Seconds of work between checkpoints, from which the same command resumes a killed run;
    /// 0: none (a killed run starts over).
    public var checkpointEvery: Double
    /// Called about four times a second with the progress so far (TTY progress bar).
    public var onProgress: (@Sendable (ProgressSnapshot) -> Void)?
    /// What the run tells its operator on the way (resumes, restarts, checkpoints at debug level).
    /// A sharded run's tasks (`--shards`) print no line of their own.
    public var quietTasks = false
    public var logger = Logger(label: "newsmill", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(
        inputs: [String], output: String, jobs: Int, state: String? = nil, rerun: [MemberGlob] = [],
        checkpointEvery: Double = 5, onProgress: (@Sendable (ProgressSnapshot) -> Void)? = nil
    ) {
        self.inputs = inputs
        self.output = output
        self.jobs = max(1, jobs)
        self.state = state
        self.rerun = rerun
        self.checkpointEvery = checkpointEvery
        self.onProgress = onProgress
    }
}

/// A run over files: the input plan read as an archive source, JSON Lines part files in an
/// output folder published atomically, report.json beside them, the state folder committed last.
/// With a state folder, the input ledger keeps the run to inputs it has not taken before and the
/// run history records how it ended.
public enum Runner {
    public static func run(config: PipelineConfig, options: RunOptions) throws(RunFailure) -> RunReport {
        let started = Date()
        let statePath = options.state ?? config.state
        var plan = InputPlan.expand(options.inputs, excluding: [options.output] + (statePath.map { [$0] } ?? []))
        // The state is opened (and locked) first: a bad state folder stops the run before any work.
        let stateFolder = try statePath.map { path throws(RunFailure) in try StateFolder(path: path) }
        var nightly: Nightly?
        var staged: OutputDirectory?
        var committed = false
        var completionChecked = false
        do {
            let output = try OutputDirectory(path: options.output)
            staged = output
            let unselected = plan
            let finished = try FinishedRun.complete(output: output, state: stateFolder) {
                RunCheckpoint.fingerprint(config: config, plan: unselected, state: nil, rerun: options.rerun)
            }
            completionChecked = true
            if let finished {
                options.logger.notice(
                    "completed a run that had finished writing when it was stopped: state committed, output published",
                    metadata: ["output": "\(output.path)", "documents": "\(finished.documentsRead)"])
                return finished
            }
            // Opened after the completion above: opening cuts the ledger and history files back
            // to their committed lengths, and a finished run's lines are not committed yet.
            if let stateFolder { nightly = try Nightly(state: stateFolder) }
            if let nightly { plan = nightly.select(plan, rerun: options.rerun) }
            let checkpointing = options.checkpointEvery > 0
            let fingerprint = RunCheckpoint.fingerprint(config: config, plan: plan, state: nightly?.state, rerun: options.rerun)
            let resume = checkpointing ? RunCheckpoint.load(staging: output.staging, fingerprint: fingerprint) : nil
            if let resume {
                options.logger.notice(
                    "resuming a run that was stopped, from its checkpoint",
                    metadata: ["documents_done": "\(resume.progress.documentsRead)", "saved": "\(resume.saved)"])
            } else {
                if FileManager.default.fileExists(atPath: "\(output.staging)/\(RunCheckpoint.file)") {
                    options.logger.notice("a stopped run's checkpoint is for other inputs, config, state or binary: starting over")
                }
                try output.clearStaging()
            }
            // Without a state folder, dedup keeps its state in the staging folder, so that a
            // killed run can resume it; it goes before the output is published.
            let ownState = "\(output.staging)/.state"
            var state = nightly?.state
            if state == nil && checkpointing { state = try StateFolder(path: ownState) }
            if let resume { try state?.resume(sections: resume.sections) }

            let sink: JSONLinesSink
            if let resume {
                sink = try JSONLinesSink(
                    directory: output.staging, partMaxRecords: config.output.partMaxRecords, compression: config.output.compression,
                    threads: options.jobs, serializer: .standard, resumingAt: resume.sink)
            } else {
                sink = try JSONLinesSink(
                    directory: output.staging, partMaxRecords: config.output.partMaxRecords, compression: config.output.compression,
                    threads: options.jobs, serializer: .standard)
            }
            let checkpoints = Checkpoints(every: options.checkpointEvery, resume: resume?.progress) { [state] progress throws(RunFailure) in
                let checkpoint = RunCheckpoint(
                    fingerprint: fingerprint, saved: RunHistory.timestamp(Date()), progress: progress, sink: try sink.position(),
                    sections: state?.pendingSections ?? [:])
                Failpoint.hit("checkpoint")
                try checkpoint.save(staging: output.staging)
                Failpoint.hit("checkpoint-saved")
                options.logger.debug("checkpoint", metadata: ["documents": "\(progress.documentsRead)", "units": "\(progress.units)"])
            }
            var report = try Engine.run(
                stages: config.stages, source: ArchiveSource(plan: plan, options: config.input), sink: sink,
                jobs: options.jobs, state: state, checkpoints: checkpointing ? checkpoints : nil, onProgress: options.onProgress)
            report.pipeline = config.file
            report.dedupStatus = dedupSummary(stages: config.stages, counts: report.stageCounts)
            report.resumedAfter = resume?.progress.documentsRead
            if let nightly {
                report.run = nightly.id
                report.ledger = nightly.counts
            }
            state = nil
            try? FileManager.default.removeItem(atPath: ownState)
            let reportFile = try FileSink(path: "\(output.staging)/report.json")
            try reportFile.write(Array((report.json().pretty() + "\n").utf8))
            try reportFile.close()
            try nightly?.stage(report: report, started: started, output: output.path)
            // The mark first (with what the state commits), then the state, then the output: a
            // run killed anywhere in between is completed by the next, never redone.
            let sections = nightly?.state.pendingSections ?? [:]
            try FinishedRun(
                fingerprint: fingerprint, run: nightly?.id, finished: RunHistory.timestamp(Date()), stateBefore: nightly?.state.identity,
                stateAfter: nightly?.state.identity(with: sections), sections: sections
            ).save(staging: output.staging)
            try? FileManager.default.removeItem(atPath: "\(output.staging)/\(RunCheckpoint.file)")
            Failpoint.hit("finished")
            try nightly?.state.commit()
            committed = true
            Failpoint.hit("committed")
            try output.publish()
            return report
        } catch {
            // A run that failed (not one that was killed) starts over next time; one whose state
            // is committed keeps its output for the next run to publish.
            if !committed {
                staged?.abandon()
                // A run that failed before it knew whether a finished run awaits completion must not
                // open the ledger: opening cuts the files back to their committed lengths.
                if nightly == nil, let stateFolder, staged == nil || completionChecked {
                    nightly = try? Nightly(state: stateFolder)
                }
                nightly?.recordFailure(error, started: started, output: options.output)
            }
            throw error
        }
    }

    /// The statuses the last stage writing `dedup` counted: those of the documents written.
    static func dedupSummary(stages: [any Stage], counts: [StageCounts]) -> [String: Int] {
        guard let last = stages.lastIndex(where: { $0.contract.writes.contains(.dedup) }) else { return [:] }
        return counts[last].values
    }
}

/// A run's part in a state folder beyond dedup: which inputs it takes, what the ledger learns,
/// and its line in the run history.
final class Nightly {
    let state: StateFolder
    let ledger: InputLedger
    let history: RunHistory
    let id: Int
    private var decisions: [(file: InputPlan.File, absolute: String, decision: InputLedger.Decision)] = []

    init(state: StateFolder) throws(RunFailure) {
        self.state = state
        ledger = try InputLedger(state: state)
        history = try RunHistory(state: state)
        id = history.nextID
    }

    var counts: [String: Int] {
        var counts = ["new": 0, "changed": 0, "unchanged": 0, "renamed": 0, "forced": 0]
        for entry in decisions { counts[entry.decision.name, default: 0] += 1 }
        return counts
    }

    /// The plan cut to the inputs the ledger does not have (or `rerun` asks for).
    func select(_ plan: InputPlan, rerun: [MemberGlob]) -> InputPlan {
        var selected = plan
        selected.files = []
        for file in plan.files {
            let absolute = InputPlan.absolute(file.path)
            let forced = rerun.contains { $0.matches(absolute) || $0.matches(file.relative) }
            let decision = ledger.decide(path: absolute, size: file.size, modified: file.modified, forced: forced) {
                InputDigest.of(file: file.path)
            }
            decisions.append((file, absolute, decision))
            if decision.takes { selected.files.append(file) }
        }
        return selected
    }

    /// The ledger's new facts and the history line, staged for the state's commit.
    func stage(report: RunReport, started: Date, output: String) throws(RunFailure) {
        for (file, absolute, decision) in decisions {
            func fact(_ sha256: String, run: Int, how: InputLedger.Entry.How) {
                ledger.record(
                    InputLedger.Entry(path: absolute, size: file.size, modified: file.modified, sha256: sha256, run: run, how: how))
            }
            switch decision {
            case .new(let sha256), .changed(let sha256):
                if let digest = sha256 ?? report.read.digests[file.path] ?? InputDigest.of(file: file.path) {
                    fact(digest, run: id, how: .taken)
                }
            case .forced:
                if let digest = report.read.digests[file.path] ?? InputDigest.of(file: file.path) { fact(digest, run: id, how: .taken) }
            case .unchanged(let sha256?):
                // Touched, not changed: remember the new time, so the next run need not read it.
                if let earlier = ledger.taken(sha256: sha256) { fact(sha256, run: earlier.run, how: .seen) }
            case .renamed(_, let sha256):
                if let earlier = ledger.taken(sha256: sha256) { fact(sha256, run: earlier.run, how: .seen) }
            case .unchanged(nil):
                break
            }
        }
        try ledger.stage(in: state)
        history.record(
            historyLine(status: report.rejected > 0 ? "rejects" : "ok", message: nil, report: report, started: started, output: output))
        try history.stage(in: state)
    }

    /// A failed run leaves its history line alone; the rest of the state stays as it was.
    func recordFailure(_ failure: RunFailure, started: Date, output: String) {
        history.record(historyLine(status: "failed", message: failure.message, report: nil, started: started, output: output))
        do {
            try history.stage(in: state)
            try state.commit(only: ["runs"])
        } catch {
            // The disk that failed the run may fail this too; the run's own error is what counts.
        }
    }

    private func historyLine(status: String, message: String?, report: RunReport?, started: Date, output: String) -> JSONValue {
        let ended = Date()
        var members: [(key: String, value: JSONValue)] = [
            ("run", .number(String(id))),
            ("started", .string(RunHistory.timestamp(started))),
            ("ended", .string(RunHistory.timestamp(ended))),
            ("seconds", .number(String(format: "%.3f", ended.timeIntervalSince(started)))),
            ("status", .string(status)),
            ("message", message.map { .string($0) } ?? .null),
            ("inputs", .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) })),
            ("output", .string(InputPlan.absolute(output))),
        ]
        if let report {
            members.append(
                (
                    "documents",
                    .object([
                        ("read", .number(String(report.documentsRead))), ("written", .number(String(report.written))),
                        ("rejected", .number(String(report.rejected))), ("dropped", .number(String(report.dropped))),
                    ])
                ))
            members.append(("bytes_read", .number(String(report.read.bytesRead))))
            members.append(("report", report.json()))
        }
        return .object(members)
    }
}
