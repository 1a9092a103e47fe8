import Dispatch
import Foundation

public struct ProgressSnapshot: Sendable {
    public var documents: Int
    public var bytesRead: Int64
    public var totalBytes: Int64
    public var seconds: Double
}

/// Runs stages over a source into a sink: one reader thread cuts the source's units into
/// batches, `jobs` workers decode them and run the stages' parallel part, and the calling thread
/// takes results back in input order, runs the sequencers and writes to the sink. Batches in
/// flight are bounded, so memory does not grow with the input. The engine does threads, order
/// and accounting; what the stages, the source and the sink do is theirs.
public enum Engine {
    private struct Batch<Unit: Sendable>: Sendable {
        var sequence: Int
        var units: [Unit]
    }

    private struct BatchResult: Sendable {
        var units: Int
        var outcomes: [Outcome]
        /// Where each unit's outcomes end in `outcomes`.
        var unitEnds: [Int]
        var textBytes: Int
        var repairs: DecodeRepairs
        var stageNanoseconds: [UInt64]
        var stageCounts: [StageCounts]
    }

    static let batchUnits = 128
    static let batchBytes = 1 << 20

    /// `state`: where sequencers keep what they saw across runs (restored before the first
    /// document, persisted after the last and at each checkpoint; committing it is the caller's).
    /// `checkpoints`: progress saved every few seconds, and where a resumed run starts.
    /// `onProgress` is called about four times a second.
    public static func run<Source: DocumentSource>(
        stages: [any Stage], source: Source, sink: any DocumentSink, jobs: Int, state: StateFolder? = nil,
        checkpoints: Checkpoints? = nil, onProgress: (@Sendable (ProgressSnapshot) -> Void)? = nil
    ) throws(RunFailure) -> RunReport {
        let started = DispatchTime.now()
        let jobs = max(1, jobs)
        let progress = ProgressCounter()
        let work = BlockingQueue<Batch<Source.Unit>>()
        let results = ReorderBuffer<BatchResult>()
        let inFlight = DispatchSemaphore(value: jobs * 4)
        let readStats = ReadStatsBox()
        // Everything that can fail before the first document is set up before any thread starts:
        // a throw with the reader and workers running would leave them blocked.
        let sequencers: [(stage: Int, sequencer: any Sequencer)] = stages.enumerated().compactMap { index, stage in
            stage.makeSequencer().map { (index, $0) }
        }
        if let state {
            for (_, sequencer) in sequencers { try sequencer.restore(from: state) }
        }
        var report = RunReport(jobs: jobs)
        report.stageTimings = stages.map { RunReport.StageTiming(name: $0.name, seconds: 0) }
        report.stageCounts = stages.map { _ in StageCounts() }
        if let resume = checkpoints?.resume, !resume.apply(to: &report) {
            throw RunFailure("the checkpoint was saved by a run with other stages")
        }
        // A resumed run reads its input again from the start (the units are cut in a fixed
        // order), but decodes only what the checkpoint does not hold.
        let skip = checkpoints?.resume?.units ?? 0
        progress.addDocuments(report.documentsRead)

        // Reader
        let readerDone = DispatchGroup()
        readerDone.enter()
        Thread.detachNewThread { @Sendable in
            var sequence = 0
            var pending: [Source.Unit] = []
            var pendingBytes = 0
            func send() {
                guard !pending.isEmpty else { return }
                inFlight.wait()
                work.push(Batch(sequence: sequence, units: pending))
                sequence += 1
                pending = []
                pendingBytes = 0
            }
            var skipped = 0
            readStats.value = source.read(progress: progress) { unit in
                if skipped < skip {
                    skipped += 1
                    return
                }
                pending.append(unit)
                pendingBytes += source.approximateBytes(of: unit)
                if pending.count >= batchUnits || pendingBytes >= batchBytes { send() }
            }
            send()
            work.close()
            results.finish(count: sequence)
            readerDone.leave()
        }

        // Workers
        let workersDone = DispatchGroup()
        for _ in 0..<jobs {
            workersDone.enter()
            Thread.detachNewThread { @Sendable in
                while let batch = work.pop() {
                    results.put(batch.sequence, process(batch.units, source: source, stages: stages))
                }
                workersDone.leave()
            }
        }

        // Progress
        let ticker = onProgress.map { callback in
            startTicker(every: 0.25) {
                callback(
                    ProgressSnapshot(
                        documents: progress.documents, bytesRead: progress.bytes,
                        totalBytes: source.totalBytes, seconds: elapsed(since: started)))
            }
        }
        defer { ticker?.cancel() }

        // Writer, on this thread, in input order
        var failure: RunFailure?
        var unitsDone = skip
        var clock = checkpoints.map { CheckpointClock(every: $0.every) }
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
                var nextUnitEnd = 0
                for (position, outcome) in result.outcomes.enumerated() {
                    while result.unitEnds[nextUnitEnd] == position {
                        try sink.endUnit()
                        nextUnitEnd += 1
                    }
                    report.documentsRead += 1
                    switch outcome {
                    case .reject(let reject):
                        report.rejectsByCode[reject.code.rawValue, default: 0] += 1
                        try sink.write(reject)
                    case .dropped(let reason):
                        report.droppedByReason[reason, default: 0] += 1
                    case .document(var document):
                        var verdict = Verdict.keep
                        for (stage, sequencer) in sequencers {
                            verdict = sequencer.sequence(&document, counts: &report.stageCounts[stage])
                            if verdict != .keep { break }
                        }
                        switch verdict {
                        case .keep:
                            try sink.write(document)
                            report.written += 1
                        case .drop(let reason):
                            report.droppedByReason[reason, default: 0] += 1
                        case .reject(let code, let message):
                            report.rejectsByCode[code.rawValue, default: 0] += 1
                            try sink.write(Reject(document.origin, code, message))
                        }
                    }
                }
                while nextUnitEnd < result.unitEnds.count {
                    try sink.endUnit()
                    nextUnitEnd += 1
                }
                progress.addDocuments(result.outcomes.count)
                unitsDone += result.units
                if let checkpoints, clock?.due() == true {
                    if let state {
                        for (_, sequencer) in sequencers { try sequencer.persist(to: state) }
                    }
                    try checkpoints.save(EngineProgress(units: unitsDone, report: report))
                }
            } catch {
                failure = error
            }
        }
        readerDone.wait()
        workersDone.wait()
        if let failure { throw failure }
        if let state {
            for (_, sequencer) in sequencers { try sequencer.persist(to: state) }
        }
        report.output = try sink.close()
        report.read = readStats.value
        report.seconds = elapsed(since: started)
        onProgress?(
            ProgressSnapshot(
                documents: report.documentsRead, bytesRead: source.totalBytes,
                totalBytes: source.totalBytes, seconds: report.seconds))
        return report
    }

    private static func process<Source: DocumentSource>(_ units: [Source.Unit], source: Source, stages: [any Stage]) -> BatchResult {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(units.count)
        var unitEnds: [Int] = []
        unitEnds.reserveCapacity(units.count)
        var nanos = [UInt64](repeating: 0, count: stages.count)
        var counts = [StageCounts](repeating: StageCounts(), count: stages.count)
        var textBytes = 0
        var repairs = DecodeRepairs()
        for unit in units {
            for outcome in source.decode(unit) {
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
            unitEnds.append(outcomes.count)
        }
        return BatchResult(
            units: units.count, outcomes: outcomes, unitEnds: unitEnds, textBytes: textBytes, repairs: repairs, stageNanoseconds: nanos,
            stageCounts: counts)
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
