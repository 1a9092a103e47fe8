extension Field {
    public static let dates: Field = "dates"
}

enum DatesKey: DocumentKey {
    typealias Value = [DateMention]
}

enum TitleDatesKey: DocumentKey {
    typealias Value = [DateMention]
}

extension Document {
    /// Date expressions with offsets into `text` (dates stage).
    public var dates: [DateMention]? {
        get { self[DatesKey.self] }
        set { self[DatesKey.self] = newValue }
    }

    /// Date expressions of `title`, with offsets into it (dates stage).
    public var titleDates: [DateMention]? {
        get { self[TitleDatesKey.self] }
        set { self[TitleDatesKey.self] = newValue }
    }
}

extension RecordBlock {
    public static let dates = RecordBlock(
        field: .dates, position: .end,
        schema: withTitleTwin(
            #"""
            {
              "dates": {
                "description": "Present when the dates stage runs: the date expressions of text, in order of start: absolute ones, and (with `relative`) those named from the day of writing (\"вчера\", \"в пятницу\", \"на прошлой неделе\", \"три года назад\"). The span takes in the preposition and framing words (\"в начале 2017 года\", \"В четверг, 11 июля 2019 года\"); the full stop of an abbreviation (\"г.\") stays outside.",
                "type": "array",
                "items": {
                  "description": "One date expression.",
                  "type": "object",
                  "properties": {
                    "text": {
                      "description": "The expression exactly as in text, e.g. \"23 января\"; equals text[start:end].",
                      "type": "string",
                      "minLength": 1
                    },
                    "value": {
                      "description": "ISO 8601 value at the precision the expression gives: \"2019-01-23\", \"2019-01\", \"2019\". A missing year is taken from the publication date (the year that puts the month nearest it) when the config allows, else left out: \"--01-23\", \"--01\". Ranges, decades, centuries and weeks are intervals: \"2019-03-01/2019-03-03\", \"1990/1999\", \"1901/2000\". A relative date takes its value from the publication day: \"вчера\" is the day before it, \"в пятницу\" the last Friday up to it, \"на прошлой неделе\" the Monday-to-Sunday week before its week; null when the document has no publication day.",
                      "type": ["string", "null"],
                      "pattern": "^([0-9]{4}|-)(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?(/([0-9]{4}|-)(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)?$"
                    },
                    "start": {
                      "$ref": "#/$defs/start"
                    },
                    "end": {
                      "$ref": "#/$defs/end"
                    },
                    "anchor": {
                      "description": "\"published\" when the publication date gave the value or part of it (a relative date, a date without a year); null when the text alone gives it.",
                      "enum": ["published", null]
                    }
                  },
                  "required": ["text", "value", "start", "end", "anchor"],
                  "additionalProperties": false
                }
              }
            }
            """#, key: "dates", stage: "dates")
    ) { document, json in
        guard let dates = document.dates else { return }
        for (key, mentions) in [("dates", dates), ("title_dates", document.titleDates ?? [])] {
            json.key(key)
            json.beginArray()
            for date in mentions {
                json.beginObject()
                json.key("text"); json.string(date.text)
                json.key("value"); json.string(date.value)
                json.key("start"); json.int(date.start)
                json.key("end"); json.int(date.end)
                json.key("anchor"); json.string(date.anchor)
                json.endObject()
            }
            json.endArray()
        }
    }
}
