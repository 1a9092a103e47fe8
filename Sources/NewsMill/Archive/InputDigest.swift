import ArchiveIO
import CCrypto
import Glibc

/// The SHA-256 of an input file, the digest `sha256sum` prints, taken from the bytes the run
/// reads anyway: bytes read in order from the start are hashed as they pass; whatever the
/// reading left out (a skipped tail, the part of a zip read out of order) is read at the end.
public final class InputDigest: FileReadObserver {
    public let path: String
    private let context: OpaquePointer
    /// The bytes before this offset are in the digest.
    private var frontier: Int64 = 0

    public init(path: String) {
        self.path = path
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    public func didRead(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        let end = offset + Int64(bytes.count)
        guard offset <= frontier && end > frontier else { return }
        let new = UnsafeRawBufferPointer(rebasing: bytes[Int(frontier - offset)...])
        EVP_DigestUpdate(context, new.baseAddress, new.count)
        frontier = end
    }

    public func wantsBytes(at offset: Int64) -> Bool { offset == frontier }

    /// The lowercase hex digest, after reading what was not read yet; nil when the file cannot
    /// be read.
    public func finish() -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = pread(fd, buffer.baseAddress, size, off_t(frontier))
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            didRead(UnsafeRawBufferPointer(rebasing: buffer[..<n]), at: frontier)
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(Int(length) * 2)
        for byte in digest.prefix(Int(length)) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The digest of bytes in memory.
    public static func of(bytes: [UInt8]) -> String {
        let digest = InputDigest(path: "/dev/null")
        bytes.withUnsafeBytes { digest.didRead($0, at: 0) }
        return digest.finish() ?? ""
    }

    /// The digest of a whole file, read once.
    public static func of(file path: String) -> String? {
        InputDigest(path: path).finish()
    }
}
