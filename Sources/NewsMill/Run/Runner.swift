/// What `newsmill run` is given besides the pipeline config.
public struct RunOptions: Sendable {
    public var inputs: [String]
    public var output: String
    public var jobs: Int
    /// State folder that dedup keeps across runs (`--state`); nil: none.
    public var state: String?
    /// Called about four times a second with the progress so far (TTY progress bar).
    public var onProgress: (@Sendable (ProgressSnapshot) -> Void)?

    public init(
        inputs: [String], output: String, jobs: Int, state: String? = nil,
        onProgress: (@Sendable (ProgressSnapshot) -> Void)? = nil
    ) {
        self.inputs = inputs
        self.output = output
        self.jobs = max(1, jobs)
        self.state = state
        self.onProgress = onProgress
    }
}

/// A run over files: the input plan read as an archive source, JSON Lines part files in an
/// output folder published atomically, report.json beside them, the state folder committed last.
public enum Runner {
    public static func run(config: PipelineConfig, options: RunOptions) throws(RunFailure) -> RunReport {
        let statePath = options.state ?? config.state
        let plan = InputPlan.expand(options.inputs, excluding: [options.output] + (statePath.map { [$0] } ?? []))
        // The state is opened (and locked) first: a bad state folder stops the run before any work.
        var state: StateFolder?
        if let statePath { state = try StateFolder(path: statePath) }
        let output = try OutputDirectory(path: options.output)
        do {
            let sink = try JSONLinesSink(
                directory: output.staging, partMaxRecords: config.output.partMaxRecords, compression: config.output.compression,
                threads: options.jobs, serializer: .standard)
            var report = try Engine.run(
                stages: config.stages, source: ArchiveSource(plan: plan, options: config.input), sink: sink,
                jobs: options.jobs, state: state, onProgress: options.onProgress)
            report.pipeline = config.file
            report.dedupStatus = dedupSummary(stages: config.stages, counts: report.stageCounts)
            let reportFile = try FileSink(path: "\(output.staging)/report.json")
            try reportFile.write(Array((report.json().pretty() + "\n").utf8))
            try reportFile.close()
            // Output first, then the state: a crash in between re-runs these inputs as new, never
            // leaves the state claiming documents whose output was lost.
            try output.publish()
            try state?.commit()
            return report
        } catch {
            output.abandon()
            throw error
        }
    }

    /// The statuses the last stage writing `dedup` counted: those of the documents written.
    static func dedupSummary(stages: [any Stage], counts: [StageCounts]) -> [String: Int] {
        guard let last = stages.lastIndex(where: { $0.contract.writes.contains(.dedup) }) else { return [:] }
        return counts[last].values
    }
}
