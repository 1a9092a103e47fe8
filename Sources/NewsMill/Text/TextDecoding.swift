/// Bytes of a member or field to text: UTF-8 (with or without BOM), UTF-16, UTF-8 with a few bad
/// bytes repaired, or a legacy charset; bytes that read as text in none of them are refused with a
/// reason rather than guessed, so no mangled text ever reaches the output.
public enum TextDecoding {
    public struct Decoded: Sendable {
        public var text: String
        public var encoding: String
        /// Bytes that were not valid UTF-8 in text decoded as UTF-8 (repaired or replaced).
        public var invalidBytes = 0
        /// The charset long runs of those bytes were decoded in (a legacy paragraph inside UTF-8).
        public var mixedCharset: Charset?

        init(text: String, encoding: String, invalidBytes: Int = 0, mixedCharset: Charset? = nil) {
            self.text = text
            self.encoding = encoding
            self.invalidBytes = invalidBytes
            self.mixedCharset = mixedCharset
        }
    }

    public static func decode(_ bytes: [UInt8]) -> Result<Decoded, DecodeFailure> {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Decoded, DecodeFailure> {
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            return decodeUTF16(bytes, littleEndian: bytes[0] == 0xFF)
        }
        var body = bytes
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            body = UnsafeBufferPointer(rebasing: bytes[3...])
        }
        if let text = String(validating: body, as: UTF8.self) {
            let checked = checkText(body, text: text, encoding: "utf-8")
            // NULs in valid UTF-8 are either binary data or UTF-16 of ASCII-range characters.
            if case .failure(.binary) = checked, let utf16 = CharsetDetector.detectUTF16(body) {
                return .success(Decoded(text: utf16.text, encoding: utf16.charset.rawValue))
            }
            return checked
        }
        // Not UTF-8: UTF-16 without a byte-order mark, UTF-8 with bad bytes, or a single-byte charset.
        if let utf16 = CharsetDetector.detectUTF16(body) {
            var bytes = Array(utf16.text.utf8)
            return bytes.withUnsafeMutableBufferPointer {
                checkText(UnsafeBufferPointer($0), text: utf16.text, encoding: utf16.charset.rawValue)
            }
        }
        guard !body.contains(0), let decoded = decodeInvalidUTF8(body) else {
            if body.contains(0) { return .failure(.binary) }
            if isBlank(body) { return .failure(.empty) }
            return .failure(.notUTF8(offset: firstInvalidUTF8(body)))
        }
        var bytes = Array(decoded.text.utf8)
        return bytes.withUnsafeMutableBufferPointer {
            checkText(UnsafeBufferPointer($0), text: decoded.text, encoding: decoded.encoding).map { _ in decoded }
        }
    }

    /// Bytes that are not valid UTF-8 (and not UTF-16): either UTF-8 with some bad bytes, repaired
    /// (`UTF8Repair`), or a single-byte charset (`CharsetDetector`). When both are possible the
    /// reading that looks more like real text wins: a cp1251 text whose letters pair into valid
    /// UTF-8 by chance repairs into a sea of U+FFFD, a UTF-8 text with a stray byte reads as
    /// mojibake in cp1251. A legacy text whose chance pairs all joined its legacy runs repairs into
    /// its own legacy reading: on a tie the legacy charset wins. Nil when neither reads as text.
    static func decodeInvalidUTF8(_ body: UnsafeBufferPointer<UInt8>) -> Decoded? {
        let census = UTF8Repair.census(body)
        let repaired = UTF8Repair.repair(body, census: census)
        // Pure legacy text (most of it: no valid multi-byte sequence at all) skips the comparison.
        let legacy = repaired == nil || census.invalidBytes > census.sequences ? CharsetDetector.detectSingleByte(body) : nil
        // Per character: the two readings cut the same bytes into different numbers of characters.
        func mean(_ text: String) -> Double {
            Double(CharsetDetector.plausibilityTotal(text)) / Double(max(1, text.unicodeScalars.count))
        }
        if let repaired, legacy.map({ mean(repaired.text) > mean($0.text) }) ?? true {
            return Decoded(
                text: repaired.text, encoding: Charset.utf8.rawValue, invalidBytes: repaired.invalidBytes,
                mixedCharset: repaired.mixedCharset)
        }
        return legacy.map { Decoded(text: $0.text, encoding: $0.charset.rawValue) }
    }

    /// Text that decoded may still be binary or empty.
    private static func checkText(_ body: UnsafeBufferPointer<UInt8>, text: String, encoding: String) -> Result<Decoded, DecodeFailure> {
        // A NUL, or more than 1% control characters other than tab, newline, CR and FF: not text.
        var controls = 0
        var i = 0
        while i < body.count {
            if i + 8 <= body.count {
                // Eight bytes at a time while none is below 0x20.
                let word = UnsafeRawPointer(body.baseAddress! + i).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                if (word &- ones &* 0x20) & ~word & (ones &* 0x80) == 0 {
                    i += 8
                    continue
                }
            }
            let b = body[i]
            i += 1
            guard b < 0x20 else { continue }
            if b == 0 { return .failure(.binary) }
            if b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C { controls += 1 }
        }
        if controls > 0 && controls * 100 > body.count { return .failure(.binary) }
        if isBlank(body) { return .failure(.empty) }
        return .success(Decoded(text: text, encoding: encoding))
    }

    private static func decodeUTF16(_ bytes: UnsafeBufferPointer<UInt8>, littleEndian: Bool) -> Result<Decoded, DecodeFailure> {
        guard let text = decodeUTF16Units(UnsafeBufferPointer(rebasing: bytes[2...]), littleEndian: littleEndian) else {
            return .failure(.badUTF16)
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { return .failure(.empty) }
        if text.unicodeScalars.contains("\u{0}") { return .failure(.binary) }
        return .success(Decoded(text: text, encoding: littleEndian ? "utf-16le" : "utf-16be"))
    }

    /// UTF-16 code units to a String; nil for an odd byte count or broken surrogates.
    static func decodeUTF16Units(_ bytes: UnsafeBufferPointer<UInt8>, littleEndian: Bool) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var units = [UInt16]()
        units.reserveCapacity(bytes.count / 2)
        for i in stride(from: 0, to: bytes.count, by: 2) {
            let a = UInt16(bytes[i])
            let b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
        }
        var text = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.append(scalar)
            case .emptyInput: return String(text)
            case .error: return nil
            }
        }
    }

    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}

public enum DecodeFailure: Error, Sendable, Equatable {
    case empty
    case binary
    case notUTF8(offset: Int)
    /// A UTF-16 byte-order mark, but the rest is not UTF-16 (odd length, broken surrogates).
    case badUTF16

    public var reject: (RejectCode, String) {
        switch self {
        case .empty: return (.memberEmpty, "the member is empty")
        case .binary: return (.memberBinary, "binary data (NUL or control bytes), not text")
        case .badUTF16: return (.badEncoding, "starts with a UTF-16 byte-order mark but is not valid UTF-16")
        case .notUTF8(let offset):
            return (.notUTF8, "not UTF-8 (first bad byte at offset \(offset)), and no supported charset gives plausible text")
        }
    }
}

extension Document {
    /// Records how the source was decoded: its charset and what was repaired on the way.
    mutating func note(_ decoded: TextDecoding.Decoded) {
        encoding = decoded.encoding
        invalidBytes = decoded.invalidBytes
        mixedCharset = decoded.mixedCharset
    }
}
