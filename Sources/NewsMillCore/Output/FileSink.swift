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
        guard fd >= 0 else { throw RunFailure("cannot create \(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.flushSize * 2)
    }

    /// Reopens a file that `position()` once measured, cut back to that length: what was written
    /// after it (a half-written line or frame of a run that died) goes.
    public init(path: String, resumingAt length: Int) throws(RunFailure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RunFailure("cannot reopen \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : -1
        guard size >= length else {
            _ = Glibc.close(fd)
            throw RunFailure("cannot resume \(path): it holds \(size) bytes, fewer than the \(length) it had at the checkpoint")
        }
        guard ftruncate(fd, off_t(length)) == 0, lseek(fd, off_t(length), SEEK_SET) == off_t(length) else {
            let reason = String(cString: strerror(errno))
            _ = Glibc.close(fd)
            throw RunFailure("cannot resume \(path): \(reason)")
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
            throw RunFailure("cannot write \(path): \(String(cString: strerror(code)))")
        }
    }

    /// Flushes and syncs to disk; the file's length, which `init(path:resumingAt:)` takes back.
    public func position() throws(RunFailure) -> Int {
        try flush()
        try sync()
        return bytesWritten
    }

    /// Flushes, syncs to disk and closes: a published output is complete even after a crash.
    public func close() throws(RunFailure) {
        try flush()
        try sync()
        if Glibc.close(fd) != 0 { throw RunFailure("cannot close \(path): \(String(cString: strerror(errno)))") }
    }

    private func sync() throws(RunFailure) {
        if fsync(fd) != 0 && errno != EINVAL {
            throw RunFailure("cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }
}
