import Foundation

/// The first convolution's word part (a word's navec vector times the window matrix: kernel ·
/// outputs floats) for the words one worker met lately. It is most of the model's multiply-adds
/// and depends on the word alone, and news vocabulary is Zipfian: a few thousand words make most
/// tokens, so keeping their rows across documents saves most of that work. Rows are computed by
/// the same `MatrixMultiply` call, each element summed in the same order whatever the batch, so
/// a reused row is bit for bit the row the document would have computed: the cache changes speed,
/// never tags.
///
/// Bounded: `capacity` rows (3 KB each for the news model), evicted by CLOCK (a word read again
/// since the hand last passed keeps its row one more turn), plus one slot index per vocabulary
/// word. Not thread-safe: one per worker, lent out by `WordProjectionCaches`.
final class WordProjectionCache {

    let capacity: Int
    let width: Int
    private let rows: UnsafeMutablePointer<Float>
    /// Per vocabulary word: its slot, `absent`, or while a chunk is being encoded, a miss of that
    /// chunk as `pending(index)` (so a word missing twice in a document is computed once).
    private let slotOfWord: UnsafeMutablePointer<Int32>
    private let wordInSlot: UnsafeMutablePointer<Int32>
    private let referenced: UnsafeMutablePointer<Bool>
    /// The chunk that last read a slot, so a word read twice in one chunk counts once.
    private let readIn: UnsafeMutablePointer<UInt32>
    private let vocabularySize: Int
    private var filled = 0
    private var hand = 0
    private var chunk: UInt32 = 0

    static let absent: Int32 = -1

    init(vocabularySize: Int, width: Int, capacity: Int) {
        self.capacity = max(0, capacity)
        self.width = width
        self.vocabularySize = vocabularySize
        rows = .allocate(capacity: self.capacity * width)
        slotOfWord = .allocate(capacity: vocabularySize)
        slotOfWord.initialize(repeating: Self.absent, count: vocabularySize)
        wordInSlot = .allocate(capacity: self.capacity)
        wordInSlot.initialize(repeating: Self.absent, count: self.capacity)
        referenced = .allocate(capacity: self.capacity)
        referenced.initialize(repeating: false, count: self.capacity)
        readIn = .allocate(capacity: self.capacity)
        readIn.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        rows.deallocate()
        slotOfWord.deallocate()
        wordInSlot.deallocate()
        referenced.deallocate()
        readIn.deallocate()
    }

    /// Where each token's row is: `Source.cached(slot)` or `Source.missing(index)` into `misses`
    /// (each distinct missing word once, in order of first occurrence). Every miss is pending
    /// until `store` puts the computed rows in.
    func lookUp(_ words: ArraySlice<Int32>, sources: inout [Int32], misses: inout [Int32], usage: inout WordProjectionUsage) {
        chunk &+= 1
        sources.removeAll(keepingCapacity: true)
        misses.removeAll(keepingCapacity: true)
        for word in words {
            let slot = slotOfWord[Int(word)]
            if slot >= 0 {
                referenced[Int(slot)] = true
                if readIn[Int(slot)] != chunk {
                    readIn[Int(slot)] = chunk
                    usage.reused += 1
                }
                sources.append(slot)
            } else if slot == Self.absent {
                let pending = Self.pending(misses.count)
                slotOfWord[Int(word)] = pending
                misses.append(word)
                sources.append(pending)
            } else {
                sources.append(slot)
            }
        }
        usage.computed += misses.count
    }

    /// The row of a `lookUp` source: in the cache, or row `index` of the misses' rows.
    @inline(__always)
    func row(_ source: Int32, missRows: UnsafePointer<Float>?) -> UnsafePointer<Float> {
        source >= 0 ? UnsafePointer(rows + Int(source) * width) : missRows! + Int(Self.missIndex(source)) * width
    }

    /// Keeps the misses' rows, once the chunk no longer reads the rows they may evict.
    func store(_ misses: [Int32], missRows: UnsafePointer<Float>?) {
        for (index, word) in misses.enumerated() {
            guard capacity > 0 else {
                slotOfWord[Int(word)] = Self.absent
                continue
            }
            let slot: Int
            if filled < capacity {
                slot = filled
                filled += 1
            } else {
                while referenced[hand] {
                    referenced[hand] = false
                    hand = (hand + 1) % capacity
                }
                slot = hand
                hand = (hand + 1) % capacity
                // May be a row stored earlier in this loop, when a chunk misses more words than fit.
                let evicted = wordInSlot[slot]
                if evicted != Self.absent { slotOfWord[Int(evicted)] = Self.absent }
            }
            (rows + slot * width).update(from: missRows! + index * width, count: width)
            wordInSlot[slot] = word
            slotOfWord[Int(word)] = Int32(slot)
            // A new row has to be read again before the hand comes round to keep it: words seen
            // once in a while (most of the vocabulary) then go first.
            referenced[slot] = false
        }
    }

    /// Rows held (≤ capacity).
    var count: Int { filled }

    @inline(__always) static func pending(_ index: Int) -> Int32 { Int32(-2 - index) }
    @inline(__always) static func missIndex(_ source: Int32) -> Int32 { -2 - source }
}

/// How many first-layer word rows a tagger reused from its caches and how many it computed, each
/// distinct word of a chunk counted once: the cache's hit rate is reused / (reused + computed).
public struct WordProjectionUsage: Sendable, Equatable {
    public var reused = 0
    public var computed = 0

    public init(reused: Int = 0, computed: Int = 0) {
        self.reused = reused
        self.computed = computed
    }
}

/// The caches of one tagger, one per concurrent caller: a worker borrows one for a text and
/// gives it back, so there are never more than the workers running at once, and none is ever
/// used by two threads at a time. Under a pthread lock rather than `Mutex`, for ThreadSanitizer
/// (see `EntitiesStage.ModelCache`).
final class WordProjectionCaches: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [WordProjectionCache] = []
    private var made = 0
    let capacity: Int
    private let vocabularySize: Int
    private let width: Int

    init(vocabularySize: Int, width: Int, capacity: Int) {
        self.vocabularySize = vocabularySize
        self.width = width
        self.capacity = capacity
    }

    func borrow() -> WordProjectionCache {
        lock.lock()
        if let cache = idle.popLast() {
            lock.unlock()
            return cache
        }
        made += 1
        lock.unlock()
        return WordProjectionCache(vocabularySize: vocabularySize, width: width, capacity: capacity)
    }

    func giveBack(_ cache: WordProjectionCache) {
        lock.lock()
        idle.append(cache)
        lock.unlock()
    }

    /// Caches made so far: at most the number of threads that ran the tagger at once.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return made
    }
}
