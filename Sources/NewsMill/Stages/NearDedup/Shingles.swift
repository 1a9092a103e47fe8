/// Word shingles of a text as a sorted set of 32-bit hashes. Words are what Python's `\w+`
/// finds in the lower-cased text (letters, digits, "_"; punctuation, symbols, combining marks
/// and spaces only separate words), and a shingle is `size` consecutive words; a text of fewer
/// words has one shingle of all of them. This is the definition near-duplicate truth sets use,
/// so the exact Jaccard of two sets is the one they are labelled with.
public enum Shingles {
    public static func hashes(of text: String, size: Int) -> [UInt32] {
        var text = text
        return text.withUTF8 { hashes(utf8: $0, size: size) }
    }

    static func hashes(utf8 s: UnsafeBufferPointer<UInt8>, size: Int) -> [UInt32] {
        // No closure in this loop: a captured `words` would live in memory, not registers.
        var words = WordHashes(capacity: s.count / 6)
        var i = 0
        let n = s.count
        do {
            while i < n {
                let b = s[i]
                // Cyrillic first, most of the text: a run of letters stays in this branch.
                if b & 0xFE == 0xD0 && i + 1 < n {
                    let c = s[i + 1]
                    words.add(unit: b == 0xD1 ? 0xD100 | UInt64(c) : Self.cyrillicD0(c))
                    i += 2
                    continue
                }
                if b < 0x80 {
                    // ASCII: letters (lower-cased), digits and "_" make words.
                    if isWordASCII(b) { words.add(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) } else { words.end() }
                    i += 1
                    continue
                }
                let width = min(b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1, n - i)
                let c: UInt8 = width > 1 ? s[i + 1] : 0
                switch b {
                case 0xC3 where width == 2:
                    if c == 0x97 || c == 0xB7 {
                        words.end()
                    }  // × and ÷ are symbols
                    else {
                        words.add(b, c >= 0x80 && c <= 0x9E ? c + 0x20 : c)
                    }
                case 0xC2, 0xE2, 0xCC, 0xCD:
                    // Latin-1 punctuation, general punctuation and symbols, combining marks.
                    words.end()
                case 0xE3 where c == 0x80, 0xEF where c == 0xBB:
                    words.end()  // CJK punctuation and the ideographic space; the BOM
                default:
                    var unit: UInt64 = 0
                    for k in 0..<width { unit = unit << 8 | UInt64(s[i + k]) }
                    words.add(unit: unit)
                }
                i += width
            }
            words.end()
        }
        return shingle(words.hashes, size: size)
    }

    /// FNV-1a hashes of words, built a character at a time (its UTF-8 bytes as one unit, so a
    /// Cyrillic letter costs one multiply, not two); a plain struct, so the loop keeps its state
    /// in registers.
    private struct WordHashes {
        var hashes: [UInt64] = []
        var hash: UInt64 = 0
        var inWord = false

        init(capacity: Int) {
            hashes.reserveCapacity(capacity)
        }

        @inline(__always)
        mutating func add(unit: UInt64) {
            if !inWord {
                hash = 0xCBF2_9CE4_8422_2325
                inWord = true
            }
            hash = (hash ^ unit) &* 0x100_0000_01B3
        }

        @inline(__always)
        mutating func add(_ byte: UInt8) {
            add(unit: UInt64(byte))
        }

        @inline(__always)
        mutating func add(_ first: UInt8, _ second: UInt8) {
            add(unit: UInt64(first) << 8 | UInt64(second))
        }

        @inline(__always)
        mutating func end() {
            if inWord {
                hashes.append(hash)
                inWord = false
            }
        }
    }

    /// D0 xx lower-cased, as the 16-bit unit of the letter: А-П → а-п (D0 B0-BF), Р-Я → р-я
    /// (D1 80-8F), Ѐ-Џ → ѐ-џ (D1 90-9F); а-п stay.
    @inline(__always)
    private static func cyrillicD0(_ c: UInt8) -> UInt64 {
        switch c {
        case 0x90...0x9F: return 0xD000 | UInt64(c &+ 0x20)
        case 0xA0...0xAF: return 0xD100 | UInt64(c &- 0x20)
        case 0x80...0x8F: return 0xD100 | UInt64(c &+ 0x10)
        default: return 0xD000 | UInt64(c)
        }
    }

    /// ASCII letters, digits and "_", as two 64-bit masks (bytes 0-63 and 64-127).
    @inline(__always)
    private static func isWordASCII(_ b: UInt8) -> Bool {
        let low: UInt64 = 0x03FF_0000_0000_0000  // 0-9
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFE  // A-Z, _, a-z
        return b < 64 ? (low >> UInt64(b)) & 1 != 0 : (high >> UInt64(b - 64)) & 1 != 0
    }

    /// Hashes of every run of `size` words (all words when fewer), sorted, duplicates removed.
    static func shingle(_ words: [UInt64], size: Int) -> [UInt32] {
        guard !words.isEmpty else { return [] }
        let width = min(size, words.count)
        var out = [UInt32]()
        out.reserveCapacity(words.count - width + 1)
        // A shingle's hash XORs its words, each rotated 13 bits further than the one before, so
        // order matters. Sliding one word: drop the first, rotate the rest back, add the new last.
        @inline(__always) func rotate(_ w: UInt64, _ r: Int) -> UInt64 { r == 0 ? w : (w << UInt64(r)) | (w >> UInt64(64 - r)) }
        let lastRotation = (width - 1) * 13 % 64
        words.withUnsafeBufferPointer { words in
            var h: UInt64 = 0
            for k in 0..<width { h ^= rotate(words[k], k * 13 % 64) }
            let salt = UInt64(width) &* 0x9E37_79B9_7F4A_7C15
            out.append(UInt32(truncatingIfNeeded: mix(h ^ salt) >> 32))
            var start = 1
            while start + width <= words.count {
                h = rotate(h ^ words[start - 1], 64 - 13) ^ rotate(words[start + width - 1], lastRotation)
                out.append(UInt32(truncatingIfNeeded: mix(h ^ salt) >> 32))
                start += 1
            }
        }
        radixSort(&out)
        var unique = 0
        for value in out where unique == 0 || out[unique - 1] != value {
            out[unique] = value
            unique += 1
        }
        out.removeLast(out.count - unique)
        return out
    }

    /// Least-significant-digit radix sort, four passes of a byte: linear, where the standard
    /// library's comparison sort took a tenth of the whole pipeline's time.
    static func radixSort(_ values: inout [UInt32]) {
        guard values.count > 64 else {
            values.sort()
            return
        }
        var scratch = [UInt32](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt32(0), to: 32, by: 8) {
            values.withUnsafeMutableBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for k in 0..<256 { counts[k] = 0 }
                        for v in source { counts[Int((v >> shift) & 0xFF)] += 1 }
                        var total = 0
                        for k in 0..<256 {
                            let c = counts[k]
                            counts[k] = total
                            total += c
                        }
                        for v in source {
                            let digit = Int((v >> shift) & 0xFF)
                            target[counts[digit]] = v
                            counts[digit] += 1
                        }
                    }
                }
            }
            swap(&values, &scratch)
        }
    }

    /// MurmurHash3's 64-bit finalizer: every input bit moves every output bit.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33; h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33; h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// |A ∩ B| / |A ∪ B| of two sorted sets.
    public static func jaccard(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
        if a.isEmpty && b.isEmpty { return 0 }
        var i = 0, j = 0, common = 0
        while i < a.count && j < b.count {
            let x = a[i], y = b[j]
            if x == y { common += 1; i += 1; j += 1 } else if x < y { i += 1 } else { j += 1 }
        }
        return Double(common) / Double(a.count + b.count - common)
    }
}
