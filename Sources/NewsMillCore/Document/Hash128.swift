/// A 128-bit content hash (MurmurHash3 x64/128): fast, well distributed, and stable across
/// platforms and releases, which persistent dedup state depends on.
public struct Hash128: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<16 {
            let word = i < 8 ? high : low
            let byte = UInt8(truncatingIfNeeded: word >> UInt64((7 - i % 8) * 8))
            out[2 * i] = digits[Int(byte >> 4)]
            out[2 * i + 1] = digits[Int(byte & 0xF)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func murmur3(_ bytes: some Collection<UInt8>, seed: UInt64 = 0) -> Hash128 {
        if let h = bytes.withContiguousStorageIfAvailable({ murmur3(UnsafeRawBufferPointer($0), seed: seed) }) {
            return h
        }
        return Array(bytes).withUnsafeBytes { murmur3($0, seed: seed) }
    }

    public static func murmur3(_ string: String, seed: UInt64 = 0) -> Hash128 {
        var s = string
        return s.withUTF8 { murmur3(UnsafeRawBufferPointer($0), seed: seed) }
    }

    public static func murmur3(_ data: UnsafeRawBufferPointer, seed: UInt64 = 0) -> Hash128 {
        let c1: UInt64 = 0x87c3_7b91_1142_53d5
        let c2: UInt64 = 0x4cf5_ad43_2745_937f
        var h1 = seed
        var h2 = seed
        let count = data.count
        let blocks = count / 16
        for i in 0..<blocks {
            var k1 = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i * 16, as: UInt64.self))
            var k2 = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i * 16 + 8, as: UInt64.self))
            k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
            h1 = rotl(h1, 27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
            h2 = rotl(h2, 31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        let tail = blocks * 16
        let rest = count - tail
        var k1: UInt64 = 0
        var k2: UInt64 = 0
        if rest > 8 {
            for i in stride(from: rest - 1, through: 8, by: -1) {
                k2 ^= UInt64(data[tail + i]) << UInt64((i - 8) * 8)
            }
            k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
        }
        if rest > 0 {
            for i in stride(from: min(rest, 8) - 1, through: 0, by: -1) {
                k1 ^= UInt64(data[tail + i]) << UInt64(i * 8)
            }
            k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
        }
        h1 ^= UInt64(count); h2 ^= UInt64(count)
        h1 &+= h2; h2 &+= h1
        h1 = fmix(h1); h2 = fmix(h2)
        h1 &+= h2; h2 &+= h1
        return Hash128(high: h1, low: h2)
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 {
        (x << r) | (x >> (64 - r))
    }

    @inline(__always) private static func fmix(_ k0: UInt64) -> UInt64 {
        var k = k0
        k ^= k >> 33; k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33; k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }
}
