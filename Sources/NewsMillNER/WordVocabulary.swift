import Glibc

/// Word → id for the model's 250k-word vocabulary, keyed by UTF-8 bytes so a token is looked up
/// without building a String: one open-addressing table over one byte blob.
struct WordVocabulary: Sendable {
    private let blob: [UInt8]
    private let offsets: [Int32]
    private let slots: [Int32]
    private let mask: Int
    let count: Int

    /// `lines`: the vocabulary file, one word per line; the id of a word is its line number.
    init(lines: [UInt8]) {
        var blob: [UInt8] = []
        blob.reserveCapacity(lines.count)
        var lineEnds: [Int32] = [0]
        for byte in lines {
            if byte == 0x0A {
                lineEnds.append(Int32(blob.count))
            } else {
                blob.append(byte)
            }
        }
        if lineEnds.last != Int32(blob.count) { lineEnds.append(Int32(blob.count)) }
        let offsets = lineEnds
        let count = offsets.count - 1
        self.count = count
        var size = 1
        while size < count * 2 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        blob.withUnsafeBufferPointer { bytes in
            for id in 0..<count {
                let word = UnsafeBufferPointer(rebasing: bytes[Int(offsets[id])..<Int(offsets[id + 1])])
                var slot = Self.hash(word) & (size - 1)
                // A repeated word keeps its first id, as a dict built in line order would not:
                // slovnet's vocabulary has no repeats, so either choice is the same.
                while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
                slots[slot] = Int32(id)
            }
        }
        self.blob = blob
        self.offsets = offsets
        self.slots = slots
    }

    func id(of word: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(word) & mask
        return blob.withUnsafeBufferPointer { bytes in
            while true {
                let id = slots[slot]
                if id < 0 { return nil }
                let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
                if end - start == word.count && memcmp(bytes.baseAddress! + start, word.baseAddress!, word.count) == 0 {
                    return id
                }
                slot = (slot + 1) & mask
            }
        }
    }

    func id(of word: String) -> Int32? {
        var word = word
        return word.withUTF8 { id(of: $0) }
    }

    func word(_ id: Int) -> String {
        String(decoding: blob[Int(offsets[id])..<Int(offsets[id + 1])], as: UTF8.self)
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
