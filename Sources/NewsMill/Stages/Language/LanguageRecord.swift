extension Field {
    public static let language: Field = "lang"
}

enum LanguageKey: DocumentKey {
    typealias Value = LanguageIdentifier.Result
}

extension Document {
    /// The language of title and text (language stage).
    public var language: LanguageIdentifier.Result? {
        get { self[LanguageKey.self] }
        set { self[LanguageKey.self] = newValue }
    }
}

extension RecordBlock {
    /// `lang` and `lang_confidence`, right after `source`.
    public static let language = RecordBlock(
        field: .language, position: .afterSource,
        schema: #"""
            {
              "lang": {
                "description": "Present when the language stage runs. Language of the title and text as an ISO 639-1 code: one of ru, uk, be, kk, sr, en, de, fr, es, pl; \"und\" when the text is too short or too ambiguous to tell.",
                "type": "string",
                "enum": ["ru", "uk", "be", "kk", "sr", "en", "de", "fr", "es", "pl", "und"]
              },
              "lang_confidence": {
                "description": "Present with lang: the identifier's posterior probability of the best language, 0 to 1 (below 0.5 lang is \"und\").",
                "type": "number",
                "minimum": 0,
                "maximum": 1
              }
            }
            """#
    ) { document, json in
        guard let language = document.language else { return }
        json.key("lang"); json.string(language.language)
        json.key("lang_confidence"); json.double((language.confidence * 1000).rounded() / 1000)
    }
}
