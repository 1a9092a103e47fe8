import CArchive
import Glibc

/// An archive being read with libarchive. Owned by one thread (the reader): the C handle is not
/// thread-safe, so only copied bytes and Strings leave it.
public final class ArchiveHandle {
    public enum Source {
        case file(String)
        /// A file whose bytes `observer` sees as libarchive reads them (the input ledger hashes
        /// an archive while it is read, instead of reading it twice).
        case observedFile(String, any FileReadObserver)
        /// A nested archive streamed straight out of its parent's current member.
        case parent(ArchiveHandle)
        /// A nested archive that needs seeking (zip, 7z): its bytes are held in memory.
        case memory([UInt8])
    }

    public enum NextHeader {
        case entry(OpaquePointer)
        case end
        case failed(String)
    }

    public let archive: OpaquePointer
    /// Swift programs start in the "C" locale, where libarchive cannot convert UTF-8 zip names
    /// or any 7z name; set a UTF-8 character type once, before the first archive opens.
    private static let utf8Locale: Void = {
        setlocale(LC_CTYPE, "C.UTF-8")
    }()
    private var memoryCopy: UnsafeMutableRawBufferPointer?
    private var streamContext: Unmanaged<ParentStream>?
    private var fileContext: Unmanaged<ObservedFile>?

    /// Opens an archive of any format libarchive reads; `raw` opens a single compressed file
    /// (feed.jsonl.gz) as an archive of one entry.
    public init(source: Source, raw: Bool) throws(ArchiveFailure) {
        _ = Self.utf8Locale
        archive = archive_read_new()
        archive_read_support_filter_all(archive)
        if raw {
            archive_read_support_format_raw(archive)
        } else {
            archive_read_support_format_all(archive)
            archive_read_support_format_empty(archive)
        }
        let status: Int32
        switch source {
        case .file(let path):
            status = archive_read_open_filename(archive, path, 256 * 1024)
        case .observedFile(let path, let observer):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw ArchiveFailure(message: "cannot open \(path): \(String(cString: strerror(errno)))")
            }
            let context = Unmanaged.passRetained(ObservedFile(descriptor: fd, observer: observer))
            fileContext = context
            archive_read_set_callback_data(archive, context.toOpaque())
            archive_read_set_read_callback(archive) { archive, clientData, buffer in
                Unmanaged<ObservedFile>.fromOpaque(clientData!).takeUnretainedValue().read(archive, into: buffer!)
            }
            archive_read_set_skip_callback(archive) { archive, clientData, request in
                Unmanaged<ObservedFile>.fromOpaque(clientData!).takeUnretainedValue().skip(archive, request)
            }
            archive_read_set_seek_callback(archive) { archive, clientData, offset, whence in
                Unmanaged<ObservedFile>.fromOpaque(clientData!).takeUnretainedValue().seek(archive, offset, whence)
            }
            status = archive_read_open1(archive)
        case .memory(let bytes):
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
            bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
            memoryCopy = copy
            status = archive_read_open_memory(archive, copy.baseAddress, bytes.count)
        case .parent(let parent):
            let context = Unmanaged.passRetained(ParentStream(parent: parent.archive))
            streamContext = context
            status = archive_read_open(
                archive, context.toOpaque(), nil,
                { _, clientData, buffer in
                    let stream = Unmanaged<ParentStream>.fromOpaque(clientData!).takeUnretainedValue()
                    return stream.read(into: buffer!)
                }, nil)
        }
        if status != ARCHIVE_OK && status != ARCHIVE_WARN {
            let message = errorString ?? "cannot open the archive"
            throw ArchiveFailure(message: message)
        }
    }

    deinit {
        archive_read_free(archive)
        memoryCopy?.deallocate()
        streamContext?.release()
        fileContext?.release()
    }

    public var errorString: String? {
        guard let cString = archive_error_string(archive) else { return nil }
        return String(cString: cString)
    }

    /// Compressed bytes consumed so far: drives the progress bar for top-level archives.
    public var compressedBytesRead: Int64 {
        archive_filter_bytes(archive, -1)
    }

    public func nextHeader() -> NextHeader {
        var entry: OpaquePointer?
        // ARCHIVE_RETRY means this header is unusable but the next may be fine; give up after a few.
        for _ in 0..<8 {
            let status = archive_read_next_header(archive, &entry)
            switch status {
            case ARCHIVE_OK, ARCHIVE_WARN:
                return .entry(entry!)
            case ARCHIVE_EOF:
                return .end
            case ARCHIVE_RETRY:
                continue
            default:
                return .failed(failureMessage(default: "the archive is truncated or corrupt"))
            }
        }
        return .failed(failureMessage(default: "too many unreadable headers"))
    }

    /// Reads up to `buffer.count` bytes of the current entry: >0 bytes, 0 at its end.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveFailure) -> Int {
        let n = archive_read_data(archive, buffer.baseAddress, buffer.count)
        if n >= 0 { return n }
        // ARCHIVE_WARN here is a bad CRC in zip/7z: the bytes are not what was packed.
        throw ArchiveFailure(
            message: failureMessage(
                default: n == Int(ARCHIVE_WARN)
                    ? "checksum mismatch" : "the member's data is truncated or corrupt"))
    }

    public func skipData() {
        _ = archive_read_data_skip(archive)
    }

    /// libarchive sometimes fails with no message and errno 0 (truncated 7z): never pass an
    /// empty explanation on to the user.
    private func failureMessage(default fallback: String) -> String {
        if let message = errorString, !message.isEmpty { return message }
        let code = archive_errno(archive)
        if code != 0, let text = strerror(code) { return "\(fallback) (\(String(cString: text)))" }
        return fallback
    }
}

public struct ArchiveFailure: Error, Sendable {
    public var message: String

    public init(message: String) {
        self.message = message
    }
}

/// Sees the bytes of a file as an archive reads them.
public protocol FileReadObserver: AnyObject {
    /// `bytes` were read from the file at `offset`.
    func didRead(_ bytes: UnsafeRawBufferPointer, at offset: Int64)
    /// Whether a skip forward from `offset` should read the bytes through rather than seek
    /// past them (an observer hashing the file in order wants them).
    func wantsBytes(at offset: Int64) -> Bool
}

/// libarchive's client callbacks over a file descriptor, as `archive_read_open_filename` does
/// them (reads of 256 KiB, skips and seeks), with every byte read shown to the observer.
private final class ObservedFile {
    let descriptor: Int32
    let observer: any FileReadObserver
    let buffer: UnsafeMutableRawPointer
    static let size = 256 * 1024
    private var position: Int64 = 0

    init(descriptor: Int32, observer: any FileReadObserver) {
        self.descriptor = descriptor
        self.observer = observer
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.size, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        close(descriptor)
    }

    func read(_ archive: OpaquePointer?, into out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        out.pointee = UnsafeRawPointer(buffer)
        let n = readSome(Self.size)
        return n < 0 ? Int(ARCHIVE_FATAL) : n
    }

    func skip(_ archive: OpaquePointer?, _ request: Int64) -> Int64 {
        guard observer.wantsBytes(at: position) else {
            let target = lseek(descriptor, off_t(request), SEEK_CUR)
            guard target >= 0 else { return 0 }  // libarchive then reads the bytes through instead
            defer { position = Int64(target) }
            return Int64(target) - position
        }
        var skipped: Int64 = 0
        while skipped < request {
            let n = readSome(Int(min(Int64(Self.size), request - skipped)))
            guard n > 0 else { break }
            skipped += Int64(n)
        }
        return skipped
    }

    func seek(_ archive: OpaquePointer?, _ offset: Int64, _ whence: Int32) -> Int64 {
        let target = lseek(descriptor, off_t(offset), whence)
        guard target >= 0 else { return Int64(ARCHIVE_FATAL) }
        position = Int64(target)
        return position
    }

    private func readSome(_ count: Int) -> Int {
        var n: Int
        repeat { n = Glibc.read(descriptor, buffer, count) } while n < 0 && errno == EINTR
        if n > 0 {
            observer.didRead(UnsafeRawBufferPointer(start: buffer, count: n), at: position)
            position += Int64(n)
        }
        return n
    }
}

/// Feeds a child archive from the parent's current entry, so nested tarballs stream without
/// ever being held whole in memory.
private final class ParentStream {
    let parent: OpaquePointer
    let buffer: UnsafeMutableRawPointer
    static let size = 256 * 1024

    init(parent: OpaquePointer) {
        self.parent = parent
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.size, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    func read(into out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let n = archive_read_data(parent, buffer, Self.size)
        out.pointee = UnsafeRawPointer(buffer)
        return n < 0 ? Int(ARCHIVE_FATAL) : n
    }
}
