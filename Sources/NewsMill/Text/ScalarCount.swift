extension UnsafeBufferPointer<UInt8> {
    /// Unicode scalars in self[from..<to] of UTF-8: the bytes that are not continuation bytes,
    /// eight at a time (a continuation byte has its top bit set and the next one clear). The
    /// extract stages turn byte positions into the scalar offsets of the record with it.
    func scalarCount(from: Int, to: Int) -> Int {
        var count = 0
        var k = from
        if let base = baseAddress {
            let raw = UnsafeRawPointer(base)
            while k + 8 <= to {
                let x = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                count += 8 - (x & ~(x << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                k += 8
            }
        }
        while k < to {
            if self[k] & 0xC0 != 0x80 { count += 1 }
            k += 1
        }
        return count
    }
}
