import Foundation
import Glibc

/// A run writes into a hidden staging folder next to the output and publishes it with one
/// rename, so readers never see a half-written output and a crashed run leaves the previous
/// one in place.
public final class OutputDirectory {
    public let path: String
    public let staging: String
    private let fm = FileManager.default

    public init(path: String) throws(RunFailure) {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.path = trimmed
        let url = URL(fileURLWithPath: trimmed)
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        staging = "\(parent)/.\(name).partial-\(getpid())"

        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: trimmed, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw RunFailure("output \(trimmed) exists and is not a folder") }
            let contents = (try? fm.contentsOfDirectory(atPath: trimmed)) ?? []
            if !contents.isEmpty && !contents.contains("report.json") {
                throw RunFailure(
                    "output folder \(trimmed) is not empty and holds no NewsMill output (no report.json); refusing to replace it")
            }
        }
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw RunFailure("cannot create \(parent): \(error.localizedDescription)")
        }
        removeAbandonedStaging(parent: parent, name: name)
        try? fm.removeItem(atPath: staging)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw RunFailure("cannot create the output folder next to \(trimmed): \(error.localizedDescription)")
        }
    }

    /// Staging folders of runs whose process is gone.
    private func removeAbandonedStaging(parent: String, name: String) {
        let prefix = ".\(name).partial-"
        for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? fm.removeItem(atPath: "\(parent)/\(entry)")
            }
        }
    }

    public func publish() throws(RunFailure) {
        if fm.fileExists(atPath: path) {
            // Move the previous output aside, publish, then drop it: at no point is a partial
            // output visible under the final name.
            let previous = "\(staging).previous"
            guard rename(path, previous) == 0 else {
                throw RunFailure("cannot replace \(path): \(String(cString: strerror(errno)))")
            }
            guard rename(staging, path) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(previous, path)
                throw RunFailure("cannot publish \(path): \(reason)")
            }
            try? fm.removeItem(atPath: previous)
            return
        }
        guard rename(staging, path) == 0 else {
            throw RunFailure("cannot publish \(path): \(String(cString: strerror(errno)))")
        }
    }

    public func abandon() {
        try? fm.removeItem(atPath: staging)
    }
}
