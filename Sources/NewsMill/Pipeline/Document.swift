import NewsMillNER

/// Where a document came from. `archive` is the chain of archives that hold the member
/// (nested levels joined by "!/"), nil for plain files; `row` is the 1-based record of a dump.
public struct Origin: Sendable, Hashable {
    public var archive: String?
    public var member: String
    public var row: Int?

    public init(archive: String?, member: String, row: Int? = nil) {
        self.archive = archive
        self.member = member
        self.row = row
    }

    /// Human-readable form for logs and error messages.
    public var description: String {
        var s = archive.map { "\($0)!/\(member)" } ?? member
        if let row { s += "#\(row)" }
        return s
    }
}

/// The member formats NewsMill turns into documents.
public enum MemberFormat: String, Sendable, CaseIterable {
    case txt, html, jsonl, json, csv
}

/// Where a document's `published` came from: a dump's date field, the page's metadata (an .html
/// member, or markup in a dump's text field), or the date in the document's URL path.
public enum PublishedSource: String, Sendable {
    case field, html, url
}

public struct TextStats: Sendable, Equatable {
    public var chars: Int
    public var words: Int
    public var sentences: Int
    public var paragraphs: Int
}

public enum DedupStatus: String, Sendable {
    case unique, exact, near
}

public struct DedupInfo: Sendable, Equatable {
    public var hash: Hash128
    public var status: DedupStatus
    /// Id of the document this one duplicates (nil when unique).
    public var of: String?
    public var similarity: Double?
    /// Id of the cluster's canonical document (the document's own id when unique).
    public var cluster: String
    /// Canonical ids of clusters this document merged into `cluster` (near dedup).
    public var merges: [String] = []
}

/// One article on its way through the pipeline.
public struct Document: Sendable {
    public var id: String
    public var origin: Origin
    public var format: MemberFormat
    /// Size of the raw member or row the document was decoded from.
    public var sourceBytes: Int
    public var encoding: String
    /// The charset UTF-8 text had been misread as before it was repaired (mojibake), if it was.
    public var mojibakeRepairedFrom: Charset?
    /// Bytes of the source that were not valid UTF-8 in text decoded as UTF-8 (repaired).
    public var invalidBytes = 0
    /// The charset a legacy run inside UTF-8 text was decoded in, if there was one.
    public var mixedCharset: Charset?
    public var text: String
    public var title: String?
    /// The opening paragraph (lead stage).
    public var lead: String?
    public var url: String?
    public var published: String?
    public var publishedFrom: PublishedSource?
    /// The text was extracted from markup found in a dump's text field.
    public var textFromMarkup = false
    /// Further fields of a dump row (e.g. topic, tags), in the order the dump gives them.
    public var meta: [(key: String, value: String)]
    public var language: LanguageIdentifier.Result?
    public var stats: TextStats?
    /// Date expressions with offsets into `text` (dates stage).
    public var dates: [DateMention]?
    /// Named entities with offsets into `text` (entities stage).
    public var entities: [EntityMention]?
    /// Quotations with speaker and verb (quotes stage).
    public var quotes: [QuoteMention]?
    /// Figures: numbers with unit, currency and normalized value (numbers stage).
    public var numbers: [NumberMention]?
    public var contentHash: Hash128?
    /// Shingles and band hashes for near dedup, between its parallel and its ordered half.
    public var nearSketch: NearSketch?
    public var dedup: DedupInfo?

    public init(origin: Origin, format: MemberFormat, sourceBytes: Int, encoding: String, text: String,
                title: String? = nil, url: String? = nil, published: String? = nil,
                meta: [(key: String, value: String)] = []) {
        self.id = DocumentID.make(for: origin)
        self.origin = origin
        self.format = format
        self.sourceBytes = sourceBytes
        self.encoding = encoding
        self.text = text
        self.title = title
        self.url = url
        self.published = published
        // A decoder's own date is the page's metadata for HTML, else a field; one that takes it
        // from elsewhere (the URL, markup in a field) says so.
        self.publishedFrom = published == nil ? nil : format == .html ? .html : .field
        self.meta = meta
    }
}

/// Stable ids: the same archive path, member path and row always give the same id.
public enum DocumentID {
    public static func make(for origin: Origin) -> String {
        var key = [UInt8]()
        key.append(contentsOf: (origin.archive ?? "").utf8)
        key.append(0)
        key.append(contentsOf: origin.member.utf8)
        key.append(0)
        if let row = origin.row { key.append(contentsOf: String(row).utf8) }
        let h = Hash128.murmur3(key)
        // 96 bits: collision-free in practice even across billions of documents.
        return h.hex.prefix(24).description
    }
}
