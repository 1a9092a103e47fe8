/// What a number in the text counts.
public enum NumberKind: String, Sendable, CaseIterable {
    /// A count or amount: "16 человек", "150", "5,3 млрд рублей" (when no currency is named).
    case cardinal
    /// An ordinal: "третий", "5-й".
    case ordinal
    /// A percentage: "20%", "20 процентов".
    case percent
    /// An amount of money: "$5 млн", "5,3 млрд рублей".
    case money
}

/// A figure in a text: a number with its multiplier applied, its unit or counted noun and, for
/// money, the ISO 4217 currency; offsets in Unicode scalars of the text (end exclusive).
public struct NumberMention: Sendable, Equatable {
    public var text: String
    public var start: Int
    public var end: Int
    public var value: Double
    public var kind: NumberKind
    public var unit: String?
    public var currency: String?

    public init(text: String, start: Int, end: Int, value: Double, kind: NumberKind, unit: String? = nil, currency: String? = nil) {
        self.text = text
        self.start = start
        self.end = end
        self.value = value
        self.kind = kind
        self.unit = unit
        self.currency = currency
    }
}
