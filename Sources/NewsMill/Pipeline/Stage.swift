/// What a stage decided about a document.
public enum Verdict: Sendable, Equatable {
    case keep
    /// Removed on purpose by configuration (e.g. a duplicate in drop mode); counted per reason.
    case drop(reason: String)
    /// The document cannot be processed; it becomes a rejects.jsonl record.
    case reject(RejectCode, String)
}

/// One step of the pipeline. `process` runs on worker threads in any order and must depend on
/// the document alone; stages that need a global view (deduplication) also return a sequencer.
public protocol Stage: Sendable {
    var name: String { get }
    /// The stage rewrites `text` (normalization, boilerplate removal).
    var changesText: Bool { get }
    /// The stage records offsets into `text`, so no stage after it may change the text.
    var recordsOffsets: Bool { get }
    func process(_ document: inout Document) -> Verdict
    /// The same, for a stage that counts what it does; the counts are summed into report.json.
    func process(_ document: inout Document, counts: inout StageCounts) -> Verdict
    func makeSequencer() -> (any Sequencer)?
}

extension Stage {
    public var changesText: Bool { false }
    public var recordsOffsets: Bool { false }
    public func process(_ document: inout Document) -> Verdict { .keep }
    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict { process(&document) }
    public func makeSequencer() -> (any Sequencer)? { nil }
}

/// Named counters a stage keeps (e.g. boilerplate lines removed, by pattern).
public struct StageCounts: Sendable, Equatable {
    public private(set) var values: [String: Int] = [:]

    public init() {}

    public mutating func add(_ key: String, _ amount: Int = 1) {
        values[key, default: 0] += amount
    }

    public mutating func merge(_ other: StageCounts) {
        for (key, value) in other.values { values[key, default: 0] += value }
    }
}

/// The ordered half of a stage: sees documents one at a time in the fixed input order, on one
/// thread, so its decisions never depend on thread timing.
public protocol Sequencer: AnyObject {
    func sequence(_ document: inout Document) -> Verdict
    /// Loads what earlier runs committed to the state folder; called once, before any document.
    func restore(from state: StateFolder) throws(RunFailure)
    /// Makes what this run added durable in the state folder's data files and stages the
    /// section that commits it; called once, after the last document.
    func persist(to state: StateFolder) throws(RunFailure)
}

extension Sequencer {
    public func restore(from state: StateFolder) throws(RunFailure) {}
    public func persist(to state: StateFolder) throws(RunFailure) {}
}

/// Builds stages by the names used in pipeline configs.
public enum StageRegistry {
    public static let names = ["normalize", "boilerplate", "lead", "language", "stats", "dates", "entities", "numbers", "quotes", "exact_dedup", "near_dedup"]

    static func make(name: String, options: ConfigSection) throws(ConfigError) -> any Stage {
        switch name {
        case "normalize": return try NormalizeStage(options: options)
        case "boilerplate": return try BoilerplateStage(options: options)
        case "lead": return try LeadStage(options: options)
        case "language": return try LanguageStage(options: options)
        case "stats": return try StatsStage(options: options)
        case "dates": return try DatesStage(options: options)
        case "entities": return try EntitiesStage(options: options)
        case "numbers": return try NumbersStage(options: options)
        case "quotes": return try QuotesStage(options: options)
        case "exact_dedup": return try ExactDedupStage(options: options)
        case "near_dedup": return try NearDedupStage(options: options)
        default:
            throw ConfigError(file: options.file, line: options.line, keyPath: options.path,
                              message: "unknown stage '\(name)'; available stages: \(names.joined(separator: ", "))")
        }
    }
}
