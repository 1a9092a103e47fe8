/// Exact deduplication: a 128-bit hash of the (normalized) text, computed in parallel; the
/// first document with a hash in the fixed input order is canonical, later ones point to it.
public struct ExactDedupStage: ConfigurableStage {
    public enum Mode: String, Sendable { case mark, drop }

    public static let stageName = "exact_dedup"
    public static let recordBlocks: [RecordBlock] = [.dedup]
    public var contract: StageContract { StageContract(reads: [.text], writes: [.dedup]) }
    public let mode: Mode

    public init(mode: Mode = .mark) {
        self.mode = mode
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["mode"])
        mode = Mode(rawValue: try options.choice("mode", default: "mark", allowed: ["mark", "drop"]))!
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        document[ContentHashKey.self] = Hash128.murmur3(document.text)
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
    /// With a state folder: the hashes file, which this run appends its new canonicals to.
    private var hashesFile: StateAppender?
    static let hashesFileName = "exact_dedup.hashes.bin"
    /// Hash (16 bytes) and id (12 bytes) per canonical document.
    static let recordSize = 28

    init(mode: ExactDedupStage.Mode) {
        self.mode = mode
    }

    func sequence(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        let verdict = decide(&document)
        // The statuses of the documents passed on; the run's dedup summary is the last dedup stage's.
        if verdict == .keep, let status = document.dedup?.status { counts.add(status.rawValue) }
        return verdict
    }

    private func decide(_ document: inout Document) -> Verdict {
        let hash = document[ContentHashKey.self] ?? Hash128.murmur3(document.text)
        if let compact = canonicalByHash[hash] {
            let canonical = compact.hex
            document.dedup = DedupInfo(hash: hash, status: .exact, of: canonical, similarity: 1.0, cluster: canonical)
            return mode == .drop ? .drop(reason: "exact_duplicate") : .keep
        }
        let id = CompactID(hex: document.id)
        canonicalByHash[hash] = id
        if let hashesFile {
            hashesFile.append(hash.high); hashesFile.append(hash.low)
            hashesFile.append(id.high); hashesFile.append(id.low)
        }
        document.dedup = DedupInfo(hash: hash, status: .unique, of: nil, similarity: nil, cluster: document.id)
        return .keep
    }
}

extension ExactDedupSequencer {
    func restore(from state: StateFolder) throws(RunFailure) {
        let file = try StateAppender(state: state, name: Self.hashesFileName)
        canonicalByHash.reserveCapacity(Int(file.length) / Self.recordSize + 1024)
        let whole = try file.readRecords(size: Self.recordSize) { raw in
            for offset in stride(from: 0, to: raw.count, by: Self.recordSize) {
                let hash = Hash128(
                    high: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                    low: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                let id = CompactID(
                    high: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self),
                    low: raw.loadUnaligned(fromByteOffset: offset + 24, as: UInt32.self))
                canonicalByHash[hash] = canonicalByHash[hash] ?? id
            }
        }
        guard whole else {
            throw RunFailure("state folder \(state.path) is damaged: \(Self.hashesFileName) holds \(file.length) bytes, not whole records")
        }
        hashesFile = file
    }

    func persist(to state: StateFolder) throws(RunFailure) {
        guard let hashesFile else { return }
        try hashesFile.sync()
        state.stage(
            "exact_dedup",
            section: StateFolder.Section(
                files: [Self.hashesFileName: hashesFile.length],
                documents: Int(hashesFile.length) / Self.recordSize, parameters: [:]))
    }
}

/// The text's hash, from the parallel half to the ordered half.
enum ContentHashKey: DocumentKey {
    typealias Value = Hash128
}

extension ExactDedupStage: ShardableStage {
    public func writeSketch(of document: Document, into bytes: inout ByteWriter) {
        let hash = document[ContentHashKey.self] ?? Hash128.murmur3(document.text)
        bytes.append(hash.high)
        bytes.append(hash.low)
    }

    public func readSketch(from bytes: inout ByteReader, into document: inout Document) throws(RunFailure) {
        document[ContentHashKey.self] = Hash128(high: try bytes.read(), low: try bytes.read())
    }
}
