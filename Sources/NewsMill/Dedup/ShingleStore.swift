#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shingle sets of every indexed document, for exact verification of LSH candidates. They
/// outgrow memory (about 1.8 KB per news article), so they live in a file that is appended to
/// and read back with pread: the kernel's page cache, not the process, holds what is hot. Only
/// 12 bytes per document (offset and count) stay in memory. Without a file (none could be
/// made), the sets are kept in memory.
final class ShingleStore {
    private var descriptor: Int32 = -1
    private var memory: [UInt32] = []
    private var offsets: [UInt64] = []
    private var counts: [UInt32] = []
    private var end: UInt64 = 0

    /// A store in a file of its own under `directory`, removed from the directory at once so
    /// that nothing is left behind however the process ends.
    init(temporaryIn directory: String) {
        var template = Array((directory + "/newsmill-shingles-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd >= 0 {
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            descriptor = fd
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    var documents: Int { counts.count }
    var fileBytes: UInt64 { end }

    /// Stores a set; its number is the count of sets stored before it.
    func append(_ set: [UInt32]) {
        offsets.append(end)
        counts.append(UInt32(set.count))
        let bytes = set.count * 4
        if descriptor >= 0 {
            let written = set.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, bytes, off_t(end)) }
            if written != bytes { moveToMemory() ; memory.append(contentsOf: set) }
        } else {
            memory.append(contentsOf: set)
        }
        end += UInt64(bytes)
    }

    /// The set of document `number`, in `buffer` (reused between calls).
    func read(_ number: Int, into buffer: inout [UInt32]) {
        let count = Int(counts[number]), offset = offsets[number]
        buffer.removeAll(keepingCapacity: true)
        guard count > 0 else { return }
        if descriptor >= 0 {
            buffer = [UInt32](unsafeUninitializedCapacity: count) { storage, initialized in
                let got = pread(descriptor, storage.baseAddress, count * 4, off_t(offset))
                initialized = got == count * 4 ? count : 0
            }
        } else {
            let start = Int(offset / 4)
            buffer.append(contentsOf: memory[start..<(start + count)])
        }
    }

    /// A failed write (disk full): everything stored so far moves into memory and the run goes on.
    private func moveToMemory() {
        let stored = Int(offsets.last ?? 0) / 4
        memory = [UInt32](unsafeUninitializedCapacity: stored) { storage, initialized in
            let got = pread(descriptor, storage.baseAddress, stored * 4, 0)
            initialized = got == stored * 4 ? stored : 0
        }
        close(descriptor)
        descriptor = -1
    }
}
