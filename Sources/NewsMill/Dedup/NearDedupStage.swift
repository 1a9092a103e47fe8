import Foundation

/// Near-duplicate detection. In parallel, each document gets its word-shingle set, a MinHash
/// signature and its LSH band hashes. In input order, documents sharing a band with it are
/// candidates, and each candidate is verified by the exact Jaccard similarity of the shingle
/// sets, so the configured threshold alone decides. Clusters are the connected components of
/// verified pairs; the canonical document of a cluster is its earliest.
public struct NearDedupStage: Stage {
    public enum Mode: String, Sendable { case mark, drop }

    public let name = "near_dedup"
    public let threshold: Double
    public let shingleSize: Int
    public let minHash: MinHash
    public let mode: Mode

    public init(threshold: Double = 0.8, shingleSize: Int = 5, bands: Int = 16, rows: Int = 4, mode: Mode = .mark) {
        self.threshold = threshold
        self.shingleSize = shingleSize
        self.minHash = MinHash(bands: bands, rows: rows)
        self.mode = mode
    }

    init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["threshold", "shingle", "bands", "rows", "mode"])
        let threshold = try options.double("threshold", default: 0.8, range: 0.01...1.0)
        let shingle = try options.int("shingle", default: 5, range: 1...32)
        let bands = try options.int("bands", default: 16, range: 1...256)
        let rows = try options.int("rows", default: 4, range: 1...64)
        let mode = Mode(rawValue: try options.choice("mode", default: "mark", allowed: ["mark", "drop"]))!
        self.init(threshold: threshold, shingleSize: shingle, bands: bands, rows: rows, mode: mode)
    }

    public func process(_ document: inout Document) -> Verdict {
        let shingles = Shingles.hashes(of: document.text, size: shingleSize)
        let bands = shingles.isEmpty ? [] : minHash.bandHashes(minHash.signature(shingles))
        document.nearSketch = NearSketch(shingles: shingles, bands: bands)
        return .keep
    }

    public func makeSequencer() -> (any Sequencer)? {
        NearDedupSequencer(stage: self)
    }
}

/// What the parallel half of near dedup hands to the ordered half.
public struct NearSketch: Sendable {
    public var shingles: [UInt32]
    public var bands: [UInt32]
}

final class NearDedupSequencer: Sequencer {
    let stage: NearDedupStage
    private var index: LSHIndex
    private let store: ShingleStore
    private var ids: [CompactID] = []
    /// Union-find over document numbers; a root is always the smallest number of its set, so the
    /// root is the cluster's earliest document.
    private var parent: [Int32] = []
    private var candidates: [Int32] = []
    private var buffer: [UInt32] = []

    init(stage: NearDedupStage) {
        self.stage = stage
        index = LSHIndex(bands: stage.minHash.bands)
        store = ShingleStore(temporaryIn: NSTemporaryDirectory())
    }

    func sequence(_ document: inout Document) -> Verdict {
        let sketch = document.nearSketch ?? NearSketch(shingles: Shingles.hashes(of: document.text, size: stage.shingleSize), bands: [])
        document.nearSketch = nil
        let number = Int32(ids.count)
        candidates.removeAll(keepingCapacity: true)
        for (band, key) in sketch.bands.enumerated() { index.lookup(band: band, key: key, into: &candidates) }
        candidates.sort()
        var matched: [(number: Int32, similarity: Double, root: Int32)] = []
        var previous: Int32 = -1
        sketch.shingles.withUnsafeBufferPointer { mine in
            for candidate in candidates where candidate != previous {
                previous = candidate
                store.read(Int(candidate), into: &buffer)
                let similarity = buffer.withUnsafeBufferPointer { Shingles.jaccard(mine, $0) }
                guard similarity >= stage.threshold else { continue }
                matched.append((candidate, similarity, find(candidate)))
            }
        }
        // `of` is the most similar verified match (the earliest of equals).
        var best: (number: Int32, similarity: Double)?
        for match in matched where best == nil || match.similarity > best!.similarity {
            best = (match.number, match.similarity)
        }
        // Clusters apart until now that this document joins: records already written keep their
        // cluster, so this record names the ones merged.
        let roots = Set(matched.map(\.root))
        let joinedRoot = roots.min()
        ids.append(CompactID(hex: document.id))
        parent.append(number)
        store.append(sketch.shingles)
        for match in matched { union(number, match.number) }
        let cluster = ids[Int(find(number))].hex
        let merges = roots.filter { $0 != joinedRoot }.sorted().map { ids[Int($0)].hex }
        let hash = document.dedup?.hash ?? document.contentHash ?? Hash128.murmur3(document.text)

        if document.dedup?.status == .exact {
            // Same text as an earlier document: that one is indexed already, and the cluster is its.
            document.dedup?.cluster = cluster
            document.dedup?.merges = merges
            return .keep
        }
        for (band, key) in sketch.bands.enumerated() { index.insert(band: band, key: key, doc: number) }
        guard let best else {
            document.dedup = DedupInfo(hash: hash, status: .unique, of: nil, similarity: nil, cluster: cluster, merges: merges)
            return .keep
        }
        document.dedup = DedupInfo(hash: hash, status: .near, of: ids[Int(best.number)].hex,
                                   similarity: (best.similarity * 10_000).rounded() / 10_000, cluster: cluster, merges: merges)
        return stage.mode == .drop ? .drop(reason: "near_duplicate") : .keep
    }

    private func find(_ x: Int32) -> Int32 {
        var root = x
        while parent[Int(root)] != root { root = parent[Int(root)] }
        var node = x
        while parent[Int(node)] != root {
            let next = parent[Int(node)]
            parent[Int(node)] = root
            node = next
        }
        return root
    }

    private func union(_ a: Int32, _ b: Int32) {
        let ra = find(a), rb = find(b)
        guard ra != rb else { return }
        if ra < rb { parent[Int(rb)] = ra } else { parent[Int(ra)] = rb }
    }
}
