/// Mentions found in a document's `title` as well as in its `text`: the extractors' blocks write
/// their mentions of the title under `title_KEY`, with the items of `KEY` and offsets into `title`.
/// Kept apart rather than flagged inside one array, so that every offset of `KEY` still points
/// into `text` and a reader that slices `text` is never handed a title span.
extension RecordBlock {
    /// `schema` with the title twin of its property `key` after it: the same items, offsets into
    /// `title`, present whenever `key` is (an empty array for a document with no title).
    public static func withTitleTwin(_ schema: String, key: String, stage: String) -> String {
        guard case .object(var members)? = try? JSONParser.parse(Array(schema.utf8)),
            let index = members.firstIndex(where: { $0.key == key }),
            case .object(var property) = members[index].value
        else { preconditionFailure("the \(stage) block's schema has no property \(key)") }
        property = property.map { member in
            member.key == "description"
                ? (
                    member.key,
                    .string(
                        "Present when the \(stage) stage runs: the same for title, with offsets into title (Unicode scalars); empty when there is no title."
                    )
                )
                : member
        }
        let twin = JSONValue.object(property).pretty()
            .replacingOccurrences(of: "text[start:end]", with: "title[start:end]")
            .replacingOccurrences(of: "as in text", with: "as in title")
        guard let twinValue = try? JSONParser.parse(Array(twin.utf8)) else { preconditionFailure("title twin of \(key)") }
        members.insert(("title_" + key, twinValue), at: index + 1)
        return JSONValue.object(members).pretty()
    }
}
