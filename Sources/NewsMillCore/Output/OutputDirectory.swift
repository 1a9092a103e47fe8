import Foundation
import Glibc

/// A run writes into a hidden staging folder next to the output and publishes it with one
/// rename, so readers never see a half-written output and a crashed run leaves the previous
/// one in place. One run at a time writes an output: it holds an exclusive lock on a hidden
/// file beside it (`.NAME.lock`), which the kernel releases when the process ends, however it ends.
public final class OutputDirectory {
    public let path: String
    public let staging: String
    private let fm = FileManager.default
    private var lockDescriptor: Int32 = -1

    public init(path: String) throws(RunFailure) {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.path = trimmed
        let url = URL(fileURLWithPath: trimmed)
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        staging = "\(parent)/.\(name).partial"

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
            throw RunFailure("cannot create \(parent): \(error.localizedDescription)", kind: .writeFailed)
        }
        let lockPath = "\(parent)/.\(name).lock"
        lockDescriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else { throw RunFailure.write("create", lockPath, errno: errno) }
        if flock(lockDescriptor, LOCK_EX | LOCK_NB) != 0 {
            throw RunFailure("output folder \(trimmed) is being written by another newsmill run", kind: .busy)
        }
        // Holding the lock, a staging folder here belongs to a run that is gone: kept for the run
        // to resume from its checkpoint (or `clearStaging`). One that died between moving the old
        // output aside and publishing the new gets the old one back.
        if !fm.fileExists(atPath: trimmed) && fm.fileExists(atPath: "\(staging).previous") {
            _ = rename("\(staging).previous", trimmed)
        }
        try? fm.removeItem(atPath: "\(staging).previous")
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw RunFailure("cannot create the output folder next to \(trimmed): \(error.localizedDescription)", kind: .writeFailed)
        }
    }

    /// Starts the staging folder afresh: what a killed run left there is not resumed.
    public func clearStaging() throws(RunFailure) {
        try? fm.removeItem(atPath: staging)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw RunFailure("cannot create the output folder next to \(path): \(error.localizedDescription)", kind: .writeFailed)
        }
    }

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    public func publish() throws(RunFailure) {
        if fm.fileExists(atPath: path) {
            // Move the previous output aside, publish, then drop it: at no point is a partial
            // output visible under the final name.
            let previous = "\(staging).previous"
            guard rename(path, previous) == 0 else { throw RunFailure.write("replace", path, errno: errno) }
            guard rename(staging, path) == 0 else {
                let code = errno
                _ = rename(previous, path)
                throw RunFailure.write("publish", path, errno: code)
            }
            try? fm.removeItem(atPath: previous)
            return
        }
        guard rename(staging, path) == 0 else { throw RunFailure.write("publish", path, errno: errno) }
    }

    public func abandon() {
        try? fm.removeItem(atPath: staging)
    }
}
