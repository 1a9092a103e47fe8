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
    /// The record fields the stage reads, writes and edits: the engine never looks at them, the
    /// config checks the stage order with them.
    var contract: StageContract { get }
    /// `counts` are summed over all documents into report.json (`stages.<name>`).
    func process(_ document: inout Document, counts: inout StageCounts) -> Verdict
    func makeSequencer() -> (any Sequencer)?
}

extension Stage {
    public func makeSequencer() -> (any Sequencer)? { nil }

    /// For callers with no report to count into (tests, tools).
    public func process(_ document: inout Document) -> Verdict {
        var counts = StageCounts()
        return process(&document, counts: &counts)
    }
}

/// A record field, by the name of its key in the record (`text`, `lang`, `entities`, `dedup`).
/// Stages declare fields in their folder (`extension Field { static let dates: Field = "dates" }`).
public struct Field: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public init(stringLiteral name: String) {
        self.name = name
    }

    public var description: String { name }

    public static let text: Field = "text"
    public static let title: Field = "title"
    public static let url: Field = "url"
    public static let published: Field = "published"
    /// `source.mojibake`: the charset text had been misread as, when it was repaired.
    public static let mojibake: Field = "source.mojibake"
}

/// What a stage reads and writes, so that the order of stages can be checked from declarations.
///
/// - `reads`: fields whose value the stage's output depends on; every stage that writes or edits
///   one of them must run before it (offsets into `text` need the final text; quotes resolve
///   speakers to the entities found before).
/// - `writes`: fields the stage sets.
/// - `edits`: fields the stage rewrites in place from their current value (normalize and
///   boilerplate edit `text`); editors of a field may run in any order among themselves.
public struct StageContract: Sendable, Equatable {
    public var reads: Set<Field>
    public var writes: Set<Field>
    public var edits: Set<Field>

    public init(reads: Set<Field> = [], writes: Set<Field> = [], edits: Set<Field> = []) {
        self.reads = reads
        self.writes = writes
        self.edits = edits
    }

    public var changesText: Bool { edits.contains(.text) || writes.contains(.text) }

    /// Fields this stage changes that `earlier` read, so `earlier`'s output would be stale.
    func invalidates(_ earlier: StageContract) -> Set<Field> {
        earlier.reads.intersection(writes.union(edits))
    }
}

/// The order rule of a pipeline, from the stages' contracts.
public enum StageOrder {
    public struct Problem: Error, Sendable, Equatable {
        /// The stage that runs too late.
        public var index: Int
        public var message: String
    }

    /// The first stage that changes a field an earlier stage already read.
    public static func check(_ stages: [any Stage]) -> Problem? {
        for (index, stage) in stages.enumerated() {
            for earlier in stages[..<index] {
                let stale = stage.contract.invalidates(earlier.contract)
                guard let field = stale.sorted(by: { $0.name < $1.name }).first else { continue }
                let change = field == .text ? "changes the text" : "writes \(field)"
                return Problem(
                    index: index,
                    message: "'\(stage.name)' \(change) after '\(earlier.name)' read it; list '\(stage.name)' before '\(earlier.name)'")
            }
        }
        return nil
    }
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
    /// `counts` go to report.json with the stage's own (`stages.<name>`).
    func sequence(_ document: inout Document, counts: inout StageCounts) -> Verdict
    /// Loads what earlier runs committed to the state folder; called once, before any document.
    func restore(from state: StateFolder) throws(RunFailure)
    /// Makes what this run added durable in the state folder's data files and stages the
    /// section that commits it; called once, after the last document.
    func persist(to state: StateFolder) throws(RunFailure)
}

extension Sequencer {
    public func restore(from state: StateFolder) throws(RunFailure) {}
    public func persist(to state: StateFolder) throws(RunFailure) {}

    /// For callers with no report to count into (tests, tools).
    public func sequence(_ document: inout Document) -> Verdict {
        var counts = StageCounts()
        return sequence(&document, counts: &counts)
    }
}
