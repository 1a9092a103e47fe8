import Foundation

/// The files a run reads, in the fixed order every later decision depends on: all inputs
/// expanded (folders recursively) and sorted by path.
public struct InputPlan: Sendable {
    public struct File: Sendable, Equatable {
        public var path: String
        public var size: Int64
        /// Modification time, nanoseconds since 1970 (the input ledger compares it).
        public var modified: Int64 = 0
        /// The folder input the file was found in; nil for a file named by itself.
        public var root: String?
        /// What `input.include`/`exclude` patterns see: the path under `root`, or the file name.
        public var relative: String
    }

    public var files: [File]
    /// Inputs that do not exist or cannot be listed; they become rejects.
    public var problems: [Reject]

    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }

    /// `excluding` names folders never read, such as the run's own output inside an input folder.
    public static func expand(_ inputs: [String], excluding: [String] = []) -> InputPlan {
        let fm = FileManager.default
        let excluded = Set(excluding.map(absolute))
        var files: [File] = []
        var problems: [Reject] = []
        var seen = Set<String>()
        func add(_ path: String, root: String?, relative: String) {
            guard seen.insert(path).inserted else { return }
            // A symbolic link counts as the file it points to.
            let target =
                (try? fm.destinationOfSymbolicLink(atPath: path)).map { _ in URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
                ?? path
            var info = stat()
            guard stat(target, &info) == 0 else {
                problems.append(Reject(Origin(archive: nil, member: path), .inputUnreadable, "cannot read the file's attributes"))
                return
            }
            guard info.st_mode & S_IFMT == S_IFREG else { return }
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            files.append(File(path: path, size: Int64(info.st_size), modified: modified, root: root, relative: relative))
        }
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDirectory) else {
                problems.append(Reject(Origin(archive: nil, member: input), .inputMissing, "no such file or folder"))
                continue
            }
            if !isDirectory.boolValue {
                add(input, root: nil, relative: String(input.split(separator: "/").last ?? Substring(input)))
                continue
            }
            guard let walker = fm.enumerator(atPath: input) else {
                problems.append(Reject(Origin(archive: nil, member: input), .inputUnreadable, "cannot list the folder"))
                continue
            }
            let folder = input.hasSuffix("/") ? String(input.dropLast()) : input
            var inFolder: [(path: String, relative: String)] = []
            while let relative = walker.nextObject() as? String {
                let name = relative.split(separator: "/").last ?? ""
                if name.hasPrefix(".") || excluded.contains(absolute("\(input)/\(relative)")) {
                    walker.skipDescendants()
                    continue
                }
                inFolder.append(("\(folder)/\(relative)", relative))
            }
            for file in inFolder.sorted(by: { Self.pathOrder($0.path, $1.path) }) { add(file.path, root: folder, relative: file.relative) }
        }
        files.sort { pathOrder($0.path, $1.path) }
        return InputPlan(files: files, problems: problems)
    }

    /// Shard `index` of `count` (0-based): a run of consecutive files, cut where the bytes so far
    /// cross `index/count` of the total, so shards are about even in bytes and their outputs,
    /// taken in shard order, are in the order of the whole plan. Input problems go to shard 0.
    public func shard(_ index: Int, of count: Int) -> InputPlan {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index) of \(count)")
        let total = max(totalBytes, 1)
        // A file belongs to the shard its first byte falls in; empty files go with the one before.
        var shard = InputPlan(files: [], problems: index == 0 ? problems : [])
        var before: Int64 = 0
        for file in files {
            let owner = Int(min(Int64(count - 1), before * Int64(count) / total))
            if owner == index { shard.files.append(file) }
            before += file.size
        }
        return shard
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Byte order of the UTF-8 path: the same on every machine and locale.
    static func pathOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
