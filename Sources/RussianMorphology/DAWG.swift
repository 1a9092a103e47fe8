/// A read-only DAWG in the dawgdic layout (as the DAWG and DAWG-Python packages write it), the
/// form pymorphy2 compiles its dictionaries to: a double array of 32-bit units followed by a
/// guide of (first child, next sibling) label pairs that lets keys be completed. Keys here carry
/// their values after a 0x01 separator, base64-encoded: a word maps to every record stored with it.
struct DAWG: Sendable {
    struct Failure: Error, Sendable {
        var message: String
    }

    private let units: [UInt32]
    private let guide: [UInt8]

    init(bytes: [UInt8], name: String) throws(Failure) {
        func uint32(at offset: Int) throws(Failure) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw Failure(message: "\(name) ends early") }
            return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
        }
        let unitCount = Int(try uint32(at: 0))
        let guideOffset = 4 + unitCount * 4
        let guideCount = Int(try uint32(at: guideOffset)) * 2
        guard guideOffset + 4 + guideCount <= bytes.count, unitCount > 0 else { throw Failure(message: "\(name) is not a DAWG") }
        var units = [UInt32](repeating: 0, count: unitCount)
        for i in 0..<unitCount { units[i] = try uint32(at: 4 + i * 4) }
        self.units = units
        guide = Array(bytes[(guideOffset + 4)..<(guideOffset + 4 + guideCount)])
    }

    private static let root = 0
    private static let separator: UInt8 = 0x01

    // A unit holds either a value (leaf bit set) or a label, an offset to its children and a
    // flag saying one of them is a value.
    private func hasValue(_ index: Int) -> Bool { units[index] & (1 << 8) != 0 }

    private func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }

    private func follow(_ label: UInt8, from index: Int) -> Int? {
        let next = (index ^ offset(units[index]) ^ Int(label)) & 0xFFFF_FFFF
        guard next < units.count, units[next] & (1 << 31 | 0xFF) == UInt32(label) else { return nil }
        return next
    }

    /// The records stored under `key` and, where `key` has an "е", under each spelling of it with
    /// "ё" (texts seldom write the ё that dictionaries keep). Each record comes with the key as
    /// the dictionary spells it.
    func records(for key: [Unicode.Scalar]) -> [(spelling: [Unicode.Scalar], payload: [UInt8])] {
        var found: [(spelling: [Unicode.Scalar], payload: [UInt8])] = []
        var spelling: [Unicode.Scalar] = []
        func walk(_ position: Int, _ index: Int) {
            if position == key.count {
                guard let values = follow(Self.separator, from: index) else { return }
                for encoded in completions(from: values) {
                    if let payload = Base64.decode(encoded) { found.append((spelling, payload)) }
                }
                return
            }
            let scalar = key[position]
            for variant in scalar == "е" ? [scalar, "ё"] : [scalar] {
                var index: Int? = index
                for byte in String(variant).utf8 {
                    guard let current = index else { break }
                    index = follow(byte, from: current)
                }
                guard let next = index else { continue }
                spelling.append(variant)
                walk(position + 1, next)
                spelling.removeLast()
            }
        }
        walk(0, Self.root)
        return found
    }

    /// The number stored under `key` in a DAWG of integers (pymorphy2's table of P(tag | word)).
    func integer(for key: some Sequence<UInt8>) -> Int? {
        var index = Self.root
        for byte in key {
            guard let next = follow(byte, from: index) else { return nil }
            index = next
        }
        guard hasValue(index) else { return nil }
        return Int(units[(index ^ offset(units[index])) & 0xFFFF_FFFF] & ~(1 << 31))
    }

    /// The rest of every key that continues from `index`, in the guide's order.
    private func completions(from index: Int) -> [[UInt8]] {
        var keys: [[UInt8]] = []
        var key: [UInt8] = []
        func visit(_ node: Int) {
            if hasValue(node) { keys.append(key) }
            var label = guide[node * 2]
            while label != 0, let child = follow(label, from: node) {
                key.append(label)
                visit(child)
                key.removeLast()
                label = guide[child * 2 + 1]
            }
        }
        visit(index)
        return keys
    }
}

/// Standard base64 (the DAWG's record payloads), padding optional.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in text where c != UInt8(ascii: "=") && c != UInt8(ascii: "\n") {
            let v = values[Int(c)]
            guard v != 0xFF else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }
}
