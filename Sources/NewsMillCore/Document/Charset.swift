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
}
