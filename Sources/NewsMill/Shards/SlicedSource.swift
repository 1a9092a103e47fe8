import Foundation

/// One map task's share of a sharded run's input: its pieces of the plan, each a whole input or
/// a slice of one (the units whose number modulo `modulus` is in its residues), read as `ArchiveSource` reads the whole plan. Shard 0 also
/// emits the plan's problems, first, as an unsharded run does. Counts, per piece, the units it
/// emitted: the sequence task needs them to take slices back in order.
struct SlicedSource: DocumentSource {
    let plan: InputPlan
    let pieces: [ShardPlan.Piece]
    let first: Bool
    let options: InputOptions
    let units = UnitCounts()
    private let decoder: MemberDecoder

    init(plan: InputPlan, pieces: [ShardPlan.Piece], first: Bool, options: InputOptions) {
        self.plan = plan
        self.pieces = pieces
        self.first = first
        self.options = options
        decoder = MemberDecoder(options: options)
    }

    var totalBytes: Int64 { pieces.reduce(0) { $0 + plan.files[$1.file].size * Int64($1.count) / Int64($1.modulus) } }

    func read(progress: ProgressCounter, emit: (SourceItem) -> Void) -> ReadStats {
        var counts = [Int](repeating: 0, count: pieces.count)
        var problems = 0
        if first {
            for problem in plan.problems { emit(.reject(problem)) }
            problems = plan.problems.count
        }
        var visit = 0
        var seen = 0
        let stats = withoutActuallyEscaping(emit) { emit in
            let reader = SourceReader(options: options, progress: progress) { item in
                let piece = pieces[visit]
                defer { seen += 1 }
                guard piece.takes(unit: seen) else { return }
                counts[visit] += 1
                emit(item)
            }
            reader.read(
                plan, visits: pieces.map(\.file), countFolderMetadata: first, keepsStats: { pieces[$0].first == 0 },
                beforeVisit: {
                    visit = $0
                    seen = 0
                })
            return reader.stats
        }
        units.set(problems: problems, pieces: counts)
        return stats
    }

    func decode(_ item: SourceItem) -> [Outcome] {
        decoder.decode(item)
    }

    func approximateBytes(of item: SourceItem) -> Int {
        item.approximateBytes
    }
}

/// Units emitted per piece, handed from the reader thread to the task once the run is over.
final class UnitCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (problems: Int, pieces: [Int]) = (0, [])

    func set(problems: Int, pieces: [Int]) {
        lock.lock()
        value = (problems, pieces)
        lock.unlock()
    }

    var counts: (problems: Int, pieces: [Int]) {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
