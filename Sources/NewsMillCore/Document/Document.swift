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
    public var url: String?
    public var published: String?
    public var publishedFrom: PublishedSource?
    /// The text was extracted from markup found in a dump's text field.
    public var textFromMarkup = false
    /// Further fields of a dump row (e.g. topic, tags), in the order the dump gives them.
    public var meta: [(key: String, value: String)]
    /// What stages attach: each stage declares its own key and a property for it in its folder
    /// (`document.entities`, `document.dedup`); see `DocumentKey`.
    private var attachments: [(key: ObjectIdentifier, value: any Sendable)] = []

    public init(
        origin: Origin, format: MemberFormat, sourceBytes: Int, encoding: String, text: String,
        title: String? = nil, url: String? = nil, published: String? = nil,
        meta: [(key: String, value: String)] = []
    ) {
        self.init(
            id: DocumentID.make(for: origin), origin: origin, format: format, sourceBytes: sourceBytes, encoding: encoding, text: text)
        self.title = title
        self.url = url
        self.published = published
        // A decoder's own date is the page's metadata for HTML, else a field; one that takes it
        // from elsewhere (the URL, markup in a field) says so.
        self.publishedFrom = published == nil ? nil : format == .html ? .html : .field
        self.meta = meta
    }

    /// A document whose id is known already (a sharded run's sequence task rebuilds documents
    /// from their sketches; hashing the origin again would only give the same id).
    public init(id: String, origin: Origin, format: MemberFormat, sourceBytes: Int, encoding: String, text: String) {
        self.id = id
        self.origin = origin
        self.format = format
        self.sourceBytes = sourceBytes
        self.encoding = encoding
        self.text = text
        self.meta = []
    }
}

extension Document {
    /// The value a stage attached under `key`, nil when none.
    public subscript<Key: DocumentKey>(_ key: Key.Type) -> Key.Value? {
        get {
            let id = ObjectIdentifier(key)
            // A handful of attachments per document: a linear scan beats hashing.
            for attachment in attachments where attachment.key == id { return attachment.value as? Key.Value }
            return nil
        }
        set {
            let id = ObjectIdentifier(key)
            let index = attachments.firstIndex { $0.key == id }
            switch (index, newValue) {
            case (let index?, let value?): attachments[index].value = value
            case (let index?, nil): attachments.remove(at: index)
            case (nil, let value?): attachments.append((id, value))
            case (nil, nil): break
            }
        }
    }
}

/// The key of a value a stage attaches to documents:
/// `enum EntitiesKey: DocumentKey { typealias Value = [EntityMention] }`, read and written as
/// `document[EntitiesKey.self]`, usually behind a property declared next to the stage.
public protocol DocumentKey {
    associatedtype Value: Sendable
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
