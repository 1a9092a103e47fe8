import Dispatch

/// How far a run got, at a point between two source units: a resumed run skips the units and
/// goes on counting from these counts. Everything here is what the writer accumulates in input
/// order, so the finished report is the one an uninterrupted run writes.
public struct EngineProgress: Codable, Sendable, Equatable {
    /// Source units whose documents are all written.
    public var units: Int
    public var documentsRead: Int
    public var written: Int
    public var rejectsByCode: [String: Int]
    public var droppedByReason: [String: Int]
    public var repairs: DecodeRepairs
    public var textBytes: Int
    public var stageCounts: [[String: Int]]
    public var stageSeconds: [Double]

    init(units: Int, report: RunReport) {
        self.units = units
        documentsRead = report.documentsRead
        written = report.written
        rejectsByCode = report.rejectsByCode
        droppedByReason = report.droppedByReason
        repairs = report.repairs
        textBytes = report.textBytes
        stageCounts = report.stageCounts.map(\.values)
        stageSeconds = report.stageTimings.map(\.seconds)
    }

    /// Puts the counts back in a report; false when the report's stages are not the checkpoint's.
    func apply(to report: inout RunReport) -> Bool {
        guard stageCounts.count == report.stageCounts.count, stageSeconds.count == report.stageTimings.count else { return false }
        report.documentsRead = documentsRead
        report.written = written
        report.rejectsByCode = rejectsByCode
        report.droppedByReason = droppedByReason
        report.repairs = repairs
        report.textBytes = textBytes
        for (i, values) in stageCounts.enumerated() {
            var counts = StageCounts()
            for (key, value) in values { counts.add(key, value) }
            report.stageCounts[i] = counts
        }
        for (i, seconds) in stageSeconds.enumerated() { report.stageTimings[i].seconds = seconds }
        return true
    }
}

/// A run that can be killed and resumed: every `every` seconds of work, at the end of a batch,
/// the engine makes the sequencers' state durable and hands its progress to `save`, which
/// records it with the sink's position. `resume` starts from such a record.
public struct Checkpoints {
    public var every: Double
    public var resume: EngineProgress?
    public var save: (EngineProgress) throws(RunFailure) -> Void

    public init(every: Double, resume: EngineProgress?, save: @escaping (EngineProgress) throws(RunFailure) -> Void) {
        self.every = every
        self.resume = resume
        self.save = save
    }
}

/// When the next checkpoint is due.
struct CheckpointClock {
    let every: Double
    private var last = DispatchTime.now()

    init(every: Double) {
        self.every = every
    }

    mutating func due() -> Bool {
        let now = DispatchTime.now()
        guard Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9 >= every else { return false }
        last = now
        return true
    }
}
