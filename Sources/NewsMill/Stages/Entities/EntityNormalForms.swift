import NewsMillNER
import RussianMorphology

/// Sets each mention's `normal`: its nominative form from OpenCorpora's dictionary, read with the
/// words around it in the text (a preposition or noun before it gives the case, a past-tense
/// verb after a person the gender).
struct EntityNormalForms: Sendable {
    let normalizer: NameNormalizer

    func annotate(_ mentions: inout [EntityMention], in text: String) {
        guard !mentions.isEmpty else { return }
        let scalars = Array(text.unicodeScalars)
        for index in mentions.indices {
            let mention = mentions[index]
            let context = NameNormalizer.Context(around: mention.start, mention.end, in: scalars)
            let kind: NameNormalizer.Kind =
                switch mention.type {
                case .person: .person
                case .organization: .organisation
                case .location: .location
                }
            mentions[index].normal = normalizer.normal(of: mention.text, kind: kind, context: context)
        }
    }
}
