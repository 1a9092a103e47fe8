import Foundation

/// A run's outcome in the Prometheus text format, for node_exporter's textfile collector
/// (`--metrics-file`). Written whole to a temporary file and renamed, so the collector never reads
/// half a file. Every metric carries `job`, so several pipelines can share one collector folder.
public struct RunMetrics {
    public var job: String
    public var started: Date
    public var ended: Date
    public var exitStatus: Int32
    /// nil when the run failed before it had counts.
    public var report: RunReport?

    public init(job: String, started: Date, ended: Date, exitStatus: Int32, report: RunReport?) {
        self.job = job
        self.started = started
        self.ended = ended
        self.exitStatus = exitStatus
        self.report = report
    }

    /// The text; `previousSuccess` is carried over when this run failed.
    public func text(previousSuccess: Double?) -> String {
        var families: [(name: String, help: String, samples: [(labels: [(String, String)], value: Double)])] = []
        func gauge(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Double)]) {
            families.append((name, help, samples))
        }
        let succeeded = exitStatus == 0 || exitStatus == 3
        gauge("newsmill_last_run_start_timestamp_seconds", "When the last run started (Unix time).", [([], started.timeIntervalSince1970)])
        gauge("newsmill_last_run_end_timestamp_seconds", "When the last run ended (Unix time).", [([], ended.timeIntervalSince1970)])
        gauge("newsmill_last_run_duration_seconds", "How long the last run took.", [([], ended.timeIntervalSince(started))])
        gauge(
            "newsmill_last_run_exit_status",
            "Exit status of the last run: 0 ok, 3 finished with rejects, 1 failed, 74 write failed, 75 busy.",
            [([], Double(exitStatus))])
        gauge("newsmill_last_run_success", "1 when the last run finished (exit status 0 or 3), else 0.", [([], succeeded ? 1 : 0)])
        if let success = succeeded ? ended.timeIntervalSince1970 : previousSuccess {
            gauge("newsmill_last_success_timestamp_seconds", "When the last run that finished ended (Unix time).", [([], success)])
        }
        if let report {
            gauge(
                "newsmill_last_run_documents", "Documents of the last run by outcome.",
                [
                    ([("outcome", "read")], Double(report.documentsRead)), ([("outcome", "written")], Double(report.written)),
                    ([("outcome", "rejected")], Double(report.rejected)), ([("outcome", "dropped")], Double(report.dropped)),
                ])
            gauge(
                "newsmill_last_run_rejects", "Rejected inputs, members and records of the last run by code.",
                report.rejectsByCode.sorted { $0.key < $1.key }.map { ([("code", $0.key)], Double($0.value)) })
            gauge(
                "newsmill_last_run_dedup", "Documents written by the last run by dedup status.",
                report.dedupStatus.sorted { $0.key < $1.key }.map { ([("status", $0.key)], Double($0.value)) })
            var inputs = report.ledger.sorted { $0.key < $1.key }.map { ([("status", $0.key)], Double($0.value)) }
            if inputs.isEmpty { inputs = [([("status", "new")], Double(report.read.files))] }
            gauge(
                "newsmill_last_run_inputs", "Input files of the last run: new, changed and rerun were read; unchanged and renamed skipped.",
                inputs)
            gauge("newsmill_last_run_read_bytes", "Bytes of input files the last run read.", [([], Double(report.read.bytesRead))])
            gauge(
                "newsmill_last_run_resumed", "1 when the last run resumed a killed run from its checkpoint.",
                [([], report.resumedAfter != nil || report.completedFinishedRun ? 1 : 0)])
        }
        var out = ""
        for family in families where !family.samples.isEmpty {
            out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) gauge\n"
            for sample in family.samples {
                let labels = ([("job", job)] + sample.labels).map { "\($0)=\"\(Self.escape($1))\"" }.joined(separator: ",")
                out += "\(family.name){\(labels)} \(Self.format(sample.value))\n"
            }
        }
        return out
    }

    /// Writes the file atomically; the last success time of an earlier file is kept when this run failed.
    public func write(to path: String) throws(RunFailure) {
        let previous = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap(Self.lastSuccess(in:))
        try FileSink.replace(path, with: Array(text(previousSuccess: previous).utf8))
    }

    static func lastSuccess(in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("newsmill_last_success_timestamp_seconds") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3f", value)
    }
}
