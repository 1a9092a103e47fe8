import Glibc

/// The write loop every file writer needs: a write may be interrupted by a signal or write less
/// than asked, and neither is a failure.
public enum POSIXFile {
    /// Writes all of `bytes` to `fd` (at `offset` with pwrite when given); the errno of the
    /// failure that stopped it, nil when everything was written.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64? = nil) -> Int32? {
        var done = 0
        while done < bytes.count {
            let remaining = bytes.count - done
            let n =
                if let offset {
                    pwrite(fd, bytes.baseAddress! + done, remaining, off_t(offset) + off_t(done))
                } else {
                    write(fd, bytes.baseAddress! + done, remaining)
                }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n < 0 ? errno : EIO }
            done += n
        }
        return nil
    }

    /// Syncs a folder, which makes the names of the files created in it durable (a file's own
    /// fsync covers its data, not its entry); the errno of a failure, nil when synced.
    public static func syncDirectory(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return fsync(fd) == 0 || errno == EINVAL ? nil : errno
    }
}
