import NewsMillNER

/// One document as one JSON object, keys in the order of the schema (schema/record.schema.json).
/// Optional blocks (meta, stats, dedup) appear when the data or the stage that makes them exists.
public enum RecordSerializer {
    public static let schemaVersion = 1

    public static func write(_ document: Document, into json: inout JSONWriter) {
        json.beginObject()
        json.key("schema"); json.int(schemaVersion)
        json.key("id"); json.string(document.id)
        json.key("source")
        json.beginObject()
        json.key("archive"); json.string(document.origin.archive)
        json.key("member"); json.string(document.origin.member)
        json.key("row"); json.int(document.origin.row)
        json.key("format"); json.string(document.format.rawValue)
        json.key("bytes"); json.int(document.sourceBytes)
        json.key("encoding"); json.string(document.encoding)
        if let misread = document.mojibakeRepairedFrom {
            json.key("mojibake"); json.string(misread.rawValue)
        }
        if document.textFromMarkup {
            json.key("html"); json.bool(true)
        }
        if let from = document.publishedFrom, document.published != nil {
            json.key("published_from"); json.string(from.rawValue)
        }
        if document.invalidBytes > 0 {
            json.key("invalid_bytes"); json.int(document.invalidBytes)
        }
        if let mixed = document.mixedCharset {
            json.key("mixed_charset"); json.string(mixed.rawValue)
        }
        json.endObject()
        if let language = document.language {
            json.key("lang"); json.string(language.language)
            json.key("lang_confidence"); json.double((language.confidence * 1000).rounded() / 1000)
        }
        json.key("url"); json.string(document.url)
        json.key("title"); json.string(document.title)
        if let lead = document.lead {
            json.key("lead"); json.string(lead)
        }
        json.key("published"); json.string(document.published)
        json.key("text"); json.string(document.text)
        if !document.meta.isEmpty {
            json.key("meta")
            json.beginObject()
            for (key, value) in document.meta {
                json.key(key); json.string(value)
            }
            json.endObject()
        }
        if let stats = document.stats {
            json.key("stats")
            json.beginObject()
            json.key("chars"); json.int(stats.chars)
            json.key("words"); json.int(stats.words)
            json.key("sentences"); json.int(stats.sentences)
            json.key("paragraphs"); json.int(stats.paragraphs)
            json.endObject()
        }
        if let entities = document.entities {
            json.key("entities")
            json.beginArray()
            for entity in entities {
                json.beginObject()
                json.key("type"); json.string(entity.type.rawValue)
                json.key("text"); json.string(entity.text)
                json.key("start"); json.int(entity.start)
                json.key("end"); json.int(entity.end)
                json.endObject()
            }
            json.endArray()
        }
        if let dates = document.dates {
            json.key("dates")
            json.beginArray()
            for date in dates {
                json.beginObject()
                json.key("text"); json.string(date.text)
                json.key("value"); json.string(date.value)
                json.key("start"); json.int(date.start)
                json.key("end"); json.int(date.end)
                json.endObject()
            }
            json.endArray()
        }
        if let quotes = document.quotes {
            json.key("quotes")
            json.beginArray()
            for quote in quotes {
                json.beginObject()
                json.key("text"); json.string(quote.text)
                json.key("start"); json.int(quote.start)
                json.key("end"); json.int(quote.end)
                json.key("form"); json.string(quote.form.rawValue)
                for (key, speaker) in [("speaker", quote.speaker), ("source", quote.source)] {
                    json.key(key)
                    if let speaker {
                        json.beginObject()
                        json.key("text"); json.string(speaker.text)
                        json.key("start"); json.int(speaker.start)
                        json.key("end"); json.int(speaker.end)
                        json.key("entity"); json.string(speaker.entity?.rawValue)
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
        if let numbers = document.numbers {
            json.key("numbers")
            json.beginArray()
            for number in numbers {
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
        if let dedup = document.dedup {
            json.key("dedup")
            json.beginObject()
            json.key("hash"); json.string(dedup.hash.hex)
            json.key("status"); json.string(dedup.status.rawValue)
            json.key("of"); json.string(dedup.of)
            json.key("similarity")
            if let similarity = dedup.similarity { json.double(similarity) } else { json.null() }
            json.key("cluster"); json.string(dedup.cluster)
            // Always present, so that tools inferring a schema from the data see the same columns.
            json.key("merges")
            json.beginArray()
            for merged in dedup.merges { json.string(merged) }
            json.endArray()
            json.endObject()
        }
        json.endObject()
        json.newline()
    }

    public static func write(_ reject: Reject, into json: inout JSONWriter) {
        json.beginObject()
        json.key("archive"); json.string(reject.origin.archive)
        json.key("member"); json.string(reject.origin.member)
        json.key("row"); json.int(reject.origin.row)
        json.key("code"); json.string(reject.code.rawValue)
        json.key("message"); json.string(reject.message)
        json.endObject()
        json.newline()
    }
}
