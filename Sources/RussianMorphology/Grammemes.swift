/// A set of OpenCorpora grammemes ("NOUN", "Surn", "gent", "femn", ...): the dictionary has 97,
/// so a set is two words of bits. Bits are numbered at load time in the order names are met.
public struct Grammemes: Hashable, Sendable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    init() {}

    init(bit: Int) {
        if bit < 64 { low = 1 << UInt64(bit) } else { high = 1 << UInt64(bit - 64) }
    }

    public static let none = Grammemes()

    public func contains(_ other: Grammemes) -> Bool { low & other.low == other.low && high & other.high == other.high }
    public func intersects(_ other: Grammemes) -> Bool { low & other.low != 0 || high & other.high != 0 }
    public func union(_ other: Grammemes) -> Grammemes {
        var out = self
        out.low |= other.low
        out.high |= other.high
        return out
    }
    public func intersection(_ other: Grammemes) -> Grammemes {
        var out = self
        out.low &= other.low
        out.high &= other.high
        return out
    }
    public func subtracting(_ other: Grammemes) -> Grammemes {
        var out = self
        out.low &= ~other.low
        out.high &= ~other.high
        return out
    }
    public var isEmpty: Bool { low == 0 && high == 0 }
}

/// The grammemes the name normalizer asks about, resolved against one dictionary's numbering.
public struct GrammemeNames: Sendable {
    private let bits: [String: Int]

    init(names: [String]) {
        var bits: [String: Int] = [:]
        for name in names where bits[name] == nil { bits[name] = bits.count }
        self.bits = bits
    }

    var count: Int { bits.count }

    public subscript(_ name: String) -> Grammemes {
        bits[name].map { Grammemes(bit: $0) } ?? .none
    }

    func set(_ names: some Sequence<Substring>) -> Grammemes {
        names.reduce(Grammemes.none) { $0.union(self[String($1)]) }
    }

    /// The names in `set`, for messages and tests.
    public func names(_ set: Grammemes) -> [String] {
        bits.filter { set.contains(Grammemes(bit: $0.value)) }.sorted { $0.value < $1.value }.map(\.key)
    }
}
