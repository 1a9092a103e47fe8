import Foundation

/// What a map task counted, for the run's report, and how many units each of its pieces held.
struct ShardTally: Codable {
    var documentsRead = 0
    var rejectsByCode: [String: Int] = [:]
    var droppedByReason: [String: Int] = [:]
    var repairs = DecodeRepairs()
    var textBytes = 0
    var stageSeconds: [Double] = []
    var stageCounts: [[String: Int]] = []
    var files = 0
    var archives = 0
    var members = 0
    var skipped: [String: Int] = [:]
    var bytesRead: Int64 = 0
    var metadataRows = 0
    var metadataJoined = 0
    var metadataUnmatched = 0
    var digests: [String: String] = [:]
    var problemUnits = 0
    var pieceUnits: [Int] = []
    var seconds = 0.0

    init(report: RunReport, units: (problems: Int, pieces: [Int])) {
        documentsRead = report.documentsRead
        rejectsByCode = report.rejectsByCode
        droppedByReason = report.droppedByReason
        repairs = report.repairs
        textBytes = report.textBytes
        stageSeconds = report.stageTimings.map(\.seconds)
        stageCounts = report.stageCounts.map(\.values)
        let read = report.read
        files = read.files
        archives = read.archives
        members = read.members
        skipped = read.skipped
        bytesRead = read.bytesRead
        metadataRows = read.metadataRows
        metadataJoined = read.metadataJoined
        metadataUnmatched = read.metadataUnmatched
        digests = read.digests
        problemUnits = units.problems
        pieceUnits = units.pieces
        seconds = report.seconds
    }

    /// Adds this shard's counts to a run's report.
    func add(to report: inout RunReport) {
        report.documentsRead += documentsRead
        report.rejectsByCode.merge(rejectsByCode, uniquingKeysWith: +)
        report.droppedByReason.merge(droppedByReason, uniquingKeysWith: +)
        report.repairs.merge(repairs)
        report.textBytes += textBytes
        for (i, seconds) in stageSeconds.enumerated() where i < report.stageTimings.count { report.stageTimings[i].seconds += seconds }
        for (i, counts) in stageCounts.enumerated() where i < report.stageCounts.count {
            for (key, value) in counts { report.stageCounts[i].add(key, value) }
        }
        report.read.files += files
        report.read.archives += archives
        report.read.members += members
        report.read.skipped.merge(skipped, uniquingKeysWith: +)
        report.read.bytesRead += bytesRead
        report.read.metadataRows += metadataRows
        report.read.metadataJoined += metadataJoined
        report.read.metadataUnmatched += metadataUnmatched
        report.read.digests.merge(digests) { a, _ in a }
    }
}

/// The parallel half of a stage: a map task runs it, the sequence task runs the ordered half.
struct ParallelHalf: Stage {
    let stage: any Stage
    var name: String { stage.name }
    var contract: StageContract { stage.contract }

    func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        stage.process(&document, counts: &counts)
    }
}

/// The stages of a pipeline as a sharded run splits them.
struct ShardedStages {
    /// Stages with an ordered half, with their index in the pipeline.
    let sequenced: [(index: Int, stage: any ShardableStage)]
    /// The record fields the ordered halves write: left out of the map tasks' records.
    let held: Set<Field>

    init(_ stages: [any Stage]) throws(RunFailure) {
        var sequenced: [(Int, any ShardableStage)] = []
        var held = Set<Field>()
        for (index, stage) in stages.enumerated() where stage.makeSequencer() != nil {
            guard let shardable = stage as? any ShardableStage else {
                throw RunFailure("stage '\(stage.name)' has an ordered half that cannot run in a sharded run (it is not a ShardableStage)")
            }
            sequenced.append((index, shardable))
            held.formUnion(stage.contract.writes)
        }
        self.sequenced = sequenced
        self.held = held
    }
}

/// Map task `i`: reads its pieces, runs every stage's parallel half, and writes into its shard
/// folder the records (without the blocks the ordered halves write), the sketches the ordered
/// halves need, in order with the rejects and the ends of units, and its counts.
enum MapTask {
    static let sketches = "sketches.bin"
    static let records = "records.bin"
    static let tally = "tally.json"

    enum Entry: UInt8 {
        case unitEnd = 1, reject = 2, document = 3
    }

    /// Returns false when the task had finished before (its folder is there): nothing is redone.
    @discardableResult
    static func run(folder: RunFolder, task: Int, jobs: Int? = nil) throws(RunFailure) -> Bool {
        let spec = try folder.loadSpec()
        guard (0..<spec.plan.shards).contains(task) else {
            throw RunFailure("map task \(task): the run has tasks 0 to \(spec.plan.shards - 1)")
        }
        let done = folder.shard(task)
        if FileManager.default.fileExists(atPath: "\(done)/\(tally)") { return false }
        let config = try spec.config()
        let stages = try ShardedStages(config.stages)
        let partial = "\(done).partial"
        try? FileManager.default.removeItem(atPath: partial)
        do { try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true) } catch {
            throw RunFailure("cannot create \(partial): \(error.localizedDescription)", kind: .writeFailed)
        }
        let source = SlicedSource(plan: spec.inputPlan, pieces: spec.plan.pieces[task], first: task == 0, options: config.input)
        let sink = try ShardSink(directory: partial, stages: stages)
        let report = try Engine.run(
            stages: config.stages.map { ParallelHalf(stage: $0) }, source: source, sink: sink, jobs: jobs ?? spec.jobsPerTask)
        try folder.save(ShardTally(report: report, units: source.units.counts), to: "\(partial)/\(tally)")
        try? FileManager.default.removeItem(atPath: done)
        guard rename(partial, done) == 0 else { throw RunFailure.write("publish", done, errno: errno) }
        return true
    }
}

/// A map task's sink: records to records.bin, and to sketches.bin one length-prefixed entry per
/// record, reject and end of unit.
final class ShardSink: DocumentSink {
    private let records: FileSink
    private let sketches: FileSink
    private let stages: ShardedStages
    private var json = JSONWriter(capacity: 1 << 16)
    private var entry = ByteWriter()
    private var framed = ByteWriter()
    private var slots: [Int] = []
    private var documents = 0

    init(directory: String, stages: ShardedStages) throws(RunFailure) {
        records = try FileSink(path: "\(directory)/\(MapTask.records)")
        sketches = try FileSink(path: "\(directory)/\(MapTask.sketches)")
        self.stages = stages
    }

    private func emit() throws(RunFailure) {
        framed.reset()
        framed.append(UInt32(entry.bytes.count))
        framed.append(raw: entry.bytes)
        try sketches.write(framed.bytes)
    }

    func write(_ document: Document) throws(RunFailure) {
        json.reset()
        slots.removeAll(keepingCapacity: true)
        RecordSerializer.standard.write(document, into: &json, leavingOut: stages.held, slots: &slots)
        let offset = records.bytesWritten
        try records.write(json.bytes)
        entry.reset()
        entry.append(MapTask.Entry.document.rawValue)
        entry.append(document.id)
        entry.append(UInt8(document.origin.archive == nil ? 0 : 1))
        entry.append(document.origin.archive ?? "")
        entry.append(document.origin.member)
        entry.append(Int64(document.origin.row ?? -1))
        entry.append(UInt64(offset))
        entry.append(UInt32(json.bytes.count))
        entry.append(slots.map { UInt32($0) })
        for (_, stage) in stages.sequenced { stage.writeSketch(of: document, into: &entry) }
        try emit()
        documents += 1
    }

    func write(_ reject: Reject) throws(RunFailure) {
        json.reset()
        RecordSerializer.write(reject, into: &json)
        entry.reset()
        entry.append(MapTask.Entry.reject.rawValue)
        entry.append(reject.code.rawValue)
        entry.append(UInt32(json.bytes.count))
        entry.append(raw: json.bytes)
        try emit()
    }

    func endUnit() throws(RunFailure) {
        entry.reset()
        entry.append(MapTask.Entry.unitEnd.rawValue)
        try emit()
    }

    func close() throws(RunFailure) -> OutputSummary {
        try records.close()
        try sketches.close()
        return OutputSummary(records: documents)
    }
}
