/// Exact deduplication: a 128-bit hash of the (normalized) text, computed in parallel; the
/// first document with a hash in the fixed input order is canonical, later ones point to it.
public struct ExactDedupStage: Stage {
    public enum Mode: String, Sendable { case mark, drop }

    public let name = "exact_dedup"
    public let mode: Mode

    public init(mode: Mode = .mark) {
        self.mode = mode
    }

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["mode"])
        mode = Mode(rawValue: try options.choice("mode", default: "mark", allowed: ["mark", "drop"]))!
    }

    public func process(_ document: inout Document) -> Verdict {
        document.contentHash = Hash128.murmur3(document.text)
        return .keep
    }

    public func makeSequencer() -> (any Sequencer)? {
        ExactDedupSequencer(mode: mode)
    }
}

final class ExactDedupSequencer: Sequencer {
    let mode: ExactDedupStage.Mode
    private var canonicalByHash: [Hash128: String] = [:]

    init(mode: ExactDedupStage.Mode) {
        self.mode = mode
    }

    func sequence(_ document: inout Document) -> Verdict {
        let hash = document.contentHash ?? Hash128.murmur3(document.text)
        if let canonical = canonicalByHash[hash] {
            document.dedup = DedupInfo(hash: hash, status: .exact, of: canonical, similarity: 1.0, cluster: canonical)
            return mode == .drop ? .drop(reason: "exact_duplicate") : .keep
        }
        canonicalByHash[hash] = document.id
        document.dedup = DedupInfo(hash: hash, status: .unique, of: nil, similarity: nil, cluster: document.id)
        return .keep
    }
}
