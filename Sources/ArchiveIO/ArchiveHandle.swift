import CArchive
import Glibc

/// An archive being read with libarchive. Owned by one thread (the reader): the C handle is not
/// thread-safe, so only copied bytes and Strings leave it.
public final class ArchiveHandle {
    public enum Source {
        case file(String)
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
