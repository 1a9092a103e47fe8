/// Where a run's documents come from. The engine calls `read` once, on a thread of its own, and
/// `decode` on its worker threads for each unit `read` emitted; documents keep the order in which
/// their units were emitted, whatever the thread count.
public protocol DocumentSource: Sendable {
    /// What `read` hands to the workers: a member to decode, a chunk of dump rows, a document.
    associatedtype Unit: Sendable

    /// Input bytes the run will read, for the progress display (0 when unknown).
    var totalBytes: Int64 { get }
    /// Emits every unit in the fixed order; sets `progress.bytes` as it goes. Returns what it read,
    /// for the report.
    func read(progress: ProgressCounter, emit: (Unit) -> Void) -> ReadStats
    /// Pure: the documents (or rejects) one unit holds, in order.
    func decode(_ unit: Unit) -> [Outcome]
    /// About how many bytes a unit holds: batches are cut by count and by bytes.
    func approximateBytes(of unit: Unit) -> Int
}

/// What decoding produces for each record in the fixed order.
public enum Outcome: Sendable {
    case document(Document)
    case reject(Reject)
    case dropped(reason: String)
}

/// Documents already in memory: runs the engine without files (tests, tools embedding NewsMill).
public struct ArraySource: DocumentSource {
    public let outcomes: [Outcome]

    public init(_ documents: [Document]) {
        outcomes = documents.map { .document($0) }
    }

    /// Documents and rejects, as a decoder would give them.
    public init(outcomes: [Outcome]) {
        self.outcomes = outcomes
    }

    public var totalBytes: Int64 { 0 }

    public func read(progress: ProgressCounter, emit: (Outcome) -> Void) -> ReadStats {
        for outcome in outcomes { emit(outcome) }
        var stats = ReadStats()
        stats.members = outcomes.count
        return stats
    }

    public func decode(_ unit: Outcome) -> [Outcome] { [unit] }

    public func approximateBytes(of unit: Outcome) -> Int {
        if case .document(let document) = unit { return document.text.utf8.count }
        return 256
    }
}

/// What a source saw besides documents: counted in report.json (`inputs`).
public struct ReadStats: Sendable, Equatable {
    public var files = 0
    public var archives = 0
    public var members = 0
    public var skipped: [String: Int] = [:]
    public var bytesRead: Int64 = 0
    /// `input.metadata`: rows read from the tables, and text members that found a row or not.
    public var metadataRows = 0
    public var metadataJoined = 0
    public var metadataUnmatched = 0
    /// SHA-256 (hex) of each input file the source read, by path: the input ledger's content hash.
    public var digests: [String: String] = [:]

    public init() {}
}
