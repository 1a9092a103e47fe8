extension Charset {
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
