import ArchiveIO

/// One member's bytes as the reader hands them to its format: read piece by piece through the
/// reader's buffer, from a file or an archive entry.
struct MemberBytes {
    typealias Read = (UnsafeMutableRawBufferPointer) throws(ArchiveFailure) -> Int

    let origin: Origin
    /// The size the file system or the archive header gives, when it gives one.
    let declaredSize: Int64?
    /// `input.max_member_bytes`.
    let maxBytes: Int
    let buffer: UnsafeMutableRawBufferPointer
    let read: Read

    /// The next piece, empty at the end; valid until the next call.
    func next() throws(ArchiveFailure) -> UnsafeRawBufferPointer {
        let n = try read(buffer)
        return UnsafeRawBufferPointer(rebasing: buffer[0..<n])
    }

    /// Reads the rest without keeping it.
    func drain() throws(ArchiveFailure) {
        while try !next().isEmpty {}
    }

    /// Everything up to `maxBytes`; nil when the member is larger (the rest is left unread).
    func whole() -> Result<[UInt8]?, ArchiveFailure> {
        Self.whole(limit: maxBytes, buffer: buffer, read: read)
    }

    static func whole(limit: Int, buffer: UnsafeMutableRawBufferPointer, read: Read) -> Result<[UInt8]?, ArchiveFailure> {
        var bytes: [UInt8] = []
        do throws(ArchiveFailure) {
            while true {
                let n = try read(buffer)
                if n == 0 { return .success(bytes) }
                if bytes.count + n > limit { return .success(nil) }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Rejects a member whose declared size is over the limit, before reading it: true when it did.
    func rejectDeclaredSize(emit: (SourceItem) -> Void) -> Bool {
        guard let declaredSize, declaredSize > maxBytes else { return false }
        emit(.reject(Reject(origin, .memberTooLarge, "member of \(declaredSize) bytes exceeds max_member_bytes (\(maxBytes))")))
        return true
    }
}
