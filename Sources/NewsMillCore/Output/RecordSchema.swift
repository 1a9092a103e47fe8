/// The JSON Schema of a record (schema/record.schema.json): the record's own keys here, the
/// stages' blocks from their `RecordBlock.schema`, put where the serializer writes them.
public enum RecordSchema {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The whole schema, formatted as schema/record.schema.json is (two-space indent, arrays of
    /// plain values on one line).
    public static func text(blocks: [RecordBlock]) throws(Failure) -> String {
        guard case .object(var top) = try parse(core, what: "the record's own schema"),
            let index = top.firstIndex(where: { $0.key == "properties" }),
            case .object(let own) = top[index].value
        else { throw Failure(description: "the record's own schema has no properties") }
        var seen = Set<Field>()
        var slots: [RecordBlock.Position: [(key: String, value: JSONValue)]] = [:]
        var definitions: [(key: String, value: JSONValue)] = []
        for block in blocks where seen.insert(block.field).inserted {
            guard case .object(let properties) = try parse(block.schema, what: "the schema of block \(block.field)") else {
                throw Failure(description: "the schema of block \(block.field) is not an object of properties")
            }
            slots[block.position, default: []] += properties
            guard case .object(let named) = try parse(block.definitions, what: "the definitions of block \(block.field)") else {
                throw Failure(description: "the definitions of block \(block.field) are not an object of schemas")
            }
            definitions += named
        }
        if !definitions.isEmpty, let defs = top.firstIndex(where: { $0.key == "$defs" }), case .object(let own) = top[defs].value {
            top[defs].value = .object(own + definitions)
        }
        var properties: [(key: String, value: JSONValue)] = []
        for property in own {
            properties.append(property)
            if property.key == "source" { properties += slots[.afterSource] ?? [] }
            if property.key == "title" { properties += slots[.afterTitle] ?? [] }
        }
        properties += slots[.end] ?? []
        top[index].value = .object(properties)
        return JSONValue.object(top).pretty(inlineScalarArrays: true) + "\n"
    }

    private static func parse(_ text: String, what: String) throws(Failure) -> JSONValue {
        do {
            return try JSONParser.parse(Array(text.utf8))
        } catch {
            throw Failure(description: "\(what) is not valid JSON: \(error.message) at byte \(error.offset)")
        }
    }

    private static let core = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://newsmill.example/schema/record.schema.json",
          "title": "NewsMill record",
          "description": "One document in the part files (part-NNNNN.jsonl): one JSON object per line, UTF-8, keys in the order listed here. This file is the reference documentation of the record. Blocks marked optional appear only when the data or the stage that produces them exists (meta: dump rows with extra fields; stats: the stats stage; dedup: the dedup stage; lang, entities, dates, quotes, numbers: their extract stages). Every offset (start, end) counts Unicode scalars (Python str indices) into `text`; end is exclusive.",
          "type": "object",
          "properties": {
            "schema": {
              "description": "Version of this record layout. Incremented on any incompatible change; readers should check it.",
              "const": 1
            },
            "id": {
              "$ref": "#/$defs/docId",
              "description": "Stable document id: the first 96 bits (24 lowercase hex digits) of MurmurHash3-x64-128 over archive path, member path and row. The same origin always gives the same id, across runs and machines."
            },
            "source": {
              "description": "Where the document came from.",
              "type": "object",
              "properties": {
                "archive": {
                  "description": "Path of the archive holding the member, as given on the command line (relative to the working directory). Nested archives are joined by \"!/\" (e.g. \"corpus/a.tar!/bundle/b.zip\"). null for a plain file read outside any archive.",
                  "type": ["string", "null"],
                  "minLength": 1
                },
                "member": {
                  "description": "Path of the member inside the innermost archive, or of the plain file when archive is null. Names stored in legacy code pages (e.g. cp866 in Windows zips) are converted to UTF-8.",
                  "type": "string",
                  "minLength": 1
                },
                "row": {
                  "description": "1-based record number inside a dump member (jsonl line, json array element, csv data row); null for members that hold one document (txt, html).",
                  "type": ["integer", "null"],
                  "minimum": 1
                },
                "format": {
                  "description": "Member format the document was decoded from.",
                  "enum": ["txt", "html", "jsonl", "json", "csv"]
                },
                "bytes": {
                  "description": "Size in bytes of the raw member (txt, html) or of the row (dumps) the document was decoded from.",
                  "type": "integer",
                  "minimum": 0
                },
                "encoding": {
                  "description": "Character encoding the source bytes were decoded from, lowercase IANA-style name: one of \"utf-8\", \"utf-16le\", \"utf-16be\", \"windows-1251\", \"koi8-r\", \"cp866\", \"iso-8859-5\", \"x-mac-cyrillic\", \"windows-1252\", \"iso-8859-1\".",
                  "type": "string",
                  "minLength": 1
                },
                "mojibake": {
                  "description": "Present only when the text was repaired: the charset its UTF-8 bytes had once been misread as before NewsMill restored them.",
                  "enum": ["windows-1251", "windows-1252", "cp866"]
                },
                "html": {
                  "description": "Present only when the dump's text field held HTML (input.fields.html: auto found tags, or true): the text was extracted from it as from an .html member's body (paragraphs, scripts and styles dropped, tags stripped, entities decoded).",
                  "const": true
                },
                "published_from": {
                  "description": "Present only when published is not null: where it came from. \"field\": the dump's date field; \"html\": the page's metadata (article:published_time, <time datetime>) of an .html member or of markup in a dump's text field; \"url\": the date in the URL path (/2018/12/14/, /20190810/, /2019-08-10/), used when there is no readable date field.",
                  "enum": ["field", "html", "url"]
                },
                "invalid_bytes": {
                  "description": "Present only when the source was UTF-8 apart from some bytes (encoding \"utf-8\"): how many bytes were not valid UTF-8. A lone cp1251/cp1252 punctuation byte became the character it was, a long run that reads as text in a legacy charset was decoded in it (mixed_charset), anything else became U+FFFD. For a .json array member the member's count is on its first record.",
                  "type": "integer",
                  "minimum": 1
                },
                "mixed_charset": {
                  "description": "Present only when a run of invalid bytes inside UTF-8 text (a pasted legacy paragraph) was decoded in a legacy charset: that charset.",
                  "enum": ["windows-1251", "koi8-r", "cp866", "iso-8859-5", "x-mac-cyrillic", "windows-1252", "iso-8859-1"]
                }
              },
              "required": ["archive", "member", "row", "format", "bytes", "encoding"],
              "additionalProperties": false
            },
            "url": {
              "description": "Canonical URL of the article when the source gives one (dump field or page metadata), else null.",
              "type": ["string", "null"]
            },
            "title": {
              "description": "Headline: from a dump field, the HTML page, or the first line of a txt member when it looks like one (short, not ending like a sentence, body follows); null when there is none. A headline taken from the text is removed from `text`.",
              "type": ["string", "null"]
            },
            "published": {
              "description": "Publication date, ISO 8601, from a dump field, page metadata or the URL path (source.published_from says which): a date (YYYY-MM-DD) when the source gives a date only; a date-time (YYYY-MM-DDThh:mm:ss) when it gives a time, with its offset (Z or +hh:mm) when the source gives one (unix timestamps are UTC: Z). Fractions of a second are dropped. null when absent or not recognisably a date.",
              "type": ["string", "null"],
              "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?$"
            },
            "text": {
              "description": "Article text after the normalize stage: Unicode NFC, one line ending, no blanks at the start or end of a line, no empty lines, so paragraphs are separated by exactly one \"\\n\". Never empty (empty texts are rejected with code empty_text). All offsets in this record index into this string by Unicode scalars.",
              "type": "string",
              "minLength": 1
            },
            "meta": {
              "description": "Optional. Further fields of a dump row (e.g. topic, tags) that have no place of their own, in the order the dump gives them; every value is a string. Absent when there are none. Open-ended: any key is allowed.",
              "type": "object",
              "additionalProperties": {
                "description": "Raw value of the dump field, as a string.",
                "type": "string"
              }
            }
          },
          "required": ["schema", "id", "source", "url", "title", "published", "text"],
          "additionalProperties": false,
          "$defs": {
            "docId": {
              "description": "A document id: 24 lowercase hex digits.",
              "type": "string",
              "pattern": "^[0-9a-f]{24}$"
            },
            "start": {
              "description": "Offset of the first character of the span in text, counted in Unicode scalars from 0.",
              "type": "integer",
              "minimum": 0
            },
            "end": {
              "description": "Offset just past the last character of the span in text (exclusive), counted in Unicode scalars; end > start and end <= stats.chars.",
              "type": "integer",
              "minimum": 1
            }
          }
        }
        """#
}
