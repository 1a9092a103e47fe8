/// Joins an organisation to the place or organisation that completes its name: the model tags
/// "Национальная ассамблея" ORG + "Венесуэлы" LOC, where a reader (and NEREL's gold) sees the
/// organisation "Национальная ассамблея Венесуэлы" with the location inside it. An ORG followed
/// after one space by a LOC or ORG grows over it, as far as such a chain goes; a location inside
/// stays as its own, nested mention, an organisation inside is absorbed.
enum OrganisationComplements {
    static func join(_ mentions: [EntityMention], _ scalars: [Unicode.Scalar]) -> [EntityMention] {
        var result: [EntityMention] = []
        result.reserveCapacity(mentions.count)
        var i = 0
        while i < mentions.count {
            var head = mentions[i]
            var nested: [EntityMention] = []
            if head.type == .organization {
                var j = i + 1
                while j < mentions.count, mentions[j].type != .person,
                    mentions[j].start == head.end + 1, scalars[head.end] == " "
                {
                    head.end = mentions[j].end
                    if mentions[j].type == .location { nested.append(mentions[j]) }
                    j += 1
                }
                if j > i + 1 {
                    head.text = String(String.UnicodeScalarView(scalars[head.start..<head.end]))
                    i = j
                } else {
                    i += 1
                }
            } else {
                i += 1
            }
            result.append(head)
            result.append(contentsOf: nested)
        }
        return result
    }
}
