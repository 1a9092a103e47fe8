import CArchive
import Foundation

/// Member names as correct UTF-8. Zips made on Windows store names in the OEM code page
/// (cp866 in Russia) or sometimes cp1251, with nothing saying which: decode both and keep the
/// reading with more Cyrillic letters.
enum MemberNames {
    static func name(of entry: OpaquePointer) -> String {
        if let utf8 = archive_entry_pathname_utf8(entry) {
            return String(cString: utf8)
        }
        guard let raw = archive_entry_pathname(entry) else { return "(unnamed)" }
        let length = strlen(raw)
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: length)
        return decode(Array(bytes))
    }

    static let cp866 = String.Encoding(rawValue: 0x8000_041B)

    static func decode(_ bytes: [UInt8]) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        let candidates = [String(bytes: bytes, encoding: cp866), String(bytes: bytes, encoding: .windowsCP1251)]
        var best: String?
        var bestScore = -1
        for candidate in candidates {
            guard let candidate else { continue }
            let score = candidate.unicodeScalars.reduce(0) { sum, scalar in
                switch scalar.value {
                case 0x430...0x44F, 0x451: return sum + 2  // lowercase letters dominate real names
                case 0x410...0x42F, 0x401: return sum + 1
                default: return sum
                }
            }
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best ?? String(decoding: bytes, as: UTF8.self)
    }
}
