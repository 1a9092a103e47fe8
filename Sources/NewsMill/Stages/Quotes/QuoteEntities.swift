import NewsMillNER

/// The entities stage's mentions moved onto the bytes the quote grammar reads, so a speaker's
/// phrase can be matched to the named entity it overlaps.
struct QuoteEntities {
    struct Span {
        var type: EntityType
        var bytes: Range<Int>
    }

    /// Sorted by start; mentions whose offsets fall outside the text are left out.
    private(set) var spans: [Span] = []

    init() {}

    /// One forward pass over the text, as far as the last mention reaches.
    init(_ mentions: [EntityMention], in tokens: WordTokens) {
        guard !mentions.isEmpty else { return }
        let sorted = mentions.filter { $0.start >= 0 && $0.start < $0.end }.sorted { $0.start < $1.start }
        // Every start and end, in scalar order, mapped to its byte offset.
        var boundaries: [Int] = []
        boundaries.reserveCapacity(sorted.count * 2)
        for m in sorted { boundaries.append(m.start); boundaries.append(m.end) }
        boundaries.sort()
        var byteOf: [Int: Int] = [:]
        byteOf.reserveCapacity(boundaries.count)
        let b = tokens.bytes
        var byte = 0, scalar = 0
        for target in boundaries where byteOf[target] == nil {
            while scalar < target && byte < b.count {
                byte += 1
                while byte < b.count && b[byte] & 0xC0 == 0x80 { byte += 1 }
                scalar += 1
            }
            guard scalar == target else { break }
            byteOf[target] = byte
        }
        spans = sorted.compactMap { m in
            guard let start = byteOf[m.start], let end = byteOf[m.end] else { return nil }
            return Span(type: m.type, bytes: start..<end)
        }
    }

    var isEmpty: Bool { spans.isEmpty }

    /// The mentions overlapping a byte range, in text order.
    func overlapping(_ range: Range<Int>) -> ArraySlice<Span> {
        var lower = 0, upper = spans.count
        // First span that may end after range.lowerBound: spans are sorted by start, and a
        // mention is short, so start from the first one starting at or after lowerBound − 256.
        let floor = range.lowerBound - 256
        while lower < upper {
            let mid = (lower + upper) / 2
            if spans[mid].bytes.lowerBound < floor { lower = mid + 1 } else { upper = mid }
        }
        var first = lower
        while first < spans.count && spans[first].bytes.upperBound <= range.lowerBound { first += 1 }
        var last = first
        while last < spans.count && spans[last].bytes.lowerBound < range.upperBound { last += 1 }
        return spans[first..<last].filter { $0.bytes.overlaps(range) }[...]
    }

    /// The mention starting at a byte offset.
    func starting(at byte: Int) -> Span? {
        overlapping(byte..<(byte + 1)).first { $0.bytes.lowerBound == byte }
    }
}
