import Foundation

/// Near-duplicate detection. In parallel, each document gets its word-shingle set, a MinHash
/// signature and its LSH band hashes. In input order, documents sharing a band with it are
/// candidates, and each candidate is verified by the exact Jaccard similarity of the shingle
/// sets, so the configured threshold alone decides. Clusters are the connected components of
/// verified pairs; the canonical document of a cluster is its earliest.
public struct NearDedupStage: ConfigurableStage {
    public enum Mode: String, Sendable { case mark, drop }

    public static let stageName = "near_dedup"
    public static let recordBlocks: [RecordBlock] = [.dedup]
    public var contract: StageContract { StageContract(reads: [.text, .dedup], writes: [.dedup]) }
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

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["threshold", "shingle", "bands", "rows", "mode"])
        let threshold = try options.double("threshold", default: 0.8, range: 0.01...1.0)
        let shingle = try options.int("shingle", default: 5, range: 1...32)
        let bands = try options.int("bands", default: 16, range: 1...256)
        let rows = try options.int("rows", default: 4, range: 1...64)
        let mode = Mode(rawValue: try options.choice("mode", default: "mark", allowed: ["mark", "drop"]))!
        self.init(threshold: threshold, shingleSize: shingle, bands: bands, rows: rows, mode: mode)
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        let shingles = Shingles.hashes(of: document.text, size: shingleSize)
        let bands = shingles.isEmpty ? [] : minHash.bandHashes(minHash.signature(shingles))
        document[NearSketch.self] = NearSketch(shingles: shingles, bands: bands)
        return .keep
    }

    public func makeSequencer() -> (any Sequencer)? {
        NearDedupSequencer(stage: self)
    }
}

/// What the parallel half of near dedup hands to the ordered half.
public struct NearSketch: Sendable, DocumentKey {
    public typealias Value = NearSketch
    public var shingles: [UInt32]
    public var bands: [UInt32]
}

final class NearDedupSequencer: Sequencer {
    let stage: NearDedupStage
    private var index: LSHIndex
    private var store: ShingleStore
    private var files: StateFiles?
    private var ids: [CompactID] = []
    /// Union-find over document numbers; a root is always the smallest number of its set, so the
    /// root is the cluster's earliest document.
    private var parent: [Int32] = []
    private var candidates: [Int32] = []
    private var buffer: [UInt32] = []

    deinit {
        if let files { close(files.shingles) }
    }

    init(stage: NearDedupStage) {
        self.stage = stage
        index = LSHIndex(bands: stage.minHash.bands)
        store = ShingleStore(temporaryIn: NSTemporaryDirectory())
    }

    func sequence(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        let verdict = decide(&document)
        // The statuses of the documents passed on; the run's dedup summary is the last dedup stage's.
        if verdict == .keep, let status = document.dedup?.status { counts.add(status.rawValue) }
        return verdict
    }

    private func decide(_ document: inout Document) -> Verdict {
        let sketch =
            document[NearSketch.self] ?? NearSketch(shingles: Shingles.hashes(of: document.text, size: stage.shingleSize), bands: [])
        document[NearSketch.self] = nil
        let number = Int32(ids.count)
        candidates.removeAll(keepingCapacity: true)
        index.lookup(keys: sketch.bands, into: &candidates)
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
        let id = CompactID(hex: document.id)
        let indexed = document.dedup?.status != .exact
        ids.append(id)
        parent.append(number)
        store.append(sketch.shingles)
        for match in matched { union(number, match.number) }
        if let files {
            files.documents.append(id.high); files.documents.append(id.low)
            files.documents.append(UInt32(sketch.shingles.count)); files.documents.append(UInt32(indexed ? 1 : 0))
            if indexed && !sketch.bands.isEmpty {
                files.bands.append(number)
                files.bands.append(contentsOf: sketch.bands)
            }
            for match in matched {
                files.links.append(number); files.links.append(match.number)
            }
        }
        let cluster = ids[Int(find(number))].hex
        let merges = roots.filter { $0 != joinedRoot }.sorted().map { ids[Int($0)].hex }
        let hash = document.dedup?.hash ?? document[ContentHashKey.self] ?? Hash128.murmur3(document.text)

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
        document.dedup = DedupInfo(
            hash: hash, status: .near, of: ids[Int(best.number)].hex,
            similarity: (best.similarity * 10_000).rounded() / 10_000, cluster: cluster, merges: merges)
        return stage.mode == .drop ? .drop(reason: "near_duplicate") : .keep
    }

    // MARK: State across runs

    /// The state folder's files of this stage, all appended to in document order.
    struct StateFiles {
        /// Per document: id (12 bytes), shingle count, whether it is in the LSH index.
        let documents: StateAppender
        /// Per indexed document: its number and band hashes.
        let bands: StateAppender
        /// Per verified match: the two document numbers (replayed into the union-find).
        let links: StateAppender
        let shingles: Int32
    }

    static let section = "near_dedup"
    static let documentRecord = 20

    var parameters: [String: String] {
        ["shingle": String(stage.shingleSize), "bands": String(stage.minHash.bands), "rows": String(stage.minHash.rows)]
    }

    func restore(from state: StateFolder) throws(RunFailure) {
        let committed = state.section(Self.section)
        if let committed, committed.parameters != parameters {
            let was = committed.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let now = parameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            throw RunFailure(
                "state folder \(state.path) holds near_dedup signatures made with \(was); this pipeline asks for \(now): use the same near_dedup settings, or a new state folder"
            )
        }
        let documents = try StateAppender(state: state, name: "near_dedup.documents.bin")
        let bands = try StateAppender(state: state, name: "near_dedup.bands.bin")
        let links = try StateAppender(state: state, name: "near_dedup.links.bin")
        let shingles = try state.openData("near_dedup.shingles.bin", committed: committed?.files["near_dedup.shingles.bin"] ?? 0)
        let damaged = { (what: String) in RunFailure("state folder \(state.path) is damaged: \(what)") }

        var counts: [UInt32] = []
        counts.reserveCapacity(Int(documents.length) / Self.documentRecord)
        ids.reserveCapacity(counts.capacity)
        let wholeDocuments = try documents.readRecords(size: Self.documentRecord) { raw in
            for offset in stride(from: 0, to: raw.count, by: Self.documentRecord) {
                ids.append(
                    CompactID(
                        high: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                        low: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)))
                counts.append(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            }
        }
        guard wholeDocuments else { throw damaged("near_dedup.documents.bin is not whole records") }
        let shingleBytes = counts.reduce(UInt64(0)) { $0 + UInt64($1) * 4 }
        guard shingleBytes == committed?.files["near_dedup.shingles.bin"] ?? 0 else {
            throw damaged("near_dedup.shingles.bin does not hold the sets near_dedup.documents.bin lists")
        }
        parent = (0..<Int32(ids.count)).map { $0 }

        let bandRecord = 4 + 4 * stage.minHash.bands
        index = LSHIndex(bands: stage.minHash.bands, capacity: max(1024, Int(bands.length) / bandRecord))
        var bad = false
        let wholeBands = try bands.readRecords(size: bandRecord) { raw in
            for offset in stride(from: 0, to: raw.count, by: bandRecord) {
                let number = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                guard number >= 0 && Int(number) < ids.count else { bad = true; return }
                for band in 0..<stage.minHash.bands {
                    index.insert(band: band, key: raw.loadUnaligned(fromByteOffset: offset + 4 + 4 * band, as: UInt32.self), doc: number)
                }
            }
        }
        guard wholeBands, !bad else { throw damaged("near_dedup.bands.bin is not whole records, or names documents it does not hold") }
        let wholeLinks = try links.readRecords(size: 8) { raw in
            for offset in stride(from: 0, to: raw.count, by: 8) {
                let a = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                    b = raw.loadUnaligned(fromByteOffset: offset + 4, as: Int32.self)
                guard a >= 0, b >= 0, Int(a) < ids.count, Int(b) < ids.count else { bad = true; return }
                union(a, b)
            }
        }
        guard wholeLinks, !bad else { throw damaged("near_dedup.links.bin is not whole records, or names documents it does not hold") }
        store = ShingleStore(descriptor: shingles, counts: counts)
        files = StateFiles(documents: documents, bands: bands, links: links, shingles: shingles)
    }

    func persist(to state: StateFolder) throws(RunFailure) {
        guard let files else { return }
        store.flush()
        if store.failed { throw RunFailure("cannot write \(state.path)/near_dedup.shingles.bin (disk full?)", kind: .writeFailed) }
        try files.documents.sync()
        try files.bands.sync()
        try files.links.sync()
        try StateIO.sync(files.shingles, file: "near_dedup.shingles.bin")
        state.stage(
            Self.section,
            section: StateFolder.Section(
                files: [
                    "near_dedup.documents.bin": files.documents.length, "near_dedup.bands.bin": files.bands.length,
                    "near_dedup.links.bin": files.links.length, "near_dedup.shingles.bin": store.end,
                ],
                documents: ids.count, parameters: parameters))
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

extension NearDedupStage: ShardableStage {
    /// The text's hash goes too: without exact_dedup before it, the sequencer hashes the text it
    /// no longer has.
    public func writeSketch(of document: Document, into bytes: inout ByteWriter) {
        let hash = document[ContentHashKey.self] ?? Hash128.murmur3(document.text)
        bytes.append(hash.high)
        bytes.append(hash.low)
        let sketch = document[NearSketch.self] ?? NearSketch(shingles: Shingles.hashes(of: document.text, size: shingleSize), bands: [])
        bytes.append(sketch.shingles)
        bytes.append(sketch.bands)
    }

    public func readSketch(from bytes: inout ByteReader, into document: inout Document) throws(RunFailure) {
        let hash = Hash128(high: try bytes.read(), low: try bytes.read())
        if document[ContentHashKey.self] == nil { document[ContentHashKey.self] = hash }
        document[NearSketch.self] = NearSketch(shingles: try bytes.readUInt32s(), bands: try bytes.readUInt32s())
    }
}
