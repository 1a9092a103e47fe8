import NewsMillNER
import RussianMorphology

/// Sets each mention's `normal`, its nominative form from OpenCorpora's dictionary, read with the
/// words around it in the text (a preposition or noun before it gives the case, a past-tense verb
/// after a person the gender); then `group` and `canonical`: which mentions of the document name
/// the same entity, and its fullest name.
struct EntityNormalForms: Sendable {
    let normalizer: NameNormalizer

    /// The text's groups, for its headline's mentions to join (`annotate(title:in:text:)`).
    struct TextGroups: Sendable {
        let grouped: NameGroups.Grouped
        static let none = TextGroups(grouped: NameGroups.grouped([]))
    }

    @discardableResult
    func annotate(_ mentions: inout [EntityMention], in text: String) -> TextGroups {
        guard !mentions.isEmpty else { return .none }
        let found = normals(mentions, in: text)
        let grouped = NameGroups.grouped(found)
        for (index, assignment) in grouped.assignments.enumerated() {
            mentions[index].normal = assignment.normal
            mentions[index].group = assignment.group
            mentions[index].canonical = assignment.canonical
        }
        return TextGroups(grouped: grouped)
    }

    /// A headline's mentions take the group and name of the text's mentions of the same entity;
    /// `group` is an index into the text's `entities`, null when the text does not name it. Only
    /// the headline's mentions are normalized; the text's names are grouped as they were.
    func annotate(title mentions: inout [EntityMention], in title: String, text groups: TextGroups) {
        guard !mentions.isEmpty else { return }
        let offset = groups.grouped.assignments.count
        let found = normals(mentions, in: title)
        for (index, assignment) in NameGroups.assign(found, after: groups.grouped).enumerated() {
            mentions[index].normal = assignment.normal
            mentions[index].group = assignment.group < offset ? assignment.group : nil
            mentions[index].canonical = assignment.canonical
        }
    }

    /// The same as `annotate(title:in:text:)` with the text's groups, by grouping the text's
    /// mentions (as annotated) and the headline's all over again.
    func annotate(title mentions: inout [EntityMention], in title: String, text entities: [EntityMention]) {
        guard !mentions.isEmpty else { return }
        var all = entities
        let offset = all.count
        all.append(contentsOf: mentions)
        let scalars = Array(title.unicodeScalars)
        let found = all.enumerated().map { index, mention in
            let kind = Self.kind(mention.type)
            if index < offset, let normal = mention.normal { return NameGroups.Mention(kind: kind, normal: normal) }
            let context = NameNormalizer.Context(around: mention.start, mention.end, in: scalars)
            return NameGroups.Mention(kind: kind, normal: normalizer.normal(of: mention.text, kind: kind, context: context))
        }
        let assignments = NameGroups.assign(found)
        for index in mentions.indices {
            let assignment = assignments[offset + index]
            mentions[index].normal = assignment.normal
            mentions[index].group = assignment.group < offset ? assignment.group : nil
            mentions[index].canonical = assignment.canonical
        }
    }

    /// Each mention's normal form, read with the words around it in `text`.
    private func normals(_ mentions: [EntityMention], in text: String) -> [NameGroups.Mention] {
        let contexts = NameNormalizer.Context.contexts(around: mentions.map { ($0.start, $0.end) }, in: text)
        return zip(mentions, contexts).map { mention, context in
            let kind = Self.kind(mention.type)
            return NameGroups.Mention(kind: kind, normal: normalizer.normal(of: mention.text, kind: kind, context: context))
        }
    }

    static func kind(_ type: EntityType) -> NameNormalizer.Kind {
        switch type {
        case .person: .person
        case .organization: .organisation
        case .location: .location
        }
    }
}
