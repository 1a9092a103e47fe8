extension Field {
    public static let numbers: Field = "numbers"
}

enum NumbersKey: DocumentKey {
    typealias Value = [NumberMention]
}

enum TitleNumbersKey: DocumentKey {
    typealias Value = [NumberMention]
}

extension Document {
    /// Figures: numbers with unit, currency and normalized value (numbers stage).
    public var numbers: [NumberMention]? {
        get { self[NumbersKey.self] }
        set { self[NumbersKey.self] = newValue }
    }

    /// Figures of `title`, with offsets into it (numbers stage).
    public var titleNumbers: [NumberMention]? {
        get { self[TitleNumbersKey.self] }
        set { self[TitleNumbersKey.self] = newValue }
    }
}

extension RecordBlock {
    public static let numbers = RecordBlock(
        field: .numbers, position: .end,
        schema: withTitleTwin(
            #"""
            {
              "numbers": {
                "description": "Present when the numbers stage runs: figures in text (counts, amounts, percentages, money, ordinals), in order of start. Dates are left to the dates stage.",
                "type": "array",
                "items": {
                  "description": "One figure.",
                  "type": "object",
                  "properties": {
                    "text": {
                      "description": "The expression exactly as in text, e.g. \"16 человек\", \"5,3 млрд рублей\", \"$5 млн\", \"третий\"; equals text[start:end].",
                      "type": "string",
                      "minLength": 1
                    },
                    "start": {
                      "$ref": "#/$defs/start"
                    },
                    "end": {
                      "$ref": "#/$defs/end"
                    },
                    "value": {
                      "description": "Numeric value with multipliers applied (\"5,3 млрд\" gives 5300000000, \"третий\" 3, \"20%\" 20).",
                      "type": "number"
                    },
                    "kind": {
                      "description": "cardinal: a count or amount; ordinal: \"третий\", \"5-й\"; percent: \"20%\", \"20 процентов\"; money: an amount with a currency.",
                      "enum": ["cardinal", "ordinal", "percent", "money"]
                    },
                    "unit": {
                      "description": "Unit or counted noun as in text (\"человек\", \"%\", \"рублей\", \"км\"); null when there is none.",
                      "type": ["string", "null"]
                    },
                    "currency": {
                      "description": "ISO 4217 code for money (\"RUB\", \"USD\", \"EUR\"); null otherwise.",
                      "type": ["string", "null"]
                    }
                  },
                  "required": ["text", "start", "end", "value", "kind", "unit", "currency"],
                  "additionalProperties": false
                }
              }
            }
            """#, key: "numbers", stage: "numbers")
    ) { document, json in
        guard let numbers = document.numbers else { return }
        for (key, mentions) in [("numbers", numbers), ("title_numbers", document.titleNumbers ?? [])] {
            json.key(key)
            json.beginArray()
            for number in mentions {
                json.beginObject()
                json.key("text"); json.string(number.text)
                json.key("start"); json.int(number.start)
                json.key("end"); json.int(number.end)
                json.key("value"); json.double(number.value)
                json.key("kind"); json.string(number.kind.rawValue)
                json.key("unit"); json.string(number.unit)
                json.key("currency"); json.string(number.currency)
                json.endObject()
            }
            json.endArray()
        }
    }
}
