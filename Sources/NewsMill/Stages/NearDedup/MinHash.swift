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
/// slots. A slot is one 64-bit word, key above and document number + 1 below (0: empty), so a
/// probe costs one cache miss. Keys are 32-bit: a collision only adds a candidate, which
/// verification then rejects. At most half full: 16-32 bytes per document and band.
struct LSHIndex {
    private var tables: [[UInt64]]
    private var counts: [Int]

    init(bands: Int, capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        tables = Array(repeating: [UInt64](repeating: 0, count: size), count: bands)
        counts = Array(repeating: 0, count: bands)
    }

    var bytes: Int { tables.reduce(0) { $0 + $1.count * 8 } }

    /// Every document stored under any band's key, band by band. The first slot of every band
    /// is read before any probe, so that the (independent) cache misses overlap.
    func lookup(keys: [UInt32], into out: inout [Int32]) {
        var touched: UInt64 = 0
        for (band, key) in keys.enumerated() {
            tables[band].withUnsafeBufferPointer { slots in
                touched &+= slots[Int(Shingles.mix(UInt64(key)) & UInt64(slots.count - 1))]
            }
        }
        if touched == 1 { out.reserveCapacity(out.count + 1) }  // keeps the reads
        for (band, key) in keys.enumerated() { lookup(band: band, key: key, into: &out) }
    }

    /// Every document stored under `key` in `band`.
    func lookup(band: Int, key: UInt32, into out: inout [Int32]) {
        tables[band].withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(Shingles.mix(UInt64(key)) & UInt64(mask))
            while slots[slot] != 0 {
                if UInt32(truncatingIfNeeded: slots[slot] >> 32) == key { out.append(Int32(truncatingIfNeeded: slots[slot]) - 1) }
                slot = (slot + 1) & mask
            }
        }
    }

    mutating func insert(band: Int, key: UInt32, doc: Int32) {
        if (counts[band] + 1) * 2 > tables[band].count { grow(band) }
        Self.place(UInt64(key) << 32 | UInt64(UInt32(doc + 1)), in: &tables[band])
        counts[band] += 1
    }

    private static func place(_ entry: UInt64, in slots: inout [UInt64]) {
        let mask = slots.count - 1
        var slot = Int(Shingles.mix(entry >> 32) & UInt64(mask))
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow(_ band: Int) {
        let old = tables[band]
        var grown = [UInt64](repeating: 0, count: old.count * 2)
        for entry in old where entry != 0 { Self.place(entry, in: &grown) }
        tables[band] = grown
    }
}
