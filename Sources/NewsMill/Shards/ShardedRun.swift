import Foundation
import Glibc

/// A run in phases that separate processes, on one machine or many, carry out over a shared
/// folder: `map` (N tasks), `sequence` (1), `write` (N; a task with no part file to write has
/// nothing to do), `finish` (1). Its output is byte-identical to `newsmill run`'s over the same
/// inputs, and the state folder ends up the same.
public enum ShardedRun {
    public enum Phase: String, CaseIterable, Sendable {
        case map, sequence, write, finish
    }

    /// Plans a sharded run: expands the inputs, lets the input ledger choose what is new, divides
    /// the plan into `shards` and writes the run folder (replacing an earlier one of this output).
    public static func prepare(config: PipelineConfig, options: RunOptions, shards: Int) throws(RunFailure) -> RunFolder {
        guard shards >= 1 else { throw RunFailure("--shards must be 1 or more") }
        _ = try ShardedStages(config.stages)
        let statePath = options.state ?? config.state
        var plan = InputPlan.expand(options.inputs, excluding: [options.output] + (statePath.map { [$0] } ?? []))
        if let statePath {
            let nightly = try Nightly(state: try StateFolder(path: statePath))
            plan = nightly.select(plan, rerun: options.rerun)
        }
        let folder = RunFolder(output: options.output)
        try? FileManager.default.removeItem(atPath: folder.path)
        do { try FileManager.default.createDirectory(atPath: folder.logs, withIntermediateDirectories: true) } catch {
            throw RunFailure("cannot create \(folder.path): \(error.localizedDescription)", kind: .writeFailed)
        }
        var spec = ShardedRunSpec(config: config, options: options, plan: plan, shards: shards, started: Date())
        spec.state = statePath.map(InputPlan.absolute)
        try folder.save(spec, to: folder.specFile)
        return folder
    }

    /// What a task did, in one line for its log, and the run's report from the finish task.
    public struct TaskOutcome: Sendable {
        public var summary: String
        public var report: RunReport?
    }

    /// Runs one task of one phase (what a Slurm job array task runs).
    @discardableResult
    public static func runTask(_ phase: Phase, folder: RunFolder, task: Int, jobs: Int? = nil) throws(RunFailure) -> TaskOutcome {
        let started = Date()
        // VmHWM, not getrusage: a process started by another keeps its parent's ru_maxrss across exec.
        func memory() -> String {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            return "peak RSS \(kilobytes / 1024) MB"
        }
        func seconds() -> String { String(format: "%.2f s", Date().timeIntervalSince(started)) }
        switch phase {
        case .map:
            guard try MapTask.run(folder: folder, task: task, jobs: jobs) else {
                return TaskOutcome(summary: "map task \(task): done before")
            }
            let tally = try folder.load(ShardTally.self, from: "\(folder.shard(task))/\(MapTask.tally)")
            return TaskOutcome(summary: "map task \(task): \(tally.documentsRead) documents in \(seconds()); \(memory())")
        case .sequence:
            guard try SequenceTask.run(folder: folder) else { return TaskOutcome(summary: "sequence: done before") }
            let tally = try folder.load(SequenceTally.self, from: "\(folder.sequence)/\(SequenceTask.tally)")
            let rate = Int(Double(tally.documents) / max(tally.seconds, 1e-9))
            return TaskOutcome(
                summary: "sequence: \(tally.documents) documents in \(String(format: "%.2f", tally.seconds)) s (\(rate) docs/s), "
                    + "\(tally.written) to write in \(tally.parts) part files; \(memory())")
        case .write:
            let parts = try WriteTask.run(folder: folder, task: task, jobs: jobs)
            return TaskOutcome(summary: "write task \(task): \(parts) part files in \(seconds()); \(memory())")
        case .finish:
            let report = try FinishTask.run(folder: folder)
            return TaskOutcome(
                summary:
                    "finish: \(report.documentsRead) read, \(report.written) written, \(report.rejected) rejected; output \(report.parts.count) part files",
                report: report)
        }
    }

    /// `newsmill run --shards N`: the phases as separate processes of this binary on this machine,
    /// as many at a time as `options.jobs` allows, each with its share of the threads.
    public static func runLocally(config: PipelineConfig, options: RunOptions, shards: Int) throws(RunFailure) -> RunReport {
        let started = Date()
        var report: RunReport
        do {
            let folder = try prepare(config: config, options: options, shards: shards)
            let parallel = max(1, min(shards, options.jobs))
            let threads = max(1, options.jobs / parallel)
            let quiet = options.quietTasks ? ["-q"] : []
            try runProcesses(
                (0..<shards).map { ["shard", "map", folder.path, "--task", "\($0)", "-j", "\(threads)"] + quiet }, parallel: parallel)
            try runProcesses([["shard", "sequence", folder.path] + quiet], parallel: 1)
            try runProcesses(
                (0..<shards).map { ["shard", "write", folder.path, "--task", "\($0)", "-j", "\(threads)"] + quiet }, parallel: parallel)
            report = try FinishTask.run(folder: folder, logger: options.logger)
        } catch {
            // As `newsmill run` does: a failed run is a line of the history, the state otherwise as it was.
            if error.kind != .busy, let path = options.state ?? config.state, let state = try? StateFolder(path: path),
                let nightly = try? Nightly(state: state)
            {
                nightly.recordFailure(error, started: started, output: options.output)
            }
            throw error
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    private static func runProcesses(_ commands: [[String]], parallel: Int) throws(RunFailure) {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var pending = commands[...]
        var running: [Process] = []
        var failed: [String] = []
        while !pending.isEmpty || !running.isEmpty {
            while running.count < parallel, let arguments = pending.popFirst() {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                do { try process.run() } catch { throw RunFailure("cannot start \(executable): \(error.localizedDescription)") }
                running.append(process)
            }
            guard let first = running.first else { break }
            first.waitUntilExit()
            running.removeFirst()
            if first.terminationStatus != 0 {
                failed.append("newsmill \((first.arguments ?? []).joined(separator: " ")) exited with \(first.terminationStatus)")
            }
        }
        if let first = failed.first { throw RunFailure("a task of the sharded run failed: \(first)") }
    }
}
