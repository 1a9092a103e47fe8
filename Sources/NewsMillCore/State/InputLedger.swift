/// What a state folder knows of the input files earlier runs took: path, size, modification
/// time and SHA-256, and the run that took the content. A nightly run over a growing drop folder
/// takes only what it has not taken before: a known path with the same size and time is skipped
/// unread; a known path whose content changed is taken again; a file with the content of one
/// taken before (renamed, copied) is skipped.
///
/// Stored in `ledger.inputs.jsonl`, one line per fact, committed with the rest of the state.
public final class InputLedger {
    public struct Entry: Sendable, Equatable {
        /// Absolute path.
        public var path: String
        public var size: Int64
        /// Modification time, nanoseconds since 1970.
        public var modified: Int64
        public var sha256: String
        /// The run that took this content.
        public var run: Int
        /// `taken` by `run`; `seen`: the same content met again under this path or time, not read.
        public var how: How

        public enum How: String, Sendable {
            case taken, seen
        }

        public init(path: String, size: Int64, modified: Int64, sha256: String, run: Int, how: How) {
            self.path = path
            self.size = size
            self.modified = modified
            self.sha256 = sha256
            self.run = run
            self.how = how
        }

        var json: JSONValue {
            .object([
                ("path", .string(path)), ("size", .number(String(size))), ("mtime_ns", .number(String(modified))),
                ("sha256", .string(sha256)), ("run", .number(String(run))), ("how", .string(how.rawValue)),
            ])
        }

        init?(_ value: JSONValue) {
            guard let path = value["path"]?.string, let size = value["size"]?.int, let modified = value["mtime_ns"]?.int,
                let sha256 = value["sha256"]?.string, let run = value["run"]?.int,
                let how = value["how"]?.string.flatMap(How.init(rawValue:))
            else { return nil }
            self.init(path: path, size: Int64(size), modified: Int64(modified), sha256: sha256, run: run, how: how)
        }
    }

    /// What a run does with one input file.
    public enum Decision: Sendable, Equatable {
        /// Never taken: read it. `sha256` when it was computed to rule out a rename.
        case new(sha256: String?)
        /// Taken before with other content: read it again.
        case changed(sha256: String?)
        /// Taken before (this path, same size and time, or the same content): skip it.
        case unchanged(sha256: String?)
        /// The same content as a file taken before under another path: skip it.
        case renamed(from: String, sha256: String)
        /// Asked for again (`--rerun`): read it.
        case forced

        public var takes: Bool {
            switch self {
            case .new, .changed, .forced: return true
            case .unchanged, .renamed: return false
            }
        }

        public var name: String {
            switch self {
            case .new: return "new"
            case .changed: return "changed"
            case .unchanged: return "unchanged"
            case .renamed: return "renamed"
            case .forced: return "forced"
            }
        }
    }

    public static let file = "ledger.inputs.jsonl"

    private let lines: StateJSONLines
    public private(set) var entries: [Entry] = []
    private var latestByPath: [String: Int] = [:]
    private var bySHA256: [String: Int] = [:]
    private var sizes: Set<Int64> = []

    public init(state: StateFolder) throws(RunFailure) {
        lines = try StateJSONLines(state: state, name: Self.file)
        for (index, value) in try lines.readAll().enumerated() {
            guard let entry = Entry(value) else {
                throw RunFailure("state file \(Self.file) is damaged: line \(index + 1) is not a ledger entry")
            }
            remember(entry)
        }
    }

    private func remember(_ entry: Entry) {
        entries.append(entry)
        latestByPath[entry.path] = entries.count - 1
        if bySHA256[entry.sha256] == nil || entry.how == .taken { bySHA256[entry.sha256] = entries.count - 1 }
        sizes.insert(entry.size)
    }

    public func latest(path: String) -> Entry? { latestByPath[path].map { entries[$0] } }

    /// The run that took this content, and under which path.
    public func taken(sha256: String) -> Entry? { bySHA256[sha256].map { entries[$0] } }

    /// Decides for a file of `size` bytes modified at `modified`; `digest` computes its SHA-256
    /// (a read of the whole file), called only when size and time cannot decide.
    public func decide(path: String, size: Int64, modified: Int64, forced: Bool, digest: () -> String?) -> Decision {
        if forced { return .forced }
        if let known = latest(path: path) {
            if known.size == size && known.modified == modified { return .unchanged(sha256: nil) }
            let sha256 = digest()
            if let sha256, sha256 == known.sha256 { return .unchanged(sha256: sha256) }
            if let sha256, let earlier = taken(sha256: sha256) { return .renamed(from: earlier.path, sha256: sha256) }
            return .changed(sha256: sha256)
        }
        // Only a file as long as one taken before can hold the same content.
        guard sizes.contains(size) else { return .new(sha256: nil) }
        let sha256 = digest()
        if let sha256, let earlier = taken(sha256: sha256) { return .renamed(from: earlier.path, sha256: sha256) }
        return .new(sha256: sha256)
    }

    /// Appends a fact; committed with the state.
    public func record(_ entry: Entry) {
        remember(entry)
        lines.append(entry.json)
    }

    /// Stages the ledger's section for the state's next commit.
    public func stage(in state: StateFolder) throws(RunFailure) {
        try lines.appender.sync()
        state.stage(
            "ledger", section: StateFolder.Section(files: [Self.file: lines.appender.length], documents: entries.count, parameters: [:]))
    }
}
