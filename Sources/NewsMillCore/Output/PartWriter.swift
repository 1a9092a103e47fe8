import Foundation

/// JSON Lines part files (part-00000.jsonl, …), a new one every `maxRecords` records, so
/// downstream tools can read them in parallel. Rotation depends on record count alone, which
/// keeps the files identical whatever the thread count.
///
/// Compressed parts are written in frames: the records are gathered uncompressed and, once
/// `frameBytes` are pending at the end of a record, compressed as one independent zstd frame or
/// gzip member and appended; the last frame of a part takes what is left. Frame boundaries thus
/// depend on the uncompressed bytes alone, and so does every compressed byte. Frames are
/// compressed on `threads` threads of their own (`FrameCompressor`) and written in order.
public final class PartWriter {
    /// Where the writer is: enough to re-create it after the process died and go on to the
    /// same bytes. Taken at any record boundary without moving a frame boundary: the frame still
    /// being gathered is saved uncompressed beside the parts (`pendingFile`) instead of being cut short.
    public struct Position: Codable, Sendable, Equatable {
        public var compression: PartCompression
        /// Part files finished (synced and closed), in order.
        public var finished: [String]
        /// Their bytes on disk.
        public var finishedBytes: Int
        /// The part being written; nil before the first record.
        public var current: String?
        /// The current part's length on disk, synced: whole frames only (for `none`, every record).
        public var currentLength: Int
        public var recordsInPart: Int
        /// Records written, pending ones included.
        public var records: Int
        /// Uncompressed bytes of those records.
        public var bytes: Int
        /// The hidden file holding the records after the current part's last whole frame,
        /// uncompressed (the start of its next frame), and its length; nil when there are none.
        public var pendingFile: String?
        public var pendingLength: Int

        /// The files the position needs in the folder, with the bytes each must hold at least.
        public var lengths: [String: Int] {
            var lengths: [String: Int] = [:]
            if let current { lengths[current] = currentLength }
            if let pendingFile { lengths[pendingFile] = pendingLength }
            return lengths
        }
    }

    /// 4 MiB: on the benchmark's output zstd -3 makes files 9% smaller than with 1 MiB frames
    /// and 4% smaller than with 2 MiB (gzip's 32 KiB window gains nothing past 1 MiB), at the same
    /// speed; 8 MiB would gain 2% more for twice the memory per frame in flight and in a checkpoint.
    public static let defaultFrameBytes = 4 << 20

    let directory: String
    let maxRecords: Int
    let firstPart: Int
    public let compression: PartCompression
    private let frameBytes: Int
    private let compressor: FrameCompressor?
    private var file: FileSink?
    private var pending: [UInt8] = []
    /// The pending files of the last two positions: a checkpoint on disk names one of them.
    private var savedPending: String?
    private var olderPending: String?
    static let pendingPrefix = ".pending-frame-"
    private var recordsInPart = 0
    private var finishedBytes = 0
    public private(set) var parts: [String] = []
    public private(set) var records = 0
    /// Uncompressed bytes written.
    public private(set) var bytes = 0

    /// `firstPart`: the number of the first part file (a sharded run's write task writes one part).
    public init(
        directory: String, maxRecords: Int, compression: PartCompression = .none, threads: Int = 1,
        frameBytes: Int = defaultFrameBytes, firstPart: Int = 0
    ) {
        self.firstPart = firstPart
        self.directory = directory
        self.maxRecords = maxRecords
        self.compression = compression
        self.frameBytes = frameBytes
        compressor = compression.codec == .none ? nil : FrameCompressor(compression: compression, threads: max(1, threads))
        pending.reserveCapacity(frameBytes + (1 << 16))
    }

    /// Goes on from `position`, taken by a writer of the same compression: the current part is cut
    /// back to its whole frames and the pending records are gathered again, so the files end up
    /// as a writer that never stopped would have written them.
    public convenience init(
        directory: String, maxRecords: Int, compression: PartCompression = .none, threads: Int = 1,
        frameBytes: Int = defaultFrameBytes, resumingAt position: Position
    ) throws(RunFailure) {
        guard position.compression == compression else {
            throw RunFailure(
                "cannot resume the part files: they were written with compression \(position.compression), this run asks for \(compression)"
            )
        }
        self.init(directory: directory, maxRecords: maxRecords, compression: compression, threads: threads, frameBytes: frameBytes)
        if let current = position.current {
            file = try FileSink(path: "\(directory)/\(current)", resumingAt: position.currentLength)
            parts = position.finished + [current]
        } else {
            parts = position.finished
        }
        finishedBytes = position.finishedBytes
        recordsInPart = position.recordsInPart
        records = position.records
        bytes = position.bytes
        if let pendingFile = position.pendingFile {
            let saved = FileManager.default.contents(atPath: "\(directory)/\(pendingFile)") ?? Data()
            guard saved.count == position.pendingLength else {
                throw RunFailure("cannot resume the part files: \(pendingFile) holds \(saved.count) bytes, not \(position.pendingLength)")
            }
            pending.append(contentsOf: saved)
            savedPending = pendingFile
        }
        // Parts and pending frames the killed run wrote after the position go.
        let kept = Set(parts + [savedPending].compactMap { $0 })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where (name.hasPrefix("part-") || name.hasPrefix(Self.pendingPrefix)) && !kept.contains(name) {
            unlink("\(directory)/\(name)")
        }
    }

    /// Bytes on disk: the finished parts and the whole frames of the current one so far.
    public var compressedBytes: Int { finishedBytes + (file?.bytesWritten ?? 0) }

    public func write(_ line: [UInt8]) throws(RunFailure) {
        if file == nil || recordsInPart >= maxRecords {
            try finishPart()
            let name = "part-\(String(firstPart + parts.count).leftPadded(to: 5))\(compression.codec.fileExtension)"
            file = try FileSink(path: "\(directory)/\(name)")
            parts.append(name)
            recordsInPart = 0
        }
        pending.append(contentsOf: line)
        recordsInPart += 1
        records += 1
        bytes += line.count
        if pending.count >= frameBytes { try writeFrame() }
    }

    /// Writes every whole frame and syncs the current part (and the folder, whose new entries a
    /// file's sync does not cover); the records of the frame still being gathered go to a pending
    /// file of their own, named by the record count so that the one the last checkpoint names
    /// stays until the next checkpoint replaces it.
    public func position() throws(RunFailure) -> Position {
        var length = 0
        var pendingFile: String?
        if let file {
            // Plain records have no frames to keep: all of them go to disk.
            if compressor == nil && !pending.isEmpty { try writeFrame() }
            try writeFramesInFlight()
            try file.sync()
            length = file.bytesWritten
            if !pending.isEmpty {
                let name = "\(Self.pendingPrefix)\(records)"
                if name != savedPending { try FileSink.replace("\(directory)/\(name)", with: pending) }
                pendingFile = name
            }
            if let code = POSIXFile.syncDirectory(directory) { throw RunFailure.write("sync", directory, errno: code) }
        }
        // The previous checkpoint's pending file is still needed until the checkpoint naming the
        // new one is saved; the one before it is not.
        if let older = olderPending, older != savedPending, older != pendingFile { unlink("\(directory)/\(older)") }
        olderPending = savedPending
        savedPending = pendingFile
        return Position(
            compression: compression, finished: file == nil ? parts : Array(parts.dropLast()), finishedBytes: finishedBytes,
            current: file == nil ? nil : parts.last, currentLength: length, recordsInPart: recordsInPart, records: records,
            bytes: bytes, pendingFile: pendingFile, pendingLength: pending.count)
    }

    public func close() throws(RunFailure) {
        try finishPart()
        for name in [savedPending, olderPending].compactMap({ $0 }) { unlink("\(directory)/\(name)") }
        savedPending = nil
        olderPending = nil
    }

    private func writeFrame() throws(RunFailure) {
        if let compressor {
            if compressor.isFull { try file!.write(try compressor.next()) }
            compressor.send(pending)
        } else {
            try file!.write(pending)
        }
        pending.removeAll(keepingCapacity: true)
    }

    private func writeFramesInFlight() throws(RunFailure) {
        guard let compressor else { return }
        while compressor.inFlight > 0 { try file!.write(try compressor.next()) }
    }

    private func finishPart() throws(RunFailure) {
        guard let file else { return }
        if !pending.isEmpty { try writeFrame() }
        try writeFramesInFlight()
        try file.close()
        finishedBytes += file.bytesWritten
        self.file = nil
    }
}

extension String {
    public func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
