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
    /// Grows with every unique document, so entries are kept small: 16 bytes of hash and the
    /// 12-byte id, not a String.
    private var canonicalByHash: [Hash128: CompactID] = [:]

    init(mode: ExactDedupStage.Mode) {
        self.mode = mode
    }

    func sequence(_ document: inout Document) -> Verdict {
        let hash = document.contentHash ?? Hash128.murmur3(document.text)
        if let compact = canonicalByHash[hash] {
            let canonical = compact.hex
            document.dedup = DedupInfo(hash: hash, status: .exact, of: canonical, similarity: 1.0, cluster: canonical)
            return mode == .drop ? .drop(reason: "exact_duplicate") : .keep
        }
        canonicalByHash[hash] = CompactID(hex: document.id)
        document.dedup = DedupInfo(hash: hash, status: .unique, of: nil, similarity: nil, cluster: document.id)
        return .keep
    }
}

/// A 96-bit document id (24 hex digits) in 12 bytes.
struct CompactID: Hashable {
    var high: UInt64
    var low: UInt32

    init(hex: String) {
        let digits = Array(hex.utf8)
        precondition(digits.count == 24, "document ids are 24 hex digits")
        func value(_ range: Range<Int>) -> UInt64 {
            digits[range].reduce(0) { $0 << 4 | UInt64(($1 <= 0x39 ? $1 - 0x30 : ($1 | 0x20) - 0x57) & 0xF) }
        }
        high = value(0..<16)
        low = UInt32(value(16..<24))
    }

    var hex: String {
        Hash128(high: high, low: UInt64(low) << 32).hex.prefix(24).description
    }
}
