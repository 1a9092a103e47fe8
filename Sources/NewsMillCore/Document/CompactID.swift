/// A 96-bit document id (24 hex digits) in 12 bytes.
public struct CompactID: Hashable {
    public var high: UInt64
    public var low: UInt32

    public init(high: UInt64, low: UInt32) {
        self.high = high
        self.low = low
    }

    public init(hex: String) {
        let digits = Array(hex.utf8)
        precondition(digits.count == 24, "document ids are 24 hex digits")
        func value(_ range: Range<Int>) -> UInt64 {
            digits[range].reduce(0) { $0 << 4 | UInt64(($1 <= 0x39 ? $1 - 0x30 : ($1 | 0x20) - 0x57) & 0xF) }
        }
        high = value(0..<16)
        low = UInt32(value(16..<24))
    }

    public var hex: String {
        Hash128(high: high, low: UInt64(low) << 32).hex.prefix(24).description
    }
}
