import NewsMillNER
import RussianMorphology

/// Sets each mention's `normal`, its nominative form from OpenCorpora's dictionary, read with the
/// words around it in the text (a preposition or noun before it gives the case, a past-tense verb
/// after a person the gender); then `group` and `canonical`: which mentions of the document name
/// the same entity, and its fullest name.
struct EntityNormalForms: Sendable {
    let normalizer: NameNormalizer

    func annotate(_ mentions: inout [EntityMention], in text: String) {
        guard !mentions.isEmpty else { return }
        let scalars = Array(text.unicodeScalars)
        let found = mentions.map { mention in
            let kind = Self.kind(mention.type)
            let context = NameNormalizer.Context(around: mention.start, mention.end, in: scalars)
            return NameGroups.Mention(kind: kind, normal: normalizer.normal(of: mention.text, kind: kind, context: context))
        }
        for (index, assignment) in NameGroups.assign(found).enumerated() {
            mentions[index].normal = assignment.normal
            mentions[index].group = assignment.group
            mentions[index].canonical = assignment.canonical
        }
    }

    /// A headline's mentions take the group and name of the text's mentions of the same entity;
    /// `group` is an index into the text's `entities`, null when the text does not name it.
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

    static func kind(_ type: EntityType) -> NameNormalizer.Kind {
        switch type {
        case .person: .person
        case .organization: .organisation
        case .location: .location
        }
    }
}
