extension NameNormalizer.Context {
    /// The contexts of spans of `text` given in Unicode scalar offsets, each what
    /// `init(around:_:in:)` gives over `Array(text.unicodeScalars)`, read from the text's UTF-8
    /// without decoding all of it.
    public static func contexts(around spans: [(start: Int, end: Int)], in text: String) -> [Self] {
        guard !spans.isEmpty else { return [] }
        var text = text
        return text.withUTF8 { bytes in
            // Scalar offsets to byte offsets (the end for one past it), in one pass over the bytes
            // up to the last offset.
            var offsets = spans.flatMap { [$0.start, $0.end] }
            offsets.sort()
            var positions: [Int] = []
            positions.reserveCapacity(offsets.count)
            var scalar = 0
            var byte = 0
            for offset in offsets {
                while scalar < offset && byte < bytes.count {
                    byte += 1
                    while byte < bytes.count && bytes[byte] & 0xC0 == 0x80 { byte += 1 }
                    scalar += 1
                }
                positions.append(byte)
            }
            func position(_ offset: Int) -> Int {
                var (low, high) = (0, offsets.count)
                while low < high {
                    let middle = (low + high) / 2
                    if offsets[middle] < offset { low = middle + 1 } else { high = middle }
                }
                return positions[low]
            }
            /// `isSpace` without a Unicode table lookup for Cyrillic letters.
            func space(_ scalar: Unicode.Scalar) -> Bool {
                (0x400...0x4FF).contains(scalar.value) ? false : isSpace(scalar)
            }
            func decode(at i: Int) -> (scalar: Unicode.Scalar, length: Int) {
                let lead = UInt32(bytes[i])
                if lead < 0x80 { return (Unicode.Scalar(lead)!, 1) }
                if lead < 0xE0 { return (Unicode.Scalar((lead & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F)!, 2) }
                if lead < 0xF0 {
                    return (Unicode.Scalar((lead & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F)!, 3)
                }
                let value =
                    (lead & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12 | (UInt32(bytes[i + 2]) & 0x3F) << 6 | UInt32(bytes[i + 3])
                    & 0x3F
                return (Unicode.Scalar(value)!, 4)
            }
            func previous(_ i: Int) -> Int {
                var j = i - 1
                while j > 0 && bytes[j] & 0xC0 == 0x80 { j -= 1 }
                return j
            }
            func string(_ from: Int, _ to: Int) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
            }
            return spans.map { span in
                var context = Self()
                // Before: spaces back from the start, then up to 32 letters.
                var b = position(span.start)
                while b > 0 {
                    let p = previous(b)
                    guard space(decode(at: p).scalar) else { break }
                    b = p
                }
                var a = b
                var letters = 0
                while a > 0 && letters < 32 {
                    let p = previous(a)
                    guard isLetter(decode(at: p).scalar) else { break }
                    a = p
                    letters += 1
                }
                context.before = a < b ? string(a, b) : nil
                // After: spaces on from the end, then up to 32 letters.
                var c = position(span.end)
                while c < bytes.count {
                    let (scalar, length) = decode(at: c)
                    guard space(scalar) else { break }
                    c += length
                }
                var d = c
                letters = 0
                while d < bytes.count && letters < 32 {
                    let (scalar, length) = decode(at: d)
                    guard isLetter(scalar) else { break }
                    d += length
                    letters += 1
                }
                context.after = c < d ? string(c, d) : nil
                return context
            }
        }
    }
}
