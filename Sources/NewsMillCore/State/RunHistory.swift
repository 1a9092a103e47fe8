import Foundation

/// The runs a state folder has seen, one line each in `runs.history.jsonl`: when, how it ended,
/// what it took and wrote, and its report. Finished runs are committed with their state; a run
/// that failed adds its line alone (the rest of the state does not move).
public final class RunHistory {
    public static let file = "runs.history.jsonl"

    private let lines: StateJSONLines
    public private(set) var runs: [JSONValue] = []

    public init(state: StateFolder) throws(RunFailure) {
        lines = try StateJSONLines(state: state, name: Self.file)
        runs = try lines.readAll()
    }

    /// Ids count up from 1 in a state folder.
    public var nextID: Int { (runs.compactMap { $0["run"]?.int }.max() ?? 0) + 1 }

    public func run(_ id: Int) -> JSONValue? { runs.last { $0["run"]?.int == id } }

    public func record(_ run: JSONValue) {
        runs.append(run)
        lines.append(run)
    }

    public func stage(in state: StateFolder) throws(RunFailure) {
        try lines.appender.sync()
        state.stage("runs", section: StateFolder.Section(files: [Self.file: lines.appender.length], documents: runs.count, parameters: [:]))
    }

    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
