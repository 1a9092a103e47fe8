import NewsMillNER

/// How a quotation is set off in the text.
public enum QuoteForm: String, Sendable, CaseIterable {
    /// A paragraph opening with a dash: "— Мы не говорим… — заявил военный."
    case dash
    /// Words in «…» or "…" with an attribution ("сказал", "по словам X") around them.
    case quoted
    /// Speech relayed by a source ("— …, — цитирует одного из солдат телеканал CNN", "«…», —
    /// передаёт ТАСС"): the words in dashes or marks, `source` the outlet that relays them.
    case reported
    /// A paragraph without marks after one ending with an attribution ("Министр сказал:"): a block
    /// quotation whose marks were lost.
    case block
    /// An interview's line: a paragraph opening with the speaker's or the outlet's name and a
    /// colon ("Фридрих фон Болен: Я думаю…").
    case interview
}

/// Who a quotation is attributed to, as named in the text; `entity` is the type of the named
/// entity the speaker resolves to, when one is in reach.
public struct QuoteSpeaker: Sendable, Equatable {
    public var text: String
    public var start: Int
    public var end: Int
    public var entity: EntityType?
    /// The speaker's entity group in the document's `entities` (a pronoun's or role's too).
    public var group: Int?
    /// The entity's fullest name ("Владимир Путин" for "он" or "Путин").
    public var normal: String?

    public init(text: String, start: Int, end: Int, entity: EntityType? = nil, group: Int? = nil, normal: String? = nil) {
        self.text = text
        self.start = start
        self.end = end
        self.entity = entity
        self.group = group
        self.normal = normal
    }
}

/// Where a piece of a quotation the narrator's words cut is, in Unicode scalars of the text.
public struct QuotePart: Sendable, Equatable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// A quotation: the quoted words without their marks, with offsets in Unicode scalars of the
/// text (end exclusive), its speaker and attribution verb when the text gives them. When the
/// narrator's words cut it ("«A, — сказал он. — B»"), `start`..<`end` runs from A to B, `parts`
/// holds A and B, and `text` is their words joined as said ("A. B").
public struct QuoteMention: Sendable, Equatable {
    public var text: String
    public var start: Int
    public var end: Int
    public var parts: [QuotePart]
    public var form: QuoteForm
    public var speaker: QuoteSpeaker?
    public var verb: String?
    /// The outlet that relays the words of a `reported` quotation ("CNN" in "цитирует одного из
    /// солдат телеканал CNN"); the speaker when the text names no one else.
    public var source: QuoteSpeaker?

    public init(
        text: String, start: Int, end: Int, form: QuoteForm, speaker: QuoteSpeaker? = nil, verb: String? = nil,
        source: QuoteSpeaker? = nil, parts: [QuotePart] = []
    ) {
        self.text = text
        self.start = start
        self.end = end
        self.parts = parts
        self.form = form
        self.speaker = speaker
        self.verb = verb
        self.source = source
    }
}
