extension Field {
    public static let quotes: Field = "quotes"
}

enum QuotesKey: DocumentKey {
    typealias Value = [QuoteMention]
}

extension Document {
    /// Quotations with speaker and verb (quotes stage).
    public var quotes: [QuoteMention]? {
        get { self[QuotesKey.self] }
        set { self[QuotesKey.self] = newValue }
    }
}

extension RecordBlock {
    public static let quotes = RecordBlock(
        field: .quotes, position: .end,
        schema: #"""
            {
              "quotes": {
                "description": "Present when the quotes stage runs: direct quotations in text, in order of start.",
                "type": "array",
                "items": {
                  "description": "One quotation.",
                  "type": "object",
                  "properties": {
                    "text": {
                      "description": "The quoted words, without the surrounding quotation marks or dashes; equals text[start:end] when parts is null, else the parts' words joined as said (a full stop where the narrator's words cut between sentences).",
                      "type": "string",
                      "minLength": 1
                    },
                    "start": {
                      "$ref": "#/$defs/start"
                    },
                    "end": {
                      "$ref": "#/$defs/end"
                    },
                    "parts": {
                      "description": "A quotation the narrator's words cut («A, — сказал он. — B»): the pieces of the speaker's words (two or more), in order, start..end running from the first to the last; null when the words are not cut.",
                      "type": ["array", "null"],
                      "items": {
                        "description": "One piece of the speaker's words.",
                        "type": "object",
                        "properties": {
                          "start": {
                            "$ref": "#/$defs/start"
                          },
                          "end": {
                            "$ref": "#/$defs/end"
                          }
                        },
                        "required": ["start", "end"],
                        "additionalProperties": false
                      }
                    },
                    "form": {
                      "description": "dash: a paragraph opening with a dash; quoted: words in «…» or \"…\" with an attribution (or a whole quoted sentence); reported: words in dashes or marks relayed by a source (\"цитирует … телеканал CNN\", \"передаёт ТАСС\"); block: a paragraph without marks after one ending with an attribution (\"Министр сказал:\"); interview: a paragraph opening with the speaker's or the outlet's name and a colon (\"Фридрих фон Болен: …\").",
                      "enum": ["dash", "quoted", "reported", "block", "interview"]
                    },
                    "speaker": {
                      "description": "Who is quoted, as named in text (e.g. \"военный\"); null when no speaker is found.",
                      "$ref": "#/$defs/quoteParty"
                    },
                    "verb": {
                      "description": "The attribution verb or phrase as in text (\"заявил\", \"по словам\", \"цитирует\"); null when there is none.",
                      "type": ["string", "null"]
                    },
                    "source": {
                      "description": "Form reported: the outlet that relays the words (\"CNN\" in \"цитирует одного из солдат телеканал CNN\"), the same as speaker when the text names no one else; null for other forms.",
                      "$ref": "#/$defs/quoteParty"
                    }
                  },
                  "required": ["text", "start", "end", "parts", "form", "speaker", "verb", "source"],
                  "additionalProperties": false
                }
              }
            }
            """#,
        definitions: #"""
            {
              "quoteParty": {
                "description": "A quotation's speaker or source as the text names it, and the entity it is; null when there is none.",
                "type": ["object", "null"],
                "properties": {
                  "text": {
                    "description": "As named in text (\"военный\", \"он\", \"CNN\"); equals text[start:end].",
                    "type": "string",
                    "minLength": 1
                  },
                  "start": {
                    "$ref": "#/$defs/start"
                  },
                  "end": {
                    "$ref": "#/$defs/end"
                  },
                  "entity": {
                    "description": "The type of the named entity (entities stage) it resolves to; null when none is in reach or the entities stage did not run.",
                    "enum": ["PER", "ORG", "LOC", null]
                  },
                  "group": {
                    "description": "Its entity group: the index in entities of the entity's first mention. A pronoun (\"сказал он\", \"по её словам\") resolves to the speaker just quoted when it opens the next sentence, else to the nearest person of its gender named before the quotation; a role to the name after it in its phrase (\"сказала комедиантка Эллен Дедженерес\"); a document without an author (\"говорится в заявлении\") to the speaker named last before it; null when none is reliable or the entities stage did not run.",
                    "type": ["integer", "null"],
                    "minimum": 0
                  },
                  "normal": {
                    "description": "The entity's fullest name in the nominative (entities[i].canonical): what to count speakers by; null with group.",
                    "type": ["string", "null"]
                  }
                },
                "required": ["text", "start", "end", "entity", "group", "normal"],
                "additionalProperties": false
              }
            }
            """#
    ) { document, json in
        guard let quotes = document.quotes else { return }
        json.key("quotes")
        json.beginArray()
        for quote in quotes {
            json.beginObject()
            json.key("text"); json.string(quote.text)
            json.key("start"); json.int(quote.start)
            json.key("end"); json.int(quote.end)
            json.key("parts")
            if quote.parts.isEmpty {
                json.null()
            } else {
                json.beginArray()
                for part in quote.parts {
                    json.beginObject()
                    json.key("start"); json.int(part.start)
                    json.key("end"); json.int(part.end)
                    json.endObject()
                }
                json.endArray()
            }
            json.key("form"); json.string(quote.form.rawValue)
            for (key, speaker) in [("speaker", quote.speaker), ("source", quote.source)] {
                json.key(key)
                if let speaker {
                    json.beginObject()
                    json.key("text"); json.string(speaker.text)
                    json.key("start"); json.int(speaker.start)
                    json.key("end"); json.int(speaker.end)
                    json.key("entity"); json.string(speaker.entity?.rawValue)
                    json.key("group"); json.int(speaker.group)
                    json.key("normal"); json.string(speaker.normal)
                    json.endObject()
                } else {
                    json.null()
                }
            }
            json.key("verb"); json.string(quote.verb)
            json.endObject()
        }
        json.endArray()
    }
}
