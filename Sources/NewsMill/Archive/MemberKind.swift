/// What the reader does with a file or archive member, decided by its name.
enum MemberKind: Equatable {
    case document(MemberFormat)
    /// An archive; tar and cpio stream from their parent, zip/7z and the like need seeking.
    case archive(streamable: Bool)
    /// One compressed file (feed.jsonl.gz): read through libarchive's raw format.
    case compressed(innerName: String)
    case skip(reason: String)

    private static let streamableArchives: Set<String> = ["tar", "tgz", "tbz", "tbz2", "txz", "tzst", "tlz4", "taz", "cpio"]
    private static let seekableArchives: Set<String> = ["zip", "7z", "iso", "rar", "cab", "lha", "lzh", "xar", "jar"]
    private static let compressions: Set<String> = ["gz", "bz2", "xz", "zst", "zstd", "lz4", "lzma", "z", "lz"]

    static func classify(name: String, options: InputOptions) -> MemberKind {
        // Only the file name's last two extensions matter: look at the tail, not the whole path.
        let base = name.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(name[name.index(after: $0)...]) } ?? name
        let parts = base.lowercased().split(separator: ".", omittingEmptySubsequences: false).suffix(3)
        guard parts.count >= 2, let last = parts.last.map(String.init), !last.isEmpty else {
            return .skip(reason: "no_extension")
        }
        if streamableArchives.contains(last) { return .archive(streamable: true) }
        if seekableArchives.contains(last) { return .archive(streamable: false) }
        if compressions.contains(last) {
            if parts.count >= 3 && parts[parts.endIndex - 2] == "tar" { return .archive(streamable: true) }
            let inner = String(base.dropLast(last.count + 1))
            if case .document = classify(name: inner, options: options) { return .compressed(innerName: inner) }
            return .skip(reason: "unknown_format")
        }
        if let format = options.format(forExtension: last) { return .document(format) }
        return .skip(reason: "unknown_format")
    }
}
