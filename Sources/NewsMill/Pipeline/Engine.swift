import Dispatch
import Foundation

public struct RunOptions: Sendable {
    public var inputs: [String]
    public var output: String
    public var jobs: Int
    /// State folder that dedup keeps across runs (`--state`); nil: none.
    public var state: String?
    /// Called about four times a second with the progress so far (TTY progress bar).
    public var onProgress: (@Sendable (ProgressSnapshot) -> Void)?

    public init(inputs: [String], output: String, jobs: Int, state: String? = nil,
                onProgress: (@Sendable (ProgressSnapshot) -> Void)? = nil) {
        self.inputs = inputs
        self.output = output
        self.jobs = max(1, jobs)
        self.state = state
        self.onProgress = onProgress
    }
}

public struct ProgressSnapshot: Sendable {
    public var documents: Int
    public var bytesRead: Int64
    public var totalBytes: Int64
    public var seconds: Double
}

/// Runs a pipeline: one reader thread streams inputs into batches, `jobs` workers decode and
/// run the stages' parallel part, and the calling thread takes results back in input order,
/// runs the sequencers and writes. Batches in flight are bounded, so memory does not grow
/// with the input.
public enum Engine {
    private struct Batch: Sendable {
        var sequence: Int
        var items: [SourceItem]
    }

    private struct BatchResult: Sendable {
        var outcomes: [Outcome]
        var textBytes: Int
        var repairs: DecodeRepairs
        var stageNanoseconds: [UInt64]
        var stageCounts: [StageCounts]
    }

    static let batchItems = 128
    static let batchBytes = 1 << 20

    public static func run(config: PipelineConfig, options: RunOptions) throws(RunFailure) -> RunReport {
        let started = DispatchTime.now()
        let statePath = options.state ?? config.state
        let plan = InputPlan.expand(options.inputs, excluding: [options.output] + (statePath.map { [$0] } ?? []))
        // The state is opened (and locked) first: a bad state folder stops the run before any work.
        var state: StateFolder?
        if let statePath { state = try StateFolder(path: statePath) }
        let output = try OutputDirectory(path: options.output)
        do {
            let report = try execute(config: config, options: options, plan: plan, staging: output.staging, state: state, started: started)
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

    private static func execute(config: PipelineConfig, options: RunOptions, plan: InputPlan, staging: String, state: StateFolder?,
                                started: DispatchTime) throws(RunFailure) -> RunReport {
        let stages = config.stages
        let decoder = MemberDecoder(options: config.input)
        let progress = ProgressCounter()
        let work = BlockingQueue<Batch>()
        let results = ReorderBuffer<BatchResult>()
        let inFlight = DispatchSemaphore(value: options.jobs * 4)
        let readStats = ReadStatsBox()
        // Everything that can fail before the first document is set up before any thread starts:
        // a throw with the reader and workers running would leave them blocked.
        let sequencers = stages.compactMap { $0.makeSequencer() }
        if let state {
            for sequencer in sequencers { try sequencer.restore(from: state) }
        }
        let parts = PartWriter(directory: staging, maxRecords: config.output.partMaxRecords)
        let rejects = try FileSink(path: "\(staging)/rejects.jsonl")

        // Reader
        let readerDone = DispatchGroup()
        readerDone.enter()
        Thread.detachNewThread { @Sendable in
            var sequence = 0
            var pending: [SourceItem] = []
            var pendingBytes = 0
            func send() {
                guard !pending.isEmpty else { return }
                inFlight.wait()
                work.push(Batch(sequence: sequence, items: pending))
                sequence += 1
                pending = []
                pendingBytes = 0
            }
            for problem in plan.problems { pending.append(.reject(problem)) }
            let reader = SourceReader(options: config.input, progress: progress) { item in
                pending.append(item)
                pendingBytes += item.approximateBytes
                if pending.count >= batchItems || pendingBytes >= batchBytes { send() }
            }
            reader.read(plan)
            send()
            readStats.value = reader.stats
            work.close()
            results.finish(count: sequence)
            readerDone.leave()
        }

        // Workers
        let workersDone = DispatchGroup()
        for _ in 0..<options.jobs {
            workersDone.enter()
            Thread.detachNewThread { @Sendable in
                while let batch = work.pop() {
                    results.put(batch.sequence, process(batch, decoder: decoder, stages: stages))
                }
                workersDone.leave()
            }
        }

        // Progress
        let ticker = options.onProgress.map { callback in
            startTicker(every: 0.25) {
                callback(ProgressSnapshot(documents: progress.documents, bytesRead: progress.bytes,
                                          totalBytes: plan.totalBytes, seconds: elapsed(since: started)))
            }
        }
        defer { ticker?.cancel() }

        // Writer, on this thread, in input order
        var report = RunReport(pipeline: config.file, jobs: options.jobs)
        report.stageTimings = stages.map { RunReport.StageTiming(name: $0.name, seconds: 0) }
        report.stageCounts = stages.map { _ in StageCounts() }
        var json = JSONWriter(capacity: 1 << 16)
        var failure: RunFailure?
        var sequence = 0
        while let result = results.take(sequence) {
            sequence += 1
            defer { inFlight.signal() }
            guard failure == nil else { continue }  // drain so the reader and workers can finish
            report.textBytes += result.textBytes
            report.repairs.merge(result.repairs)
            for (i, nanos) in result.stageNanoseconds.enumerated() { report.stageTimings[i].seconds += Double(nanos) / 1e9 }
            for (i, counts) in result.stageCounts.enumerated() { report.stageCounts[i].merge(counts) }
            do throws(RunFailure) {
                for outcome in result.outcomes {
                    report.documentsRead += 1
                    switch outcome {
                    case .reject(let reject):
                        report.rejectsByCode[reject.code.rawValue, default: 0] += 1
                        json.reset()
                        RecordSerializer.write(reject, into: &json)
                        try rejects.write(json.bytes)
                    case .dropped(let reason):
                        report.droppedByReason[reason, default: 0] += 1
                    case .document(var document):
                        var verdict = Verdict.keep
                        for sequencer in sequencers {
                            verdict = sequencer.sequence(&document)
                            if verdict != .keep { break }
                        }
                        switch verdict {
                        case .keep:
                            if let dedup = document.dedup { report.dedupStatus[dedup.status.rawValue, default: 0] += 1 }
                            json.reset()
                            RecordSerializer.write(document, into: &json)
                            try parts.write(json.bytes)
                            report.written += 1
                        case .drop(let reason):
                            report.droppedByReason[reason, default: 0] += 1
                        case .reject(let code, let message):
                            report.rejectsByCode[code.rawValue, default: 0] += 1
                            json.reset()
                            RecordSerializer.write(Reject(document.origin, code, message), into: &json)
                            try rejects.write(json.bytes)
                        }
                    }
                }
                progress.addDocuments(result.outcomes.count)
            } catch {
                failure = error
            }
        }
        readerDone.wait()
        workersDone.wait()
        if let failure { throw failure }
        if let state {
            for sequencer in sequencers { try sequencer.persist(to: state) }
        }
        try parts.close()
        try rejects.close()
        report.read = readStats.value
        report.parts = parts.parts
        report.outputBytes = parts.bytes
        report.seconds = elapsed(since: started)
        let reportFile = try FileSink(path: "\(staging)/report.json")
        try reportFile.write(Array((report.json().pretty() + "\n").utf8))
        try reportFile.close()
        if let onProgress = options.onProgress {
            onProgress(ProgressSnapshot(documents: report.documentsRead, bytesRead: plan.totalBytes,
                                        totalBytes: plan.totalBytes, seconds: report.seconds))
        }
        return report
    }

    private static func process(_ batch: Batch, decoder: MemberDecoder, stages: [any Stage]) -> BatchResult {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.items.count)
        var nanos = [UInt64](repeating: 0, count: stages.count)
        var counts = [StageCounts](repeating: StageCounts(), count: stages.count)
        var textBytes = 0
        var repairs = DecodeRepairs()
        for item in batch.items {
            for outcome in decoder.decode(item) {
                guard case .document(var document) = outcome else {
                    outcomes.append(outcome)
                    continue
                }
                textBytes += document.text.utf8.count
                repairs.add(document)
                var verdict = Verdict.keep
                for (i, stage) in stages.enumerated() {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    verdict = stage.process(&document, counts: &counts[i])
                    nanos[i] += DispatchTime.now().uptimeNanoseconds - t0
                    if verdict != .keep { break }
                }
                switch verdict {
                case .keep: outcomes.append(.document(document))
                case .drop(let reason): outcomes.append(.dropped(reason: reason))
                case .reject(let code, let message): outcomes.append(.reject(Reject(document.origin, code, message)))
                }
            }
        }
        return BatchResult(outcomes: outcomes, textBytes: textBytes, repairs: repairs, stageNanoseconds: nanos, stageCounts: counts)
    }

    private static func elapsed(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    private static func startTicker(every seconds: Double, _ tick: @escaping @Sendable () -> Void) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + seconds, repeating: seconds)
        timer.setEventHandler { @Sendable in tick() }
        timer.resume()
        return timer
    }
}

/// Hands the reader's final counts to the writer thread once the reader is done.
private final class ReadStatsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stats = ReadStats()
    var value: ReadStats {
        get { lock.lock(); defer { lock.unlock() }; return stats }
        set { lock.lock(); stats = newValue; lock.unlock() }
    }
}
