import Foundation
import Glibc

/// A run that survives being killed: every few seconds its progress, the sink's position and
/// the state's durable lengths go to `checkpoint.json` in the output's staging folder (written
/// whole, then renamed over the last one). The same command run again finds it, cuts the files
/// back to those lengths, skips the units the checkpoint holds and goes on; the output is the
/// one an uninterrupted run writes. A checkpoint made by another command (other inputs, config,
/// state or binary) is not used: the run starts over.
struct RunCheckpoint: Codable {
    static let format = "newsmill-checkpoint"
    static let version = 1
    static let file = "checkpoint.json"

    var format = Self.format
    var version = Self.version
    var fingerprint: String
    var saved: String
    var progress: EngineProgress
    var sink: JSONLinesSink.Position
    var sections: [String: StateFolder.Section]

    /// What must be equal for a checkpoint to be resumed: the binary, the config, the inputs the
    /// run takes (path, size, time) and the state's committed data.
    static func fingerprint(config: PipelineConfig, plan: InputPlan, state: StateFolder?, rerun: [MemberGlob]) -> String {
        var text = "\(format) \(version)\n"
        var binary = stat()
        if stat("/proc/self/exe", &binary) == 0 { text += "binary \(binary.st_size) \(binary.st_mtim.tv_sec).\(binary.st_mtim.tv_nsec)\n" }
        text += "config \(config.file)\n\(config.text)\n"
        for file in plan.files { text += "input \(file.path)\t\(file.size)\t\(file.modified)\n" }
        for problem in plan.problems { text += "problem \(problem.origin.description)\n" }
        text += "state \(state?.path ?? "-") \(state?.identity ?? "")\n"
        text += "rerun \(rerun.map(\.pattern).joined(separator: " "))\n"
        return InputDigest.of(bytes: Array(text.utf8))
    }

    /// The checkpoint in `staging` when it was made by this command and its files are there.
    static func load(staging: String, fingerprint: String) -> RunCheckpoint? {
        guard let data = FileManager.default.contents(atPath: "\(staging)/\(file)"),
            let checkpoint = try? JSONDecoder().decode(RunCheckpoint.self, from: data),
            checkpoint.format == format, checkpoint.version == version, checkpoint.fingerprint == fingerprint
        else { return nil }
        for (name, length) in checkpoint.sink.lengths {
            guard let size = StateFolder.size(of: "\(staging)/\(name)"), size >= UInt64(length) else { return nil }
        }
        return checkpoint
    }

    /// Writes the checkpoint in place of the last one: a temporary file, fsync, rename.
    func save(staging: String) throws(RunFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch { throw RunFailure("cannot encode the checkpoint: \(error)") }
        try FileSink.replace("\(staging)/\(Self.file)", with: Array(data))
    }
}

/// The mark of a run that finished writing: `_SUCCESS` in its output, with what it commits to the
/// state. It is written before the state is committed and the output published, so that a run
/// killed between those steps is completed by the next (commit, then publish) instead of being
/// redone, and no document is published twice or claimed by a state whose output was lost.
/// Consumers can wait for `_SUCCESS` as they do for Spark's and Hadoop's outputs.
struct FinishedRun: Codable {
    static let file = "_SUCCESS"

    var format = "newsmill-finished"
    var fingerprint: String
    var run: Int?
    var finished: String
    /// The state's identity before and after the commit; nil without a state folder.
    var stateBefore: String?
    var stateAfter: String?
    var sections: [String: StateFolder.Section]

    func save(staging: String) throws(RunFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch { throw RunFailure("cannot encode \(Self.file): \(error)") }
        try FileSink.replace("\(staging)/\(Self.file)", with: Array(data) + [0x0A])
    }

    static func load(staging: String) -> FinishedRun? {
        guard let data = FileManager.default.contents(atPath: "\(staging)/\(file)") else { return nil }
        return try? JSONDecoder().decode(FinishedRun.self, from: data)
    }

    /// Completes a finished run the last process left in `output`'s staging folder: commits what
    /// it recorded (unless the state has it already) and publishes it. Returns its report; nil
    /// when there is none to complete (or it belongs to other state data).
    static func complete(output: OutputDirectory, state: StateFolder?, fingerprint: () -> String) throws(RunFailure) -> RunReport? {
        guard let finished = load(staging: output.staging) else { return nil }
        if let state {
            guard let before = finished.stateBefore, let after = finished.stateAfter else { return nil }
            if state.identity == before {
                state.stage(sections: finished.sections)
                try state.commit()
            } else if state.identity != after {
                return nil
            }
        } else {
            guard finished.stateBefore == nil, finished.fingerprint == fingerprint() else { return nil }
        }
        let reportData = FileManager.default.contents(atPath: "\(output.staging)/report.json") ?? Data()
        guard let json = try? JSONParser.parse(Array(reportData)) else { return nil }
        try output.publish()
        var report = RunReport(recovered: json)
        report.completedFinishedRun = true
        return report
    }
}
