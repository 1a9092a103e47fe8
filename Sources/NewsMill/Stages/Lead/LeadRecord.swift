extension Field {
    public static let lead: Field = "lead"
}

enum LeadKey: DocumentKey {
    typealias Value = String
}

extension Document {
    /// The opening paragraph (lead stage).
    public var lead: String? {
        get { self[LeadKey.self] }
        set { self[LeadKey.self] = newValue }
    }
}

extension RecordBlock {
    /// `lead`, right after `title`.
    public static let lead = RecordBlock(
        field: .lead, position: .afterTitle,
        schema: #"""
            {
              "lead": {
                "description": "Present when the lead stage runs: the opening paragraph of text (the first of at least 40 characters among the first four), verbatim.",
                "type": "string"
              }
            }
            """#
    ) { document, json in
        guard let lead = document.lead else { return }
        json.key("lead"); json.string(lead)
    }
}
