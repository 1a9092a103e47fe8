import ArgumentParser
import Foundation
import Logging
import NewsMill

@main
struct Newsmill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsmill",
        abstract: "Turn archives of news articles into clean, deduplicated JSON Lines.",
        subcommands: [Run.self, Validate.self, Inspect.self, State.self, Runs.self, Schema.self, Shard.self, Slurm.self],
        defaultSubcommand: nil)

    static func main() {
        #if NEWSMILL_NEEDS_AVX2
            if let flags = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
                .split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
                !(flags.contains(" avx2") && flags.contains(" fma"))
            {
                FileHandle.standardError.write(
                    Data(
                        "newsmill: this build needs a CPU with AVX2 and FMA; rebuild with NEWSMILL_PORTABLE=1 swift build -c release\n".utf8
                    ))
                Foundation.exit(Status.failed)
            }
        #endif
        main(nil)
    }
}

/// Exit statuses, documented in README.md.
enum Status {
    static let finishedWithRejects: Int32 = 3
    static let failed: Int32 = 1
    /// Writing the output or the state failed (disk full, I/O error): EX_IOERR.
    static let writeFailed: Int32 = 74
    /// Another run holds the state or output folder: EX_TEMPFAIL, try again later.
    static let busy: Int32 = 75

    static func of(_ failure: RunFailure) -> Int32 {
        switch failure.kind {
        case .failed: return failed
        case .writeFailed: return writeFailed
        case .busy: return busy
        }
    }
}

struct PipelineOption: ParsableArguments {
    @Option(name: .long, help: "Pipeline config (YAML). Default: Pipelines/default.yaml if present, else the built-in default.")
    var pipeline: String?

    func load() throws -> PipelineConfig {
        do {
            if let pipeline { return try PipelineConfig.load(path: pipeline) }
            if FileManager.default.fileExists(atPath: PipelineConfig.defaultPath) {
                return try PipelineConfig.load(path: PipelineConfig.defaultPath)
            }
            return try PipelineConfig.builtInDefault()
        } catch {
            Log.error("config error: \(error)")
            throw ExitCode(Status.failed)
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline over archives, folders and files.",
        discussion: """
            Exit status: 0 when every input became a document, 3 when the run finished but rejected \
            something (see rejects.jsonl), 1 when the run failed (bad config or input), 74 when writing \
            the output or the state failed (disk full), 75 when another run holds the state or output folder.
            """)

    @Argument(help: "Archives, folders or files to read (default: corpus).")
    var inputs: [String] = []

    @OptionGroup var pipeline: PipelineOption

    @Option(name: .shortAndLong, help: "Output folder; replaced atomically at the end of the run.")
    var output = "out"

    @Option(name: .shortAndLong, help: "Worker threads (default: number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "State folder kept across runs: dedup remembers what earlier runs saw (overrides the config's state:).")
    var state: String?

    @Option(
        name: .long, parsing: .singleValue,
        help: "With a state folder: take again the inputs matching this glob although the ledger has them (repeatable; '**' takes all).")
    var rerun: [String] = []

    @Option(
        name: .long,
        help:
            "Seconds of work between checkpoints: the same command resumes a killed run from the last one (0: none, a killed run starts over)."
    )
    var checkpointEvery = 5.0

    @Option(
        name: .long,
        help: "Run in phases as separate processes over N shards of the input (the phases a Slurm run uses; docs/cluster.md). Same output.")
    var shards: Int?

    @Flag(name: .shortAndLong, help: "No progress bar and no summary.")
    var quiet = false

    @Option(name: .long, help: "Log lines on stderr: human, or json (one object a line, for journald and log shippers).")
    var logFormat: LogFormat = .human

    @Option(
        name: .long,
        help: "Write the run's outcome here in the Prometheus text format (node_exporter's textfile collector), atomically.")
    var metricsFile: String?

    @Option(name: .long, help: "The `job` label of the metrics (several pipelines can share one collector folder).")
    var metricsJob = "newsmill"

    func validate() throws {
        guard jobs >= 1 && jobs <= 1024 else { throw ValidationError("--jobs must be between 1 and 1024") }
        if let shards, shards < 1 || shards > 100_000 { throw ValidationError("--shards must be between 1 and 100000") }
        guard checkpointEvery >= 0 && checkpointEvery.isFinite else {
            throw ValidationError("--checkpoint-every must be 0 or more seconds")
        }
    }

    func run() throws {
        CLILogHandler.format.withLock { $0 = logFormat }
        let started = Date()
        var report: RunReport?
        var status: Int32 = 0
        do {
            report = try execute()
            status = report!.rejected > 0 ? Status.finishedWithRejects : 0
        } catch let exit as ExitCode {
            status = exit.rawValue
        }
        if let metricsFile {
            do {
                try RunMetrics(job: metricsJob, started: started, ended: Date(), exitStatus: status, report: report).write(to: metricsFile)
            } catch {
                Log.error("cannot write the metrics: \(error)")
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    private func execute() throws -> RunReport {
        let config = try pipeline.load()
        let showProgress = !quiet && isatty(2) == 1 && logFormat == .human
        let bar = ProgressBar()
        var globs: [MemberGlob] = []
        for pattern in rerun {
            do { globs.append(try MemberGlob(pattern)) } catch {
                Log.error("--rerun \(pattern): \(error.message)")
                throw ExitCode(Status.failed)
            }
        }
        var options = RunOptions(
            inputs: inputs.isEmpty ? ["corpus"] : inputs, output: output, jobs: jobs, state: state, rerun: globs,
            checkpointEvery: checkpointEvery)
        options.logger = Log.logger
        options.quietTasks = quiet
        if showProgress {
            options.onProgress = { @Sendable snapshot in bar.draw(snapshot) }
        }
        let report: RunReport
        do {
            if let shards {
                report = try ShardedRun.runLocally(config: config, options: options, shards: shards)
            } else {
                report = try Runner.run(config: config, options: options)
            }
        } catch {
            if showProgress { bar.finish() }
            Log.error("run failed: \(error)")
            throw ExitCode(Status.of(error))
        }
        if showProgress { bar.finish() }
        if !quiet {
            if logFormat == .json { Log.info("run finished", metadata: summaryFields(report)) } else { Log.info(summary(report)) }
        }
        return report
    }

    /// The summary as fields of one JSON log line.
    private func summaryFields(_ r: RunReport) -> Logger.Metadata {
        var fields: Logger.Metadata = [
            "documents_read": "\(r.documentsRead)", "written": "\(r.written)", "rejected": "\(r.rejected)", "dropped": "\(r.dropped)",
            "seconds": "\(String(format: "%.2f", r.seconds))", "output": "\(output)",
        ]
        if let run = r.run { fields["run"] = "\(run)" }
        if let resumed = r.resumedAfter { fields["resumed_after_documents"] = "\(resumed)" }
        if r.completedFinishedRun { fields["completed_finished_run"] = "true" }
        for (key, value) in r.ledger { fields["inputs_\(key)"] = "\(value)" }
        for (key, value) in r.dedupStatus { fields["dedup_\(key)"] = "\(value)" }
        for (key, value) in r.rejectsByCode { fields["rejects_\(key)"] = "\(value)" }
        return fields
    }

    private func summary(_ r: RunReport) -> String {
        var lines = [
            "\(r.documentsRead) read: \(r.written) written, \(r.rejected) rejected, \(r.dropped) dropped"
                + " in \(String(format: "%.2f", r.seconds)) s (\(Int(Double(r.documentsRead) / max(r.seconds, 1e-9))) docs/s, "
                + "\(String(format: "%.1f", Double(r.textBytes) / 1e6 / max(r.seconds, 1e-9))) MB/s of text)"
        ]
        if r.completedFinishedRun {
            return "completed a run that had finished writing when it was stopped: "
                + "\(r.documentsRead) read, \(r.written) written, \(r.rejected) rejected; output: \(output)/"
        }
        if let resumed = r.resumedAfter {
            lines.append("resumed from a checkpoint after \(resumed) documents of a run that did not finish")
        }
        if !r.ledger.isEmpty {
            let l = r.ledger
            lines.append(
                "inputs (run \(r.run ?? 0)): \(l["new", default: 0]) new, \(l["changed", default: 0]) changed, \(l["forced", default: 0]) rerun;"
                    + " skipped \(l["unchanged", default: 0]) unchanged, \(l["renamed", default: 0]) renamed")
        }
        if !r.dedupStatus.isEmpty {
            lines.append("dedup: " + r.dedupStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        if !r.read.skipped.isEmpty {
            lines.append("skipped: " + r.read.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        if r.repairs.documents > 0 {
            lines.append(
                "repaired: \(r.repairs.documents) UTF-8 text\(r.repairs.documents == 1 ? "" : "s") with \(r.repairs.bytes) bad byte\(r.repairs.bytes == 1 ? "" : "s")"
                    + (r.repairs.mixedCharset > 0 ? " (\(r.repairs.mixedCharset) with a legacy-charset run)" : "")
                    + " (source.invalid_bytes)")
        }
        if !r.rejectsByCode.isEmpty {
            lines.append(
                "rejects: " + r.rejectsByCode.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    + " (see \(output)/rejects.jsonl)")
        }
        var parts = "\(r.parts.count) part file\(r.parts.count == 1 ? "" : "s")"
        if r.output.compression.codec != .none {
            let mb = { (bytes: Int) in String(format: "%.1f", Double(bytes) / 1e6) }
            parts += ", \(r.output.compression.codec.rawValue): \(mb(r.output.bytes)) MB → \(mb(r.output.compressedBytes)) MB"
        }
        lines.append("output: \(output)/ (\(parts), report.json, rejects.jsonl)")
        return lines.joined(separator: "\n")
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a pipeline config without running it.")

    @Argument(help: "The pipeline config to check.")
    var file: String

    func run() throws {
        let config = try PipelineOption(pipeline: file).load()
        print("\(file): ok; stages: \(config.stageNames.joined(separator: " → "))")
    }
}

extension PipelineOption {
    init(pipeline: String?) {
        self.init()
        self.pipeline = pipeline
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List what a run would read: member, format, size, records.",
        discussion:
            "Members passed over show skip:REASON (excluded, not_included, not_article:conllu, metadata, …) and why; the input section of --pipeline (include, exclude, metadata) applies."
    )

    @Argument(help: "Archives, folders or files (default: corpus).")
    var inputs: [String] = []

    @OptionGroup var pipeline: PipelineOption

    func run() throws {
        let config = try pipeline.load()
        let entries = Inspector.list(inputs: inputs.isEmpty ? ["corpus"] : inputs, options: config.input)
        var out = "FORMAT\tBYTES\tRECORDS\tPATH\n"
        for entry in entries {
            out += "\(entry.kind)\t\(entry.bytes)\t\(entry.records)\t\(entry.origin.description)"
            if let message = entry.message { out += "\t\(message)" }
            out += "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of a record, assembled from the stages' blocks (schema/record.schema.json).")

    func run() throws {
        do {
            FileHandle.standardOutput.write(Data(try RecordSchema.text(blocks: StageRegistry.recordBlocks).utf8))
        } catch {
            Log.error("\(error)")
            throw ExitCode(Status.failed)
        }
    }
}

/// A one-line progress display on stderr, drawn only on a terminal.
final class ProgressBar: Sendable {
    func draw(_ p: ProgressSnapshot) {
        let rate = p.seconds > 0 ? Double(p.bytesRead) / 1e6 / p.seconds : 0
        let fraction = p.totalBytes > 0 ? min(1, Double(p.bytesRead) / Double(p.totalBytes)) : 0
        var eta = "--:--"
        if fraction > 0.01 && p.seconds > 0.5 {
            let left = Int(p.seconds / fraction - p.seconds)
            eta = String(format: "%d:%02d", left / 60, left % 60)
        }
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r\u{1B}[K%@ %3d%%  %d docs  %.1f MB/s  ETA %@", bar, Int(fraction * 100), p.documents, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look into a state folder.",
        subcommands: [Stats.self])

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What a state folder holds: runs, documents, bytes per file and per document.")

        @Argument(help: "The state folder.")
        var folder: String

        func run() throws {
            let state: StateFolder
            do {
                state = try StateFolder(path: folder, forReading: true)
            } catch {
                Log.error("\(error)")
                throw ExitCode(Status.failed)
            }
            var out = "state folder \(folder): version \(StateFolder.version), \(state.runs) run\(state.runs == 1 ? "" : "s") committed\n"
            for (name, section) in state.sections.sorted(by: { $0.key < $1.key }) {
                let bytes = section.files.values.reduce(0, +)
                let perDocument = section.documents > 0 ? Double(bytes) / Double(section.documents) : 0
                let parameters = section.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out +=
                    "\(name): \(section.documents) documents, \(bytes) bytes on disk (\(String(format: "%.0f", perDocument)) per document)"
                out += parameters.isEmpty ? "\n" : "; \(parameters)\n"
                for (file, size) in section.files.sorted(by: { $0.key < $1.key }) {
                    out += "  \(file)\t\(size)\n"
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}

extension LogFormat: ExpressibleByArgument {}
