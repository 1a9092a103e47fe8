/// The kinds of named entity the NER model tags.
public enum EntityType: String, Sendable, CaseIterable {
    case person = "PER"
    case location = "LOC"
    case organization = "ORG"
}

/// A named entity in a text: its span in Unicode scalars of the text (end exclusive).
public struct EntityMention: Sendable, Equatable {
    public var type: EntityType
    public var text: String
    public var start: Int
    public var end: Int
    /// The nominative form, as a news editor writes the name (set by the entities stage from the
    /// morphological dictionary; nil when it has not run).
    public var normal: String?
    /// The index, in its document's `entities`, of the first mention of the same entity.
    public var group: Int?
    /// The fullest name among the group's mentions.
    public var canonical: String?

    public init(type: EntityType, text: String, start: Int, end: Int, normal: String? = nil) {
        self.type = type
        self.text = text
        self.start = start
        self.end = end
        self.normal = normal
    }
}
