/// MinHash signatures by one-permutation hashing: the shingle hashes (already uniformly mixed)
/// are the permutation; their range is cut into `bins` equal bins, each keeping its minimum,
/// which for a sorted set is simply the first value that falls into it. An empty bin borrows the
/// value of the next non-empty bin to its right, re-hashed with the distance (Shrivastava and
/// Li's densification).
/// For two sets, the chance that a bin agrees equals their Jaccard similarity, as with
/// `bins` independent permutations, at the cost of one hash per shingle instead of `bins`.
public struct MinHash: Sendable {
    public let bands: Int
    public let rows: Int
    public var bins: Int { bands * rows }

    public init(bands: Int, rows: Int) {
        precondition(bands > 0 && rows > 0)
        self.bands = bands
        self.rows = rows
    }

    /// The signature of a sorted set of shingle hashes.
    public func signature(_ shingles: [UInt32]) -> [UInt32] {
        let bins = self.bins
        var signature = [UInt32](repeating: .max, count: bins)
        var filled = [Bool](repeating: false, count: bins)
        var lastBin = -1
        for shingle in shingles {
            let bin = Int((UInt64(shingle) &* UInt64(bins)) >> 32)
            // Sorted input: the first value of a bin is its minimum.
            if bin != lastBin {
                signature[bin] = shingle
                filled[bin] = true
                lastBin = bin
            }
        }
        guard !shingles.isEmpty, filled.contains(false) else { return signature }
        let source = signature
        for bin in 0..<bins where !filled[bin] {
            var distance = 1
            while !filled[(bin + distance) % bins] { distance += 1 }
            let borrowed = source[(bin + distance) % bins]
            signature[bin] = UInt32(truncatingIfNeeded: Shingles.mix(UInt64(borrowed) << 32 | UInt64(distance)))
        }
        return signature
    }

    /// One hash per band of `rows` signature values: documents that agree on a whole band
    /// become candidates, with probability 1 - (1 - J^rows)^bands.
    public func bandHashes(_ signature: [UInt32]) -> [UInt32] {
        (0..<bands).map { band in
            var h = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
            for row in 0..<rows {
                h = Shingles.mix(h ^ UInt64(signature[band * rows + row]))
            }
            return UInt32(truncatingIfNeeded: h >> 16)
        }
    }

    /// The chance that two documents of Jaccard similarity `j` share at least one band.
    public func candidateProbability(_ j: Double) -> Double {
        1 - pow1(1 - pow1(j, rows), bands)
    }

    private func pow1(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= x }
        return r
    }
}

/// Documents by band hash, one open-addressing table per band; equal keys simply take further
/// slots. Keys are 32-bit: a collision only adds a candidate, which verification then rejects.
/// 8 bytes per slot, at most half full: 16-32 bytes per document and band.
struct LSHIndex {
    private var keys: [[UInt32]]
    private var docs: [[Int32]]
    private var counts: [Int]

    init(bands: Int, capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: [UInt32](repeating: 0, count: size), count: bands)
        docs = Array(repeating: [Int32](repeating: -1, count: size), count: bands)
        counts = Array(repeating: 0, count: bands)
    }

    var documentsIndexed: Int { counts.first ?? 0 }
    var bytes: Int { keys.reduce(0) { $0 + $1.count * 8 } }

    /// Every document stored under `key` in `band`.
    func lookup(band: Int, key: UInt32, into out: inout [Int32]) {
        keys[band].withUnsafeBufferPointer { keys in
            docs[band].withUnsafeBufferPointer { docs in
                let mask = keys.count - 1
                var slot = Int(Shingles.mix(UInt64(key)) & UInt64(mask))
                while docs[slot] >= 0 {
                    if keys[slot] == key { out.append(docs[slot]) }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    mutating func insert(band: Int, key: UInt32, doc: Int32) {
        if (counts[band] + 1) * 2 > keys[band].count { grow(band) }
        Self.place(key, doc, keys: &keys[band], docs: &docs[band])
        counts[band] += 1
    }

    private static func place(_ key: UInt32, _ doc: Int32, keys: inout [UInt32], docs: inout [Int32]) {
        let mask = keys.count - 1
        var slot = Int(Shingles.mix(UInt64(key)) & UInt64(mask))
        while docs[slot] >= 0 { slot = (slot + 1) & mask }
        keys[slot] = key
        docs[slot] = doc
    }

    private mutating func grow(_ band: Int) {
        let oldKeys = keys[band], oldDocs = docs[band]
        var newKeys = [UInt32](repeating: 0, count: oldKeys.count * 2)
        var newDocs = [Int32](repeating: -1, count: oldKeys.count * 2)
        for slot in oldDocs.indices where oldDocs[slot] >= 0 { Self.place(oldKeys[slot], oldDocs[slot], keys: &newKeys, docs: &newDocs) }
        keys[band] = newKeys
        docs[band] = newDocs
    }
}
