/// A set of word keys with a small value each, in one open-addressing table. The keys are
/// already hashes (`WordKey`), so a lookup is a multiply, a mask and a probe or two, where a
/// `Set<WordKey>` would hash the key again with SipHash.
struct QuoteWordTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt8]
    private let mask: Int

    init(_ entries: [(key: WordKey, value: UInt8)]) {
        self.init(hashes: entries.map { ($0.key.value, $0.value) })
    }

    init(words: [String]) {
        self.init(words.map { (WordKey($0), 1) })
    }

    private init(hashes entries: [(key: UInt64, value: UInt8)]) {
        var capacity = 16
        while capacity < entries.count * 3 { capacity *= 2 }
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        for entry in entries {
            var slot = Self.slot(entry.key, mask)
            while keys[slot] != 0 && keys[slot] != entry.key { slot = (slot + 1) & mask }
            keys[slot] = entry.key
            values[slot] = entry.value
        }
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The value stored for a key; nil when absent, and for no key (a token that is no word).
    @inline(__always) func value(_ key: WordKey?) -> UInt8? {
        guard let key = key?.value else { return nil }
        var slot = Self.slot(key, mask)
        while true {
            let k = keys[slot]
            if k == key { return values[slot] }
            if k == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always) func contains(_ key: WordKey?) -> Bool { value(key) != nil }

    func union(_ other: QuoteWordTable) -> QuoteWordTable {
        QuoteWordTable(hashes: entries + other.entries)
    }

    private var entries: [(key: UInt64, value: UInt8)] {
        keys.indices.compactMap { keys[$0] == 0 ? nil : (keys[$0], values[$0]) }
    }
}
