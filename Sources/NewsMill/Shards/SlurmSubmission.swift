import Foundation

/// A sharded run on Slurm: one sbatch script per phase in the run folder, job arrays for map and
/// write (in chunks of at most MaxArraySize tasks), `--dependency=afterok` between phases. Tasks
/// are idempotent, so resubmitting what is not done is the recovery from a failed task.
public struct SlurmSubmission: Sendable {
    public struct Resources: Codable, Sendable {
        public var partition: String?
        public var time: String?
        public var cpusPerTask: Int
        public var mem: String?
        /// The binary the nodes run (the same path on every node) and the folder the tasks start in.
        public var binary: String
        public var workingDirectory: String

        public init(partition: String?, time: String?, cpusPerTask: Int, mem: String?, binary: String, workingDirectory: String) {
            self.partition = partition
            self.time = time
            self.cpusPerTask = cpusPerTask
            self.mem = mem
            self.binary = binary
            self.workingDirectory = workingDirectory
        }
    }

    /// The jobs submitted for a phase: one per chunk of its array (one job for sequence and finish).
    public struct PhaseJobs: Codable, Sendable {
        public var phase: String
        public var jobs: [String]
        /// Per job, the first task it runs (its array indices are added to it) and its indices.
        public var offsets: [Int]
        public var indices: [[Int]]
    }

    public struct Submitted: Codable, Sendable {
        public var submissions: [[PhaseJobs]] = []
    }

    public let folder: RunFolder

    public init(folder: RunFolder) {
        self.folder = folder
    }

    var directory: String { "\(folder.path)/slurm" }
    var jobsFile: String { "\(directory)/jobs.json" }

    /// Writes the phases' sbatch scripts.
    public func writeScripts(_ resources: Resources) throws(RunFailure) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw RunFailure("cannot create \(directory): \(error.localizedDescription)", kind: .writeFailed)
        }
        for phase in ShardedRun.Phase.allCases {
            let array = phase == .map || phase == .write
            var lines = [
                "#!/bin/bash",
                "# newsmill sharded run, phase \(phase.rawValue): written by `newsmill slurm submit`; see docs/cluster.md.",
                "#SBATCH --job-name=newsmill-\(phase.rawValue)",
                "#SBATCH --output=\(folder.logs)/\(phase.rawValue)-\(array ? "%A_%a" : "%j").log",
                "#SBATCH --chdir=\(resources.workingDirectory)",
                "#SBATCH --cpus-per-task=\(phase == .sequence || phase == .finish ? 1 : resources.cpusPerTask)",
                "#SBATCH --nodes=1",
                "#SBATCH --ntasks=1",
            ]
            if let partition = resources.partition { lines.append("#SBATCH --partition=\(partition)") }
            if let time = resources.time { lines.append("#SBATCH --time=\(time)") }
            if let mem = resources.mem { lines.append("#SBATCH --mem=\(mem)") }
            lines.append("set -euo pipefail")
            let binary = Self.quote(resources.binary), run = Self.quote(folder.path)
            if array {
                lines.append(
                    "exec \(binary) shard \(phase.rawValue) \(run) --task-offset \"${1:-0}\" -j \"${SLURM_CPUS_PER_TASK:-\(resources.cpusPerTask)}\""
                )
            } else {
                lines.append("exec \(binary) shard \(phase.rawValue) \(run)")
            }
            try FileSink.replace(script(phase), with: Array((lines.joined(separator: "\n") + "\n").utf8))
            chmod(script(phase), 0o755)
        }
    }

    func script(_ phase: ShardedRun.Phase) -> String { "\(directory)/\(phase.rawValue).sbatch" }

    /// What is left to do, per phase: the map and write tasks whose results are missing.
    public func remaining() throws(RunFailure) -> [(phase: ShardedRun.Phase, tasks: [Int])] {
        let spec = try folder.loadSpec()
        let fm = FileManager.default
        let maps = (0..<spec.plan.shards).filter { !fm.fileExists(atPath: "\(folder.shard($0))/\(MapTask.tally)") }
        let sequenced = fm.fileExists(atPath: "\(folder.sequence)/\(SequenceTask.tally)")
        var writes = Array(0..<spec.plan.shards)
        if sequenced, let tally = try? folder.load(SequenceTally.self, from: "\(folder.sequence)/\(SequenceTask.tally)") {
            writes = writes.filter { task in
                stride(from: task, to: tally.parts, by: spec.plan.shards).contains { !fm.fileExists(atPath: folder.written($0)) }
            }
        }
        let finished = fm.fileExists(atPath: spec.output + "/report.json") && !fm.fileExists(atPath: "\(folder.path)/map")
        var left: [(ShardedRun.Phase, [Int])] = []
        if finished { return [] }
        if !maps.isEmpty { left.append((.map, maps)) }
        if !sequenced || !maps.isEmpty { left.append((.sequence, [0])) }
        if !writes.isEmpty { left.append((.write, writes)) }
        left.append((.finish, [0]))
        return left
    }

    /// Submits what is left to do, each phase after the one before; returns the jobs.
    public func submitRemaining(maxArraySize: Int) throws(RunFailure) -> [PhaseJobs] {
        try submit(try remaining(), after: [], maxArraySize: maxArraySize)
    }

    /// After a task failed: the first unfinished phase's tasks that are still queued or running
    /// go on; the others are submitted again, and the later phases, whose jobs wait on a
    /// dependency that can no longer be satisfied, are cancelled and submitted again after them.
    public func resubmit(maxArraySize: Int) throws(RunFailure) -> [PhaseJobs] {
        var left = try remaining()
        guard let first = left.first else { return [] }
        let record = (try? folder.load(Submitted.self, from: jobsFile)) ?? Submitted()
        let queue = Self.queue()
        var kept: [String] = []
        var tasks: [Int] = []
        for task in first.tasks {
            if let job = queuedJob(first.phase, task: task, record: record, queue: queue) {
                kept.append(job.name)
            } else {
                tasks.append(task)
            }
        }
        let later = Set(left.dropFirst().map(\.phase.rawValue))
        let stale = record.submissions.flatMap { $0 }.filter { later.contains($0.phase) }.flatMap(\.jobs)
        if !stale.isEmpty { _ = try? Self.command("scancel", stale) }
        if tasks.isEmpty { left.removeFirst() } else { left[0].tasks = tasks }
        return try submit(left, after: kept, maxArraySize: maxArraySize)
    }

    private func submit(
        _ phases: [(phase: ShardedRun.Phase, tasks: [Int])], after first: [String], maxArraySize: Int
    ) throws(RunFailure) -> [PhaseJobs] {
        var previous = first
        var submitted: [PhaseJobs] = []
        for (phase, tasks) in phases {
            var phaseJobs = PhaseJobs(phase: phase.rawValue, jobs: [], offsets: [], indices: [])
            let chunks: [(offset: Int, indices: [Int])]
            if phase == .map || phase == .write {
                // Array indices must stay below MaxArraySize: tasks in chunks, each with its offset.
                var byChunk: [Int: [Int]] = [:]
                for task in tasks { byChunk[task / maxArraySize * maxArraySize, default: []].append(task) }
                chunks = byChunk.keys.sorted().map { offset in (offset, byChunk[offset]!.map { $0 - offset }) }
            } else {
                chunks = [(0, [])]
            }
            for chunk in chunks {
                var arguments = ["--parsable"]
                if !previous.isEmpty { arguments.append("--dependency=afterok:\(previous.joined(separator: ":"))") }
                if !chunk.indices.isEmpty { arguments.append("--array=\(Self.ranges(chunk.indices))") }
                arguments.append(script(phase))
                if phase == .map || phase == .write { arguments.append(String(chunk.offset)) }
                let output = try Self.command("sbatch", arguments)
                let id = String(output.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !id.isEmpty, id.allSatisfy(\.isNumber) else { throw RunFailure("sbatch printed no job id: \(output)") }
                phaseJobs.jobs.append(id)
                phaseJobs.offsets.append(chunk.offset)
                phaseJobs.indices.append(chunk.indices)
            }
            previous = phaseJobs.jobs
            submitted.append(phaseJobs)
        }
        var record = (try? folder.load(Submitted.self, from: jobsFile)) ?? Submitted()
        record.submissions.append(submitted)
        try folder.save(record, to: jobsFile)
        return submitted
    }

    /// One line per phase: tasks done, running, pending, failed (not done, no longer queued).
    public func status() throws(RunFailure) -> [(
        phase: String, tasks: Int, done: Int, running: [String], pending: [String], failed: [String]
    )] {
        let spec = try folder.loadSpec()
        let left = try remaining()
        let record = (try? folder.load(Submitted.self, from: jobsFile)) ?? Submitted()
        let queue = Self.queue()
        let sequenceTally = try? folder.load(SequenceTally.self, from: "\(folder.sequence)/\(SequenceTask.tally)")
        var lines: [(String, Int, Int, [String], [String], [String])] = []
        for phase in ShardedRun.Phase.allCases {
            let count = phase == .map || phase == .write ? spec.plan.shards : 1
            let notDone = left.first { $0.phase == phase }?.tasks ?? []
            var running: [String] = [], pending: [String] = [], failed: [String] = []
            for task in notDone {
                let label = phase == .map || phase == .write ? "\(task)" : "1"
                if let job = queuedJob(phase, task: task, record: record, queue: queue) {
                    if job.state == "RUNNING" || job.state == "COMPLETING" { running.append(label) } else { pending.append(label) }
                } else if submittedJob(phase, task: task, record: record) != nil {
                    failed.append(label)
                } else {
                    pending.append(label)
                }
            }
            let tasks = phase == .write ? max(0, min(count, sequenceTally?.parts ?? count)) : count
            lines.append((phase.rawValue, tasks, max(0, tasks - notDone.count), running, pending, failed))
        }
        return lines
    }

    /// The job (as squeue names it: `ID_INDEX` for an array task) that last ran or runs a task.
    private func submittedJob(_ phase: ShardedRun.Phase, task: Int, record: Submitted) -> (name: String, array: String)? {
        var found: (String, String)?
        for submission in record.submissions {
            for jobs in submission where jobs.phase == phase.rawValue {
                for (i, job) in jobs.jobs.enumerated() {
                    if phase == .map || phase == .write {
                        if jobs.indices[i].contains(task - jobs.offsets[i]) { found = ("\(job)_\(task - jobs.offsets[i])", job) }
                    } else {
                        found = (job, job)
                    }
                }
            }
        }
        return found
    }

    /// The task's job when squeue still lists it (pending, running), with its state.
    private func queuedJob(_ phase: ShardedRun.Phase, task: Int, record: Submitted, queue: [String: String]) -> (
        name: String, state: String
    )? {
        guard let job = submittedJob(phase, task: task, record: record) else { return nil }
        if let state = queue[job.name] { return (job.name, state) }
        // A pending array is one line, `ID_[0-7]` (or `ID_[0-3,5]`), until its tasks start.
        guard job.name != job.array, let index = Int(job.name.split(separator: "_").last ?? "") else { return nil }
        for (name, state) in queue where name.hasPrefix("\(job.array)_[") {
            let ranges = name.dropFirst(job.array.count + 2).prefix { $0 != "]" && $0 != "%" }
            for range in ranges.split(separator: ",") {
                let bounds = range.split(separator: "-").compactMap { Int($0) }
                if let low = bounds.first, (low...(bounds.last ?? low)).contains(index) { return (job.name, state) }
            }
        }
        return nil
    }

    /// squeue's jobs of this user: name (`ID`, `ID_INDEX`, `ID_[RANGES]`) to state.
    static func queue() -> [String: String] {
        let output = (try? command("squeue", ["-h", "-o", "%i %T", "--me"])) ?? ""
        var states: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2 { states[String(fields[0])] = String(fields[1]) }
        }
        return states
    }

    /// MaxArraySize from `scontrol show config` (Slurm's default, 1001, when it cannot be read).
    public static func maxArraySize() -> Int {
        guard let config = try? command("scontrol", ["show", "config"]) else { return 1001 }
        for line in config.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            if let value = line.split(separator: "=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) { return value }
        }
        return 1001
    }

    static func ranges(_ indices: [Int]) -> String {
        var parts: [String] = []
        var start = indices.first ?? 0, last = start
        for index in indices.dropFirst() {
            if index == last + 1 { last = index; continue }
            parts.append(start == last ? "\(start)" : "\(start)-\(last)")
            start = index; last = index
        }
        parts.append(start == last ? "\(start)" : "\(start)-\(last)")
        return parts.joined(separator: ",")
    }

    static func quote(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:".contains($0) }
            ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func command(_ name: String, _ arguments: [String]) throws(RunFailure) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw RunFailure("cannot run \(name): \(error.localizedDescription)") }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RunFailure("\(name) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
