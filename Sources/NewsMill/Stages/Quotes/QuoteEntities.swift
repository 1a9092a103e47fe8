import NewsMillNER

/// The entities stage's mentions moved onto the bytes the quote grammar reads, so a speaker's
/// phrase can be matched to the named entity it overlaps.
struct QuoteEntities {
    struct Span {
        var type: EntityType
        var bytes: Range<Int>
        /// The mention's index in the document's `entities`.
        var index: Int
    }

    /// Sorted by start; mentions whose offsets fall outside the text are left out.
    private(set) var spans: [Span] = []
    /// The document's mentions, for the groups and names the speakers point to.
    private(set) var mentions: [EntityMention] = []
    /// Groups of persons one of whose mentions ends in a consonant, as only a man's name does.
    private var masculineGroups: Set<Int> = []

    init() {}

    /// One forward pass over the text, as far as the last mention reaches.
    init(_ mentions: [EntityMention], in tokens: WordTokens) {
        guard !mentions.isEmpty else { return }
        self.mentions = mentions
        for mention in mentions where mention.type == .person {
            if let group = mention.group, let last = mention.text.unicodeScalars.last, Self.russianConsonants.contains(last) {
                masculineGroups.insert(group)
            }
        }
        let sorted = mentions.indices.filter { mentions[$0].start >= 0 && mentions[$0].start < mentions[$0].end }
            .sorted { mentions[$0].start < mentions[$1].start }
        // Every start and end, in scalar order, mapped to its byte offset.
        var boundaries: [Int] = []
        boundaries.reserveCapacity(sorted.count * 2)
        for m in sorted { boundaries.append(mentions[m].start); boundaries.append(mentions[m].end) }
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
            guard let start = byteOf[mentions[m].start], let end = byteOf[mentions[m].end] else { return nil }
            return Span(type: mentions[m].type, bytes: start..<end, index: m)
        }
    }

    private static let russianConsonants = Set("бвгджзклмнпрстфхцчшщ".unicodeScalars)

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

    /// The nearest person mentioned before `byte`, within `reach` bytes, whose name can be of
    /// `feminine` gender: the one a pronoun ("сказал он", "по её словам") stands for. Nil when the
    /// nearest person of that gender is farther: the pronoun is not resolved then rather than
    /// guessed.
    func person(before byte: Int, feminine: Bool, reach: Int) -> Span? {
        var k = spans.count - 1
        while k >= 0 && spans[k].bytes.upperBound > byte { k -= 1 }
        while k >= 0 && spans[k].bytes.upperBound >= byte - reach {
            let span = spans[k]
            if span.type == .person && isFeminine(span.index) == feminine { return span }
            k -= 1
        }
        return nil
    }

    /// The nearest person or organisation mentioned before `byte`, within `reach` bytes.
    func speaker(before byte: Int, reach: Int) -> Span? {
        var k = spans.count - 1
        while k >= 0 && spans[k].bytes.upperBound > byte { k -= 1 }
        while k >= 0 && spans[k].bytes.upperBound >= byte - reach {
            if spans[k].type != .location { return spans[k] }
            k -= 1
        }
        return nil
    }

    /// A woman's name: its surname (last word of the fullest name) ends as Russian feminine names
    /// do ("Анна Иванова", "Мария Захарова", "Мадонна"), and no mention of the entity ends in a
    /// consonant as a man's does ("Маркив" beside "Виталия Маркива"); foreign men's names in -а
    /// named no other way are the miss.
    func isFeminine(_ index: Int) -> Bool {
        let name = mentions[index].canonical ?? mentions[index].normal ?? mentions[index].text
        guard let last = name.unicodeScalars.last, last == "а" || last == "я" else { return false }
        guard let group = mentions[index].group else { return true }
        return !masculineGroups.contains(group)
    }

    /// A person named over `bytes` in another case than the nominative ("о смерти Дадашева"): not
    /// the subject of the sentence.
    func isInflectedPerson(at bytes: Range<Int>) -> Bool {
        guard let span = overlapping(bytes).first, span.type == .person, let normal = mentions[span.index].normal else { return false }
        return normal != mentions[span.index].text
    }

    /// The mention starting at a byte offset.
    func starting(at byte: Int) -> Span? {
        overlapping(byte..<(byte + 1)).first { $0.bytes.lowerBound == byte }
    }
}
