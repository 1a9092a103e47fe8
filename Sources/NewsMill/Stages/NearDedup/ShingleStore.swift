import Glibc

/// The shingle sets of every document seen, for exact verification of LSH candidates. They
/// outgrow memory (about 1.8 KB per news article), so they live in a file that is appended to
/// and read back with pread: the kernel's page cache, not the process, holds what is hot. Only
/// 12 bytes per document (offset and count) stay in memory. The file is the state folder's
/// when there is one, else a temporary file; without a file (none could be made), the sets are
/// kept in memory.
final class ShingleStore {
    private var descriptor: Int32 = -1
    private let ownsDescriptor: Bool
    private var memory: [UInt32] = []
    private var offsets: [UInt64] = []
    private var counts: [UInt32] = []
    private(set) var end: UInt64 = 0

    /// A store in a temporary file under `directory`, unlinked at once so that nothing is left
    /// behind however the process ends.
    init(temporaryIn directory: String) {
        ownsDescriptor = true
        var template = Array((directory + "/newsmill-shingles-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd >= 0 {
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            descriptor = fd
        }
    }

    /// A store over an open file whose first sets (of `counts` shingles each) are committed.
    init(descriptor: Int32, counts: [UInt32]) {
        ownsDescriptor = false
        self.descriptor = descriptor
        self.counts = counts
        offsets.reserveCapacity(counts.count)
        for count in counts {
            offsets.append(end)
            end += UInt64(count) * 4
        }
    }

    deinit {
        if ownsDescriptor && descriptor >= 0 { close(descriptor) }
    }

    var documents: Int { counts.count }

    /// Sets not yet written: they start at file offset `end - pending.count * 4`.
    private var pending: [UInt32] = []
    private static let flushValues = 1 << 18

    /// Stores a set; its number is the count of sets stored before it. Writes go out in 1 MB
    /// blocks. After a failed write (a full disk) the sets go to memory and the run goes on;
    /// `failed` tells `persist`.
    func append(_ set: [UInt32]) {
        offsets.append(end)
        counts.append(UInt32(set.count))
        end += UInt64(set.count * 4)
        if descriptor < 0 && memoryStart == nil { memoryStart = 0 }
        if memoryStart != nil {
            memory.append(contentsOf: set)
            return
        }
        pending.append(contentsOf: set)
        if pending.count >= Self.flushValues { flush() }
    }

    /// Writes the pending sets to the file.
    func flush() {
        guard !pending.isEmpty, memoryStart == nil, descriptor >= 0 else { return }
        let start = end - UInt64(pending.count * 4)
        if pending.withUnsafeBytes({ POSIXFile.writeAll(descriptor, $0, at: start) }) != nil {
            // The file stops here; what was not written stays readable from memory.
            memoryStart = start
            memory = pending
            pending = []
            return
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Where sets began to be kept in memory (no file, or a failed write).
    private(set) var memoryStart: UInt64?
    var failed: Bool { memoryStart != nil && descriptor >= 0 }

    /// The set of document `number`, in `buffer` (reused between calls).
    func read(_ number: Int, into buffer: inout [UInt32]) {
        let count = Int(counts[number]), offset = offsets[number]
        buffer.removeAll(keepingCapacity: true)
        guard count > 0 else { return }
        if let memoryStart, offset >= memoryStart {
            let start = Int((offset - memoryStart) / 4)
            buffer.append(contentsOf: memory[start..<(start + count)])
            return
        }
        let pendingStart = end - UInt64(pending.count * 4)
        if offset >= pendingStart {
            let start = Int((offset - pendingStart) / 4)
            buffer.append(contentsOf: pending[start..<(start + count)])
            return
        }
        buffer = [UInt32](unsafeUninitializedCapacity: count) { storage, initialized in
            let got = pread(descriptor, storage.baseAddress, count * 4, off_t(offset))
            initialized = got == count * 4 ? count : 0
        }
    }
}
