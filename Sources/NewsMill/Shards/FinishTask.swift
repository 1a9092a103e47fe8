import Foundation
import Glibc
import Logging

/// The finish task: gathers the part files, rejects and counts into the output's staging folder,
/// writes report.json, then as `newsmill run` does: `_SUCCESS`, the state's commit (dedup data,
/// input ledger, run history), the publish. The run folder's data goes once the output is out.
enum FinishTask {
    static func run(folder: RunFolder, logger: Logger? = nil) throws(RunFailure) -> RunReport {
        let spec = try folder.loadSpec()
        let config = try spec.config()
        let fingerprint = InputDigest.of(bytes: Array((FileManager.default.contents(atPath: folder.specFile) ?? Data())))
        let stateFolder = try spec.state.map { path throws(RunFailure) in try StateFolder(path: path) }
        let output = try OutputDirectory(path: spec.output)
        if let finished = try FinishedRun.complete(output: output, state: stateFolder, fingerprint: { fingerprint }) {
            try? FileManager.default.removeItem(atPath: folder.path + "/map")
            return finished
        }
        let sequence = try folder.load(SequenceTally.self, from: "\(folder.sequence)/\(SequenceTask.tally)")
        var tallies: [ShardTally] = []
        for shard in 0..<spec.plan.shards {
            tallies.append(try folder.load(ShardTally.self, from: "\(folder.shard(shard))/\(MapTask.tally)"))
        }
        var parts: [WrittenPart] = []
        for part in 0..<sequence.parts { parts.append(try folder.load(WrittenPart.self, from: folder.written(part))) }

        var report = RunReport(jobs: spec.jobsPerTask)
        report.stageTimings = config.stages.map { RunReport.StageTiming(name: $0.name, seconds: 0) }
        report.stageCounts = config.stages.map { _ in StageCounts() }
        for tally in tallies { tally.add(to: &report) }
        for (i, counts) in sequence.stageCounts.enumerated() where i < report.stageCounts.count {
            for (key, value) in counts { report.stageCounts[i].add(key, value) }
        }
        report.rejectsByCode.merge(sequence.rejectsByCode, uniquingKeysWith: +)
        report.droppedByReason.merge(sequence.droppedByReason, uniquingKeysWith: +)
        report.written = sequence.written
        report.output = OutputSummary(
            files: parts.map(\.file), records: parts.reduce(0) { $0 + $1.records }, bytes: parts.reduce(0) { $0 + $1.bytes },
            compression: spec.compression, compressedBytes: parts.reduce(0) { $0 + $1.compressedBytes })
        report.pipeline = config.file
        report.dedupStatus = Runner.dedupSummary(stages: config.stages, counts: report.stageCounts)
        let started = ISO8601DateFormatter().date(from: spec.started) ?? Date()
        report.seconds = Date().timeIntervalSince(started)

        var nightly: Nightly?
        if let stateFolder {
            let again = "remove \(folder.sequence) and run the sequence, write and finish tasks again"
            guard stateFolder.identity == sequence.stateBefore else {
                throw RunFailure("the state folder \(stateFolder.path) changed since this sharded run's sequence task ran: \(again)")
            }
            // Another run that opened the state in between cut its data files back to the committed lengths.
            for section in sequence.sections.values {
                for (file, length) in section.files where (StateFolder.size(of: stateFolder.filePath(file)) ?? 0) < length {
                    throw RunFailure(
                        "\(stateFolder.filePath(file)) is shorter than the sequence task left it (another run used the state folder): \(again)"
                    )
                }
            }
            nightly = try Nightly(state: stateFolder)
        }
        if let nightly, let stateFolder {
            let rerun = spec.rerun.compactMap { try? MemberGlob($0) }
            let again = nightly.select(InputPlan.expand(spec.inputs, excluding: spec.excluded), rerun: rerun)
            guard again.files.map(\.path) == spec.files.map(\.path) else {
                throw RunFailure("the input ledger in \(stateFolder.path) changed since this sharded run was planned; run it again")
            }
            report.run = nightly.id
            report.ledger = nightly.counts
        }

        try output.clearStaging()
        for part in parts {
            let from = "\(folder.path)/write/\(part.file)"
            guard rename(from, "\(output.staging)/\(part.file)") == 0 else { throw RunFailure.write("move", from, errno: errno) }
        }
        let rejects = "\(folder.sequence)/\(SequenceTask.rejects)"
        guard rename(rejects, "\(output.staging)/rejects.jsonl") == 0 else { throw RunFailure.write("move", rejects, errno: errno) }
        let reportFile = try FileSink(path: "\(output.staging)/report.json")
        try reportFile.write(Array((report.json().pretty() + "\n").utf8))
        try reportFile.close()
        try nightly?.stage(report: report, started: started, output: output.path)
        stateFolder?.stage(sections: sequence.sections)
        let sections = stateFolder?.pendingSections ?? [:]
        try FinishedRun(
            fingerprint: fingerprint, run: nightly?.id, finished: RunHistory.timestamp(Date()), stateBefore: stateFolder?.identity,
            stateAfter: stateFolder?.identity(with: sections), sections: sections
        ).save(staging: output.staging)
        try stateFolder?.commit()
        try output.publish()
        for data in ["map", "sequence", "write"] { try? FileManager.default.removeItem(atPath: "\(folder.path)/\(data)") }
        logger?.debug("sharded run finished", metadata: ["output": "\(spec.output)"])
        return report
    }
}
