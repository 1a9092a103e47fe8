import Glibc

/// Recognises `.txt` members that are not articles: corpus archives (Taiga and the like) keep
/// annotated copies and tables beside the texts under the same extension. Looks at the first
/// `window` bytes only, and only at their structure (tabs, digits, "#"), which is the same in
/// every ASCII-compatible charset, so it runs on raw bytes before decoding. Conservative: every
/// line of the window has to fit, so one line of running text keeps the member an article.
enum ArticleSniffer {
    static let window = 4096

    /// `conllu`: CoNLL-U (or CoNLL-X): "#" comments and 10 tab-separated columns with a token
    /// number first. `tagged`: one token a line with tab-separated tags, no spaces. `table`: a TSV table,
    /// every line with the same number (two or more) of tabs.
    static func notArticleReason(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { all in
            var start = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF ? 3 : 0
            let limit = min(all.count, window)
            var conllu = true, tagged = true, table = true
            var tokenLines = 0, lines = 0
            var tabsPerLine: Int?
            while start < limit {
                let rest = limit - start
                let newline = memchr(all.baseAddress! + start, 0x0A, rest)
                    .map { UnsafeRawPointer($0) - UnsafeRawPointer(all.baseAddress!) }
                // A line cut by the window is not judged, unless it is the end of the member.
                guard let end = newline ?? (limit == all.count ? limit : nil) else { break }
                var line = UnsafeBufferPointer(rebasing: all[start..<end])
                start = end + 1
                if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                // The common case, a line of running text, costs one scan for a tab.
                if line[0] != UInt8(ascii: "#") && memchr(line.baseAddress!, 0x09, line.count) == nil { return nil }
                lines += 1
                if line[0] == UInt8(ascii: "#") {
                    tagged = false
                    table = false
                } else {
                    let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
                    if fields.count == 10 && isTokenID(fields[0]) {
                        tokenLines += 1
                    } else {
                        conllu = false
                    }
                    let head = fields[0]
                    if fields.count < 2 || fields.count > 9 || head.isEmpty || line.contains(0x20) || line.count > 300 {
                        tagged = false
                    }
                    if fields.count < 3 || (tabsPerLine != nil && tabsPerLine != fields.count - 1) {
                        table = false
                    }
                    tabsPerLine = fields.count - 1
                }
                if !conllu && !tagged && !table { return nil }
            }
            if conllu && tokenLines >= 2 { return "conllu" }
            if tagged && lines >= 5 { return "tagged" }
            if table && lines >= 4 { return "table" }
            return nil
        }
    }

    static func describe(_ reason: String) -> String {
        switch reason {
        case "conllu": return "CoNLL-U (a token a line in 10 tab-separated columns)"
        case "tagged": return "a token a line with tab-separated tags"
        default: return "a tab-separated table"
        }
    }

    /// "7", a multiword token's "7-8", an empty node's "7.1".
    private static func isTokenID(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var digits = 0
        var separators = 0
        for b in field {
            if b >= 0x30 && b <= 0x39 {
                digits += 1
            } else if (b == UInt8(ascii: "-") || b == UInt8(ascii: ".")) && digits > 0 && separators == 0 {
                separators += 1
            } else {
                return false
            }
        }
        return digits > 0 && field.last.map { $0 >= 0x30 && $0 <= 0x39 } == true
    }
}
