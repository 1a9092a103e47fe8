/// Bytes of a member or field to text. UTF-8 (with or without BOM) and UTF-16 with a BOM are
/// decoded; anything else is refused with a reason rather than guessed, so no mangled text
/// ever reaches the output.
public enum TextDecoding {
    public struct Decoded: Sendable {
        public var text: String
        public var encoding: String
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
        guard let text = String(validating: body, as: UTF8.self) else {
            return .failure(.notUTF8(offset: firstInvalidUTF8(body)))
        }
        return .success(Decoded(text: text, encoding: "utf-8"))
    }

    private static func decodeUTF16(_ bytes: UnsafeBufferPointer<UInt8>, littleEndian: Bool) -> Result<Decoded, DecodeFailure> {
        if bytes.count % 2 != 0 { return .failure(.badUTF16) }
        let count = (bytes.count - 2) / 2
        var units = [UInt16]()
        units.reserveCapacity(count)
        for i in 0..<count {
            let a = UInt16(bytes[2 + 2 * i])
            let b = UInt16(bytes[3 + 2 * i])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
        }
        var text = ""
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return .failure(.badUTF16)
            }
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { return .failure(.empty) }
        if text.unicodeScalars.contains("\u{0}") { return .failure(.binary) }
        return .success(Decoded(text: text, encoding: littleEndian ? "utf-16le" : "utf-16be"))
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
            return (.notUTF8, "not valid UTF-8 (first bad byte at offset \(offset)); other charsets are not decoded yet")
        }
    }
}
