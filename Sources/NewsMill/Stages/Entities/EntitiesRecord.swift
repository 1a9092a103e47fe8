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
                      "description": "The name in the nominative, as a news editor writes it: \"Николаса Мадуро\" → \"Николас Мадуро\", \"Национальной ассамблеи Венесуэлы\" → \"Национальная ассамблея Венесуэлы\", \"в Нижнем Новгороде\" → \"Нижний Новгород\". Abbreviations, foreign and quoted names stay as written; so do the words after an organisation's or place's head noun. From OpenCorpora's dictionary. Absent with the stage's normal: false.",
                      "type": "string",
                      "minLength": 1
                    },
                    "group": {
                      "description": "The mentions of one entity in the document share it: the index in entities of the entity's first mention (\"Мадуро\" and \"Николас Мадуро\", \"РФ\" and \"Россия\"). In title_entities, the index in entities of the same entity, null when the text does not name it. Absent with normal: false.",
                      "type": ["integer", "null"],
                      "minimum": 0
                    },
                    "canonical": {
                      "description": "The entity's fullest name among the document's mentions of it, in the nominative (\"Николас Мадуро\" for \"Мадуро\"): what to count entities by. Absent with normal: false.",
                      "type": "string",
                      "minLength": 1
                    }
                  },
                  "required": ["type", "text", "start", "end"],
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
                if let normal = entity.normal {
                    json.key("normal"); json.string(normal)
                    json.key("group"); if let group = entity.group { json.int(group) } else { json.null() }
                    json.key("canonical"); json.string(entity.canonical ?? normal)
                }
                json.endObject()
            }
            json.endArray()
        }
    }
}
