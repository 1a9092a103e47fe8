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
        var words: [UInt64] = []
        words.reserveCapacity(s.count / 6)
        var i = 0
        let n = s.count
        var hash: UInt64 = 0
        var inWord = false
        while i < n {
            let b = s[i]
            var width = 1
            // The character lower-cased, when that changes its bytes (ASCII, Cyrillic, Latin-1).
            var lowered: (UInt8, UInt8)?
            let isWordChar: Bool
            if b < 0x80 {
                isWordChar = wordASCII[Int(b)]
                lowered = (b >= 0x41 && b <= 0x5A ? b | 0x20 : b, 0)
            } else {
                width = min(b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1, n - i)
                let c: UInt8 = width > 1 ? s[i + 1] : 0
                switch b {
                case 0xD0:
                    isWordChar = true
                    // А-П → а-п, Р-Я → р-я, Ѐ-Џ → ѐ-џ
                    if c >= 0x90 && c <= 0x9F { lowered = (0xD0, c + 0x20) }
                    else if c >= 0xA0 && c <= 0xAF { lowered = (0xD1, c - 0x20) }
                    else if c >= 0x80 && c <= 0x8F { lowered = (0xD1, c + 0x10) }
                case 0xC3:
                    isWordChar = c != 0x97 && c != 0xB7   // × and ÷ are symbols
                    if c >= 0x80 && c <= 0x9E && c != 0x97 { lowered = (0xC3, c + 0x20) }
                case 0xC2, 0xE2, 0xCC, 0xCD:
                    // Latin-1 punctuation, general punctuation and symbols, combining marks.
                    isWordChar = false
                case 0xE3 where c == 0x80:
                    isWordChar = false   // CJK punctuation and the ideographic space
                case 0xEF where c == 0xBB:
                    isWordChar = false   // the BOM
                default:
                    isWordChar = true
                }
            }
            if isWordChar {
                if !inWord {
                    hash = 0xCBF2_9CE4_8422_2325
                    inWord = true
                }
                if let (l0, l1) = lowered {
                    hash = (hash ^ UInt64(l0)) &* 0x100_0000_01B3
                    if width == 2 { hash = (hash ^ UInt64(l1)) &* 0x100_0000_01B3 }
                } else {
                    for k in 0..<width { hash = (hash ^ UInt64(s[i + k])) &* 0x100_0000_01B3 }
                }
            } else if inWord {
                words.append(hash)
                inWord = false
            }
            i += width
        }
        if inWord { words.append(hash) }
        return shingle(words, size: size)
    }

    private static let wordASCII: [Bool] = (0..<128).map { b in
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
    }

    /// Hashes of every run of `size` words (all words when fewer), sorted, duplicates removed.
    static func shingle(_ words: [UInt64], size: Int) -> [UInt32] {
        guard !words.isEmpty else { return [] }
        let width = min(size, words.count)
        var out = [UInt32]()
        out.reserveCapacity(words.count - width + 1)
        for start in 0...(words.count - width) {
            var h: UInt64 = UInt64(width)
            for k in start..<(start + width) {
                h = (h &* 0x9E37_79B9_7F4A_7C15) ^ words[k]
                h = (h << 27) | (h >> 37)
            }
            out.append(UInt32(truncatingIfNeeded: mix(h) >> 32))
        }
        out.sort()
        var unique = 0
        for value in out where unique == 0 || out[unique - 1] != value {
            out[unique] = value
            unique += 1
        }
        out.removeLast(out.count - unique)
        return out
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
