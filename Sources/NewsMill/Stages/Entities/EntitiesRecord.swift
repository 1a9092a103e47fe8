import NewsMillNER

extension Field {
    public static let entities: Field = "entities"
}

enum EntitiesKey: DocumentKey {
    typealias Value = [EntityMention]
}

enum TitleEntitiesKey: DocumentKey {
    typealias Value = [EntityMention]
}

extension Document {
    /// Named entities with offsets into `text` (entities stage).
    public var entities: [EntityMention]? {
        get { self[EntitiesKey.self] }
        set { self[EntitiesKey.self] = newValue }
    }

    /// Named entities of `title`, with offsets into it (entities stage).
    public var titleEntities: [EntityMention]? {
        get { self[TitleEntitiesKey.self] }
        set { self[TitleEntitiesKey.self] = newValue }
    }
}

extension RecordBlock {
    public static let entities = RecordBlock(
        field: .entities, position: .end,
        schema: withTitleTwin(
            #"""
            {
              "entities": {
                "description": "Present when the entities stage runs: named entities of text (persons, organisations, locations), in order of start, found by the slovnet news NER model run in Swift. Mentions do not overlap, except that a location completing an organisation's name stays as its own mention inside it (ORG \"Национальной ассамблеи Венесуэлы\", LOC \"Венесуэлы\").",
                "type": "array",
                "items": {
                  "description": "One entity mention.",
                  "type": "object",
                  "properties": {
                    "type": {
                      "description": "PER: person; ORG: organisation; LOC: location.",
                      "enum": ["PER", "ORG", "LOC"]
                    },
                    "text": {
                      "description": "The mention exactly as in text; equals text[start:end].",
                      "type": "string",
                      "minLength": 1
                    },
                    "start": {
                      "$ref": "#/$defs/start"
                    },
                    "end": {
                      "$ref": "#/$defs/end"
                    },
                    "normal": {
                      "description": "The name in the nominative, as a news editor writes it: \"Николаса Мадуро\" → \"Николас Мадуро\", \"Национальной ассамблеи Венесуэлы\" → \"Национальная ассамблея Венесуэлы\", \"в Нижнем Новгороде\" → \"Нижний Новгород\". Abbreviations, foreign and quoted names stay as written; words after an organisation's or place's head noun too. From OpenCorpora's dictionary.",
                      "type": "string",
                      "minLength": 1
                    }
                  },
                  "required": ["type", "text", "start", "end", "normal"],
                  "additionalProperties": false
                }
              }
            }
            """#, key: "entities", stage: "entities")
    ) { document, json in
        guard let entities = document.entities else { return }
        for (key, mentions) in [("entities", entities), ("title_entities", document.titleEntities ?? [])] {
            json.key(key)
            json.beginArray()
            for entity in mentions {
                json.beginObject()
                json.key("type"); json.string(entity.type.rawValue)
                json.key("text"); json.string(entity.text)
                json.key("start"); json.int(entity.start)
                json.key("end"); json.int(entity.end)
                json.key("normal"); json.string(entity.normal ?? entity.text)
                json.endObject()
            }
            json.endArray()
        }
    }
}
