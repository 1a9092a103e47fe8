/// The charsets NewsMill reads. Names are the ones `source.encoding` records.
public enum Charset: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"
    case windows1251 = "windows-1251"
    case koi8r = "koi8-r"
    case cp866 = "cp866"
    case iso88595 = "iso-8859-5"
    case macCyrillic = "x-mac-cyrillic"
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"

    /// The single-byte charsets the detector chooses among, most common first (ties go to the
    /// earlier one). ISO-8859-1 is not a candidate: it decodes like windows-1252 except for
    /// 0x80–0x9F, which it maps to control characters; it is named when those bytes are absent.
    static let singleByteCandidates: [Charset] = [.windows1251, .koi8r, .cp866, .windows1252, .iso88595, .macCyrillic]

    /// Scalar of each byte for a single-byte charset.
    func byteTable() -> [Unicode.Scalar] {
        let upper = CharsetTables.upperHalf[self] ?? []
        return (0..<256).map { b in
            b < 0x80 ? Unicode.Scalar(UInt8(b)) : Unicode.Scalar(UInt32(upper[b - 0x80])) ?? "\u{FFFD}"
        }
    }

    /// Decodes single-byte text through `table` (from `byteTable()`).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, table: [Unicode.Scalar]) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(table[Int(b)]) }
        return String(out)
    }
}
