import Glibc

/// A buffered file writer over a POSIX descriptor that reports every failed write.
public final class FileSink {
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The file's length once everything is flushed.
    public private(set) var bytesWritten = 0
    private static let flushSize = 1 << 20

    public init(path: String) throws(RunFailure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunFailure.write("create", path, errno: errno) }
        buffer.reserveCapacity(Self.flushSize * 2)
    }

    /// Goes on writing a file a killed run left, from the `length` a checkpoint recorded (what the
    /// run wrote after it is cut off).
    public init(path: String, resumingAt length: Int) throws(RunFailure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunFailure.write("open", path, errno: errno) }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : -1
        guard size >= length else {
            Glibc.close(fd)
            throw RunFailure("cannot resume \(path): it holds \(size) bytes, fewer than the \(length) it had at the checkpoint")
        }
        guard ftruncate(fd, off_t(length)) == 0, lseek(fd, off_t(length), SEEK_SET) == off_t(length) else {
            let code = errno
            Glibc.close(fd)
            throw RunFailure.write("resume", path, errno: code)
        }
        bytesWritten = length
        buffer.reserveCapacity(Self.flushSize * 2)
    }

    public func write(_ bytes: [UInt8]) throws(RunFailure) {
        bytesWritten += bytes.count
        // A large block (a compressed frame) goes to the file as it is rather than through the buffer.
        if buffer.isEmpty && bytes.count >= Self.flushSize {
            try writeOut(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    public func flush() throws(RunFailure) {
        try writeOut(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeOut(_ bytes: [UInt8]) throws(RunFailure) {
        if let code = bytes.withUnsafeBytes({ POSIXFile.writeAll(fd, $0) }) {
            throw RunFailure.write("write", path, errno: code)
        }
    }

    /// Flushes and syncs to disk: what is written so far survives a crash (a checkpoint).
    public func sync() throws(RunFailure) {
        try flush()
        if fsync(fd) != 0 && errno != EINVAL { throw RunFailure.write("sync", path, errno: errno) }
    }

    /// Flushes, syncs to disk and closes: a published output is complete even after a crash.
    public func close() throws(RunFailure) {
        try flush()
        if fsync(fd) != 0 && errno != EINVAL {
            throw RunFailure.write("sync", path, errno: errno)
        }
        if Glibc.close(fd) != 0 { throw RunFailure.write("close", path, errno: errno) }
    }

    /// Replaces `path` with `bytes` so that readers see the old file or the new one, never a part:
    /// a hidden temporary file beside it, synced, renamed over it, and the folder synced.
    public static func replace(_ path: String, with bytes: [UInt8]) throws(RunFailure) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder)/.\(name).tmp-\(getpid())"
        let sink = try FileSink(path: temporary)
        do {
            try sink.write(bytes)
            try sink.close()
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw RunFailure.write("replace", path, errno: code)
        }
        _ = POSIXFile.syncDirectory(folder)
    }
}
