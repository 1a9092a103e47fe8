import Glibc

/// Eight bytes at a time for the normalize passes: most of a news text is Cyrillic letters
/// (lead bytes 0xD0/0xD1 and continuation bytes) and plain ASCII that no pass changes, so a pass
/// tests a whole word against its marks and looks at single bytes only in a word that may hold
/// one. A byte-by-byte table loop costs 6–8 instructions a byte; these tests about 3 per byte.
/// Every test sets bit 7 of each byte of the word that it holds for, and never of one that it
/// does not (no carry crosses a byte), so a word whose mask is 0 holds none of the marks.
enum ByteScan {
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    static let high: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    static func load(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(s.baseAddress! + i).loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    static func broadcast(_ b: UInt8) -> UInt64 { UInt64(b) &* 0x0101_0101_0101_0101 }

    /// Bytes below `bound` (at most 0x80).
    @inline(__always)
    static func below(_ x: UInt64, _ bound: UInt8) -> UInt64 {
        ~(((x & low7) &+ broadcast(0x80 - bound)) | x) & high
    }

    /// Bytes equal to `b`.
    @inline(__always)
    static func equal(_ x: UInt64, _ b: UInt8) -> UInt64 {
        let y = x ^ broadcast(b)
        return ~(((y & low7) &+ low7) | y) & high
    }

    /// Lead bytes of two- to four-byte sequences (0xC0 and up) other than the Cyrillic 0xD0 and
    /// 0xD1: what may start a non-ASCII mark, a space or a character outside Russian text.
    @inline(__always)
    static func leadsOutsideCyrillic(_ x: UInt64) -> UInt64 {
        let lead = x & (x << 1) & high
        let y = (x ^ broadcast(0xD0)) & broadcast(0xFE)
        let cyrillic = ~(((y & low7) &+ low7) | y) & high
        return lead & ~cyrillic
    }

    /// Whether `s` holds the byte `b`: glibc's memchr reads it a vector at a time.
    static func contains(_ s: UnsafeBufferPointer<UInt8>, _ b: UInt8) -> Bool {
        guard let base = s.baseAddress else { return false }
        return memchr(base, Int32(b), s.count) != nil
    }
}
