extension Field {
    public static let stats: Field = "stats"
}

public struct TextStats: Sendable, Equatable {
    public var chars: Int
    public var words: Int
    public var sentences: Int
    public var paragraphs: Int
}

enum StatsKey: DocumentKey {
    typealias Value = TextStats
}

extension Document {
    /// Counts over `text` (stats stage).
    public var stats: TextStats? {
        get { self[StatsKey.self] }
        set { self[StatsKey.self] = newValue }
    }
}

extension RecordBlock {
    public static let stats = RecordBlock(
        field: .stats, position: .end,
        schema: #"""
            {
              "stats": {
                "description": "Optional (written by the stats stage). Counts over `text`.",
                "type": "object",
                "properties": {
                  "chars": {
                    "description": "Number of Unicode scalars in text (the unit of every offset).",
                    "type": "integer",
                    "minimum": 0
                  },
                  "words": {
                    "description": "Number of words: maximal runs of letters and digits; a hyphen or apostrophe inside a word keeps it one word.",
                    "type": "integer",
                    "minimum": 0
                  },
                  "sentences": {
                    "description": "Number of sentences (a terminator followed by a blank or a paragraph end closes one; a paragraph end closes an open one).",
                    "type": "integer",
                    "minimum": 0
                  },
                  "paragraphs": {
                    "description": "Number of paragraphs: lines of text with at least one non-blank character.",
                    "type": "integer",
                    "minimum": 0
                  }
                },
                "required": ["chars", "words", "sentences", "paragraphs"],
                "additionalProperties": false
              }
            }
            """#
    ) { document, json in
        guard let stats = document.stats else { return }
        json.key("stats")
        json.beginObject()
        json.key("chars"); json.int(stats.chars)
        json.key("words"); json.int(stats.words)
        json.key("sentences"); json.int(stats.sentences)
        json.key("paragraphs"); json.int(stats.paragraphs)
        json.endObject()
    }
}
