import CZlib
import CZstd

/// How part files are compressed (`output.compression`, `output.compression_level`).
public struct PartCompression: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Codec: String, Sendable, Codable, CaseIterable {
        case none, zstd, gzip

        public var defaultLevel: Int {
            switch self {
            case .none: 0
            case .zstd: 3
            case .gzip: 6
            }
        }

        /// zstd's levels without `--ultra` (20-22 are many times slower for a percent or two on
        /// frames this size); zlib's levels that compress at all.
        public var levels: ClosedRange<Int> {
            switch self {
            case .none: 0...0
            case .zstd: 1...19
            case .gzip: 1...9
            }
        }

        /// The part file's name after `part-NNNNN`.
        public var fileExtension: String {
            switch self {
            case .none: ".jsonl"
            case .zstd: ".jsonl.zst"
            case .gzip: ".jsonl.gz"
            }
        }
    }

    public var codec: Codec
    public var level: Int

    public init(codec: Codec, level: Int? = nil) {
        self.codec = codec
        self.level = level ?? codec.defaultLevel
    }

    public static let none = PartCompression(codec: .none)

    public var description: String { codec == .none ? "none" : "\(codec.rawValue) level \(level)" }

    /// An encoder of whole frames; nil for `none`. Each one keeps its own compression context, so
    /// it belongs to one thread at a time.
    func makeEncoder() throws(RunFailure) -> (any FrameEncoder)? {
        switch codec {
        case .none: nil
        case .zstd: try ZstdFrameEncoder(level: level)
        case .gzip: try GzipMemberEncoder(level: level)
        }
    }
}

/// Turns a run of whole records into one self-contained compressed unit. Readers take a file of
/// such units back to back as one stream, so where a frame ends never shows in what they read; the
/// bytes of a frame depend on its input alone.
protocol FrameEncoder {
    func encode(_ input: [UInt8]) throws(RunFailure) -> [UInt8]
}

/// One zstd frame per call, with its content size and a checksum, so `zstd -d` and other readers
/// check every frame they decompress.
final class ZstdFrameEncoder: FrameEncoder {
    private let context: OpaquePointer

    init(level: Int) throws(RunFailure) {
        guard let context = ZSTD_createCCtx() else { throw RunFailure("zstd: cannot allocate a compression context") }
        self.context = context
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level)))
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))
    }

    deinit { ZSTD_freeCCtx(context) }

    func encode(_ input: [UInt8]) throws(RunFailure) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var result = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            // ZSTD_compress2 starts a new frame on every call and forgets the previous one, so a
            // frame's bytes are the same whichever context and thread made it.
            result = input.withUnsafeBytes { ZSTD_compress2(context, buffer.baseAddress, bound, $0.baseAddress, $0.count) }
            count = ZSTD_isError(result) == 0 ? result : 0
        }
        try check(result)
        return output
    }

    private func check(_ code: Int) throws(RunFailure) {
        if ZSTD_isError(code) != 0 { throw RunFailure("zstd: \(String(cString: ZSTD_getErrorName(code)))") }
    }
}

/// One gzip member per call. The header is set explicitly: no file name, mtime 0 and the Unix OS
/// byte, so the same records give the same bytes on every machine and day.
final class GzipMemberEncoder: FrameEncoder {
    // zlib's state points back at its z_stream, which therefore must not move.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let header = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
    private let level: Int32

    init(level: Int) throws(RunFailure) {
        self.level = Int32(level)
        stream.initialize(to: z_stream())
        header.initialize(to: gz_header())
        // windowBits 15 + 16: the largest window, in a gzip wrapper.
        let status = deflateInit2_(
            stream, self.level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            header.deallocate()
            throw RunFailure("zlib: cannot start a gzip stream (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        header.deallocate()
    }

    func encode(_ input: [UInt8]) throws(RunFailure) -> [UInt8] {
        // A reset keeps the allocated window but forgets the header, so it is set again each time.
        guard deflateReset(stream) == Z_OK else { throw RunFailure("zlib: cannot reset the gzip stream") }
        header.pointee = gz_header()
        header.pointee.os = 3
        guard deflateSetHeader(stream, header) == Z_OK else { throw RunFailure("zlib: cannot set the gzip header") }
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var status = Z_OK
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            input.withUnsafeBufferPointer { source in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(bound)
                // The bound leaves room for everything, so one call finishes the member.
                status = deflate(stream, Z_FINISH)
                count = status == Z_STREAM_END ? bound - Int(stream.pointee.avail_out) : 0
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
        }
        guard status == Z_STREAM_END else { throw RunFailure("zlib: deflate did not finish a gzip member (\(status))") }
        return output
    }
}
