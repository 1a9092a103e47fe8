import Foundation

/// The files a run reads, in the fixed order every later decision depends on: all inputs
/// expanded (folders recursively) and sorted by path.
public struct InputPlan: Sendable {
    public struct File: Sendable, Equatable {
        public var path: String
        public var size: Int64
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
        func add(_ path: String) {
            guard seen.insert(path).inserted else { return }
            // A symbolic link counts as the file it points to.
            let target = (try? fm.destinationOfSymbolicLink(atPath: path)).map { _ in URL(fileURLWithPath: path).resolvingSymlinksInPath().path } ?? path
            guard let attributes = try? fm.attributesOfItem(atPath: target) else {
                problems.append(Reject(Origin(archive: nil, member: path), .inputUnreadable, "cannot read the file's attributes"))
                return
            }
            guard (attributes[.type] as? FileAttributeType) == .typeRegular else { return }
            files.append(File(path: path, size: (attributes[.size] as? NSNumber)?.int64Value ?? 0))
        }
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDirectory) else {
                problems.append(Reject(Origin(archive: nil, member: input), .inputMissing, "no such file or folder"))
                continue
            }
            if !isDirectory.boolValue {
                add(input)
                continue
            }
            guard let walker = fm.enumerator(atPath: input) else {
                problems.append(Reject(Origin(archive: nil, member: input), .inputUnreadable, "cannot list the folder"))
                continue
            }
            let folder = input.hasSuffix("/") ? String(input.dropLast()) : input
            var inFolder: [String] = []
            while let relative = walker.nextObject() as? String {
                let name = relative.split(separator: "/").last ?? ""
                if name.hasPrefix(".") || excluded.contains(absolute("\(input)/\(relative)")) {
                    walker.skipDescendants()
                    continue
                }
                inFolder.append("\(folder)/\(relative)")
            }
            for path in inFolder.sorted(by: Self.pathOrder) { add(path) }
        }
        files.sort { pathOrder($0.path, $1.path) }
        return InputPlan(files: files, problems: problems)
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Byte order of the UTF-8 path: the same on every machine and locale.
    static func pathOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
