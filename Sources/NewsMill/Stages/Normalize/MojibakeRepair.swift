/// Undoes mojibake: UTF-8 text that was once decoded as windows-1251, windows-1252/latin-1 or
/// CP866 and saved again ("РџСЂРёРІРµС‚", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚"). The text is encoded back into the
/// charset it was misread as; the repair stands only if those bytes are valid UTF-8 and the
/// result reads much more like real text, so clean text is never touched.
public enum MojibakeRepair {
    private struct Candidate: Sendable {
        var charset: Charset
        /// What UTF-8 lead bytes 0xD0/0xD1 (Cyrillic) and 0xC3 (Latin-1 letters) turn into when
        /// misread in this charset: in mojibake they make up a large share of all characters.
        var markers: Set<UInt32>
        var encode: [UInt32: UInt8]
    }

    private static let candidates: [Candidate] = [Charset.windows1251, .windows1252, .cp866].map { charset in
        let table = charset.byteTable()
        var encode: [UInt32: UInt8] = [:]
        for (byte, scalar) in table.enumerated() where scalar != "\u{FFFD}" { encode[scalar.value] = UInt8(byte) }
        // Bytes a charset leaves undefined (0x98 in windows-1251; five in windows-1252), and every
        // byte of 0x80-0x9F when the text was misread as latin-1, come back as the C1 control of
        // the same number: no correct decoding produces those, so they map back unambiguously.
        for byte in 0x80...0x9F where encode[UInt32(byte)] == nil { encode[UInt32(byte)] = UInt8(byte) }
        return Candidate(charset: charset, markers: [table[0xD0].value, table[0xD1].value, table[0xC3].value], encode: encode)
    }

    /// Reads-like-text gain (joint log-probability, x scale) a repair must bring per marker: in
    /// Cyrillic mojibake nearly every character is garbled, in western mojibake only accented
    /// letters are, so the gain is measured per garbled character, not per pair.
    static let requiredGainPerMarker = 12

    /// Marker bits by the first two bytes of a two-byte marker, and by the last two bytes of a
    /// three-byte one (all start with 0xE2): the screen runs on every document, so it is one
    /// table lookup per lead byte.
    private static let markerTables: (twoByte: [UInt8], threeByte: [UInt8]) = {
        var two = [UInt8](repeating: 0, count: 65536)
        var three = [UInt8](repeating: 0, count: 65536)
        for (c, candidate) in candidates.enumerated() {
            for marker in candidate.markers {
                let bytes = Array(String(Unicode.Scalar(marker)!).utf8)
                if bytes.count == 2 { two[Int(bytes[0]) << 8 | Int(bytes[1])] |= 1 << c }
                if bytes.count == 3 && bytes[0] == 0xE2 { three[Int(bytes[1]) << 8 | Int(bytes[2])] |= 1 << c }
            }
        }
        return (two, three)
    }()

    public static func repair(_ text: String) -> (text: String, misreadAs: Charset)? {
        var text = text
        var found = [0, 0, 0]
        var total = 0
        let suspicious = text.withUTF8 { bytes -> Bool in
            markerTables.twoByte.withUnsafeBufferPointer { two in
                markerTables.threeByte.withUnsafeBufferPointer { three in
                    func markers(at i: Int) -> UInt8 {
                        guard i + 1 < bytes.count else { return 0 }
                        let b = Int(bytes[i])
                        let next = Int(bytes[i + 1])
                        let long = b == 0xE2 && i + 2 < bytes.count ? three[next << 8 | Int(bytes[i + 2])] : 0
                        return two[b << 8 | next] | long
                    }
                    // In Cyrillic mojibake markers are a quarter of all bytes or more, in western
                    // mojibake a few percent, in clean text a few per thousand: a sample of every
                    // eighth position decides whether to look closer.
                    if bytes.count > 256 {
                        var hits = 0
                        var samples = 0
                        for i in stride(from: 0, to: bytes.count - 2, by: 8) {
                            if markers(at: i) | markers(at: i + 1) != 0 { hits += 1 }
                            samples += 1
                        }
                        guard hits >= 2 && hits * 50 >= samples else { return false }
                    }
                    for i in 0..<bytes.count {
                        if bytes[i] & 0xC0 != 0x80 { total += 1 }
                        let mask = markers(at: i)
                        for c in 0..<found.count where mask & (1 << c) != 0 { found[c] += 1 }
                    }
                    return true
                }
            }
        }
        guard suspicious else { return nil }
        let scalars = text.unicodeScalars
        for (i, candidate) in candidates.enumerated() where found[i] >= 2 && found[i] * 100 >= total {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(total * 2)
            var representable = true
            for scalar in scalars {
                guard let byte = candidate.encode[scalar.value] else {
                    representable = false
                    break
                }
                bytes.append(byte)
            }
            guard representable, let repaired = String(validating: bytes, as: UTF8.self), repaired != text else { continue }
            if CharsetDetector.plausibilityTotal(repaired) - CharsetDetector.plausibilityTotal(text) >= requiredGainPerMarker * found[i] {
                return (repaired, candidate.charset)
            }
        }
        return nil
    }
}
