import Foundation
import NewsMill
import Testing

/// The JSON Schemas in schema/ are the reference documentation of the output; these tests keep
/// them honest: the validator is checked on crafted records, the schemas on their own
/// conventions, and the real CLI output on the repo's corpus/ against both schemas.
@Suite struct SchemaTests {
    static let packageRoot = URL(fileURLWithPath: CLIRunner.packageRoot)

    static func schemaURL(_ name: String) -> URL {
        packageRoot.appendingPathComponent("schema").appendingPathComponent(name)
    }

    static func recordValidator() throws -> SchemaValidator {
        try SchemaValidator(contentsOf: schemaURL("record.schema.json"))
    }

    static func rejectValidator() throws -> SchemaValidator {
        try SchemaValidator(contentsOf: schemaURL("reject.schema.json"))
    }

    static func parse(_ json: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    }

    // MARK: - Crafted records

    /// A record with every block, including the planned extract fields.
    static let goodRecord = """
        {"schema":1,"id":"aaa7556d5b5874f92b5c5352",\
        "source":{"archive":"corpus/2024-03-wire.tar.gz","member":"ru/a.txt","row":null,"format":"txt","bytes":3934,"encoding":"utf-8"},\
        "lang":"ru","url":null,"title":"Военные обратились к США","published":"2019-01-23",\
        "text":"Военные обратились к властям США.\\n- Нам нужна поддержка, - заявил военный.",\
        "meta":{"topic":"Мир","tags":"США, Венесуэла"},\
        "stats":{"chars":74,"words":11,"sentences":2,"paragraphs":2},\
        "dedup":{"hash":"f31cc634e258dc9290cda771c6353687","status":"exact","of":"19a8d5bc81e62056ee08af44","similarity":1.0,"cluster":"19a8d5bc81e62056ee08af44","merges":[]},\
        "entities":[{"type":"LOC","text":"США","start":29,"end":32,"normal":"США"}],\
        "dates":[{"text":"23 января","value":"--01-23","start":0,"end":9,"anchor":null}],\
        "quotes":[{"text":"Нам нужна поддержка","start":36,"end":55,"parts":null,"form":"dash","speaker":{"text":"военный","start":66,"end":73,"entity":null,"group":null,"normal":null},"verb":"заявил","source":null}],\
        "numbers":[{"text":"16 человек","start":0,"end":10,"value":16,"kind":"cardinal","unit":"человек","currency":null}]}
        """

    /// A record as the current pipeline writes it: no optional blocks, nulls where allowed.
    static let minimalRecord = """
        {"schema":1,"id":"aaa7556d5b5874f92b5c5352",\
        "source":{"archive":null,"member":"corpus/000_e05233e226880e41.txt","row":null,"format":"txt","bytes":3934,"encoding":"utf-8"},\
        "url":null,"title":null,"published":null,"text":"x"}
        """

    @Test func acceptsGoodRecords() throws {
        let validator = try Self.recordValidator()
        #expect(validator.validate(json: Self.goodRecord) == [])
        #expect(validator.validate(json: Self.minimalRecord) == [])
        let unique = Self.goodRecord.replacingOccurrences(
            of: #""status":"exact","of":"19a8d5bc81e62056ee08af44","similarity":1.0"#,
            with: #""status":"unique","of":null,"similarity":null"#)
        #expect(unique != Self.goodRecord)
        #expect(validator.validate(json: unique) == [])
    }

    /// One defect injected into the good record by a text replacement, and the path the
    /// validator must name.
    struct BadRecord: Sendable, CustomTestStringConvertible {
        var name: String
        var replace: String
        var with: String
        var path: String
        var testDescription: String { name }
    }

    static let badRecords: [BadRecord] = [
        BadRecord(
            name: "missing id", replace: #""id":"aaa7556d5b5874f92b5c5352","#, with: "",
            path: #"$: missing required property "id""#),
        BadRecord(
            name: "missing source.format", replace: #""format":"txt","#, with: "",
            path: #"$.source: missing required property "format""#),
        BadRecord(name: "row is a string", replace: #""row":null"#, with: #""row":"3""#, path: "$.source.row"),
        BadRecord(name: "row is zero", replace: #""row":null"#, with: #""row":0"#, path: "$.source.row"),
        BadRecord(name: "bytes is fractional", replace: #""bytes":3934"#, with: #""bytes":39.5"#, path: "$.source.bytes"),
        BadRecord(
            name: "title is a number", replace: #""title":"Военные обратились к США""#, with: #""title":7"#,
            path: "$.title"),
        BadRecord(
            name: "text is empty", replace: #""text":"Военные обратились к властям США.\n- Нам нужна поддержка, - заявил военный.""#,
            with: #""text":"""#, path: "$.text"),
        BadRecord(name: "schema version", replace: #""schema":1"#, with: #""schema":2"#, path: "$.schema"),
        BadRecord(name: "schema is boolean", replace: #""schema":1"#, with: #""schema":true"#, path: "$.schema"),
        BadRecord(
            name: "unknown top-level key", replace: #""lang":"ru","#, with: #""lang":"ru","language":"ru","#,
            path: "$.language: property not allowed"),
        BadRecord(
            name: "unknown key in source", replace: #""encoding":"utf-8""#, with: #""encoding":"utf-8","path":"x""#,
            path: "$.source.path: property not allowed"),
        BadRecord(
            name: "unknown key in stats", replace: #""paragraphs":2"#, with: #""paragraphs":2,"lines":2"#,
            path: "$.stats.lines: property not allowed"),
        BadRecord(name: "bad format enum", replace: #""format":"txt""#, with: #""format":"pdf""#, path: "$.source.format"),
        BadRecord(
            name: "bad dedup status", replace: #""status":"exact""#, with: #""status":"duplicate""#,
            path: "$.dedup.status"),
        BadRecord(name: "bad entity type", replace: #""type":"LOC""#, with: #""type":"PERSON""#, path: "$.entities[0].type"),
        BadRecord(
            name: "uppercase id", replace: #""id":"aaa7556d5b5874f92b5c5352""#, with: #""id":"AAA7556D5B5874F92B5C5352""#,
            path: "$.id"),
        BadRecord(
            name: "short hash", replace: #""hash":"f31cc634e258dc9290cda771c6353687""#, with: #""hash":"f31cc634""#,
            path: "$.dedup.hash"),
        BadRecord(
            name: "similarity above 1", replace: #""similarity":1.0"#, with: #""similarity":1.5"#,
            path: "$.dedup.similarity"),
        BadRecord(
            name: "published not ISO", replace: #""published":"2019-01-23""#, with: #""published":"23.01.2019""#,
            path: "$.published"),
        BadRecord(
            name: "meta value not a string", replace: #""topic":"Мир""#, with: #""topic":["Мир"]"#,
            path: "$.meta.topic"),
        BadRecord(name: "negative offset", replace: #""start":29"#, with: #""start":-1"#, path: "$.entities[0].start"),
        BadRecord(
            name: "unknown key in quote", replace: #""verb":"заявил""#, with: #""verb":"заявил","who":1"#,
            path: "$.quotes[0].who: property not allowed"),
        BadRecord(name: "bad quote form", replace: #""form":"dash""#, with: #""form":"speech""#, path: "$.quotes[0].form"),
        BadRecord(
            name: "number value is a string", replace: #""value":16"#, with: #""value":"16""#,
            path: "$.numbers[0].value"),
    ]

    @Test(arguments: badRecords)
    func rejectsBadRecord(_ bad: BadRecord) throws {
        let validator = try Self.recordValidator()
        let json = Self.goodRecord.replacingOccurrences(of: bad.replace, with: bad.with)
        try #require(json != Self.goodRecord, "the replacement must change the record")
        let errors = validator.validate(json: json)
        #expect(!errors.isEmpty)
        #expect(errors.contains { $0.hasPrefix(bad.path) }, "expected an error at \(bad.path), got \(errors)")
    }

    @Test func rejectsRecordThatIsNotAnObject() throws {
        let validator = try Self.recordValidator()
        #expect(validator.validate(json: "[1,2]") == ["$: expected object, got array"])
        #expect(validator.validate(json: "{\"schema\":1,").count == 1)
    }

    @Test func rejectSchemaAcceptsAndRejects() throws {
        let validator = try Self.rejectValidator()
        let good = #"{"archive":"corpus/a.zip","member":"dumps/feed.jsonl","row":4,"code":"json_invalid","message":"invalid JSON"}"#
        #expect(validator.validate(json: good) == [])
        #expect(
            validator.validate(json: #"{"archive":null,"member":"corpus/x","row":null,"code":"input_missing","message":"no such file"}"#)
                == [])
        let badCode = validator.validate(json: good.replacingOccurrences(of: "json_invalid", with: "bad_json"))
        #expect(badCode.contains { $0.hasPrefix("$.code:") })
        let extra = validator.validate(json: good.replacingOccurrences(of: #""row":4"#, with: #""row":4,"line":4"#))
        #expect(extra.contains { $0.hasPrefix("$.line: property not allowed") })
        let missing = validator.validate(json: good.replacingOccurrences(of: #""message":"invalid JSON""#, with: #""msg":"x""#))
        #expect(missing.contains { $0 == #"$: missing required property "message""# })
    }

    // MARK: - The validator itself, on a tiny schema

    @Test func validatorKeywords() throws {
        let schema = try #require(
            try Self.parse(
                """
                {"type":"object","properties":{
                   "n":{"type":["integer","null"],"minimum":1,"maximum":3},
                   "c":{"const":"x"},
                   "list":{"type":"array","items":{"$ref":"#/$defs/word"}},
                   "open":{"type":"object","additionalProperties":{"type":"boolean"}},
                   "flag":{"type":"boolean"}},
                 "required":["n"],"additionalProperties":false,
                 "$defs":{"word":{"type":"string","minLength":2,"pattern":"^[a-zа-я]+$"}}}
                """) as? [String: Any])
        let validator = try SchemaValidator(schema: schema)
        #expect(validator.validate(try Self.parse(#"{"n":null}"#)) == [])
        #expect(validator.validate(try Self.parse(#"{"n":2.0,"c":"x","list":["ab","юг"],"open":{"a b":true},"flag":false}"#)) == [])
        #expect(validator.validate(try Self.parse(#"{"n":true}"#)) == ["$.n: expected integer or null, got boolean"])
        #expect(validator.validate(try Self.parse(#"{"n":1.5}"#)) == ["$.n: expected integer or null, got number"])
        #expect(validator.validate(try Self.parse(#"{"n":0}"#)) == ["$.n: 0 is less than the minimum 1"])
        #expect(validator.validate(try Self.parse(#"{"n":4}"#)) == ["$.n: 4 is greater than the maximum 3"])
        #expect(validator.validate(try Self.parse(#"{"n":1,"c":"y"}"#)) == [#"$.c: expected "x", got "y""#])
        #expect(
            validator.validate(try Self.parse(#"{"n":1,"list":["a","AB",3]}"#)) == [
                "$.list[0]: string shorter than minLength 2",
                #"$.list[1]: "AB" does not match pattern ^[a-zа-я]+$"#,
                "$.list[2]: expected string, got integer",
            ])
        #expect(validator.validate(try Self.parse(#"{"n":1,"open":{"a b":1}}"#)) == [#"$.open["a b"]: expected boolean, got integer"#])
        #expect(validator.validate(try Self.parse(#"{"n":1,"flag":1}"#)) == ["$.flag: expected boolean, got integer"])
        #expect(validator.validate(try Self.parse(#"{}"#)) == [#"$: missing required property "n""#])
        // Swift values work as well as JSONSerialization's.
        #expect(validator.validate(["n": 2, "flag": true, "list": ["ab"]] as [String: Any]) == [])
        #expect(validator.validate(["n": true] as [String: Any]) == ["$.n: expected integer or null, got boolean"])
    }

    @Test func validatorRefusesUnsupportedKeywordsAndBadRefs() throws {
        let unsupported = try #require(try Self.parse(#"{"type":"string","format":"date"}"#) as? [String: Any])
        #expect(throws: SchemaValidator.SchemaError.self) { try SchemaValidator(schema: unsupported) }
        let badRef = try #require(try Self.parse(##"{"$ref":"#/$defs/missing"}"##) as? [String: Any])
        #expect(throws: SchemaValidator.SchemaError.self) { try SchemaValidator(schema: badRef) }
        let badPattern = try #require(try Self.parse(#"{"pattern":"(["}"#) as? [String: Any])
        #expect(throws: SchemaValidator.SchemaError.self) { try SchemaValidator(schema: badPattern) }
    }

    // MARK: - Conventions of the schema files

    /// Every property has a description (the schema is the record's documentation), and every
    /// object level closes with `additionalProperties: false`, except `meta`, which is open.
    @Test(arguments: ["record.schema.json", "reject.schema.json"])
    func schemaDocumentsEveryField(_ file: String) throws {
        let data = try Data(contentsOf: Self.schemaURL(file))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var problems: [String] = []
        func walk(_ schema: [String: Any], _ location: String) {
            if schema["description"] == nil && schema["$ref"] == nil {
                problems.append("\(location): no description")
            }
            if let properties = schema["properties"] as? [String: Any] {
                let isMeta = location.hasSuffix("/properties/meta")
                let additional = schema["additionalProperties"]
                if !isMeta, !(additional.map { (($0 as? NSNumber)?.boolValue == false) } ?? false) {
                    problems.append("\(location): object without additionalProperties: false")
                }
                for (name, sub) in properties.sorted(by: { $0.key < $1.key }) {
                    guard let sub = sub as? [String: Any] else { continue }
                    if sub["description"] == nil {
                        // A bare $ref inherits the description of its definition.
                        let ref = sub["$ref"] as? String
                        let target = ref.flatMap { $0.hasPrefix("#/$defs/") ? String($0.dropFirst(8)) : nil }
                            .flatMap { (root["$defs"] as? [String: Any])?[$0] as? [String: Any] }
                        if target?["description"] == nil { problems.append("\(location)/properties/\(name): no description") }
                    }
                    walk(sub, "\(location)/properties/\(name)")
                }
            }
            for key in ["items", "additionalProperties"] {
                if let sub = schema[key] as? [String: Any] { walk(sub, "\(location)/\(key)") }
            }
            for (name, sub) in (schema["$defs"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let sub = sub as? [String: Any] { walk(sub, "\(location)/$defs/\(name)") }
            }
        }
        walk(root, "#")
        #expect(problems == [])
        _ = try SchemaValidator(schema: root)
    }

    /// The enums in the schemas follow the code.
    @Test func schemaEnumsMatchTheCode() throws {
        let reject = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL("reject.schema.json"))) as? [String: Any])
        let codes = ((reject["properties"] as? [String: Any])?["code"] as? [String: Any])?["enum"] as? [String]
        #expect(codes == RejectCode.allCases.map(\.rawValue))

        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL("record.schema.json"))) as? [String: Any])
        let source = (record["properties"] as? [String: Any])?["source"] as? [String: Any]
        let formats = ((source?["properties"] as? [String: Any])?["format"] as? [String: Any])?["enum"] as? [String]
        #expect(formats == MemberFormat.allCases.map(\.rawValue))
        #expect(
            (record["properties"] as? [String: Any])?["schema"].flatMap { ($0 as? [String: Any])?["const"] as? Int }
                == RecordSerializer.schemaVersion)
    }

    // MARK: - Real output

    @Test func realOutputMatchesTheSchemas() throws {
        let recordValidator = try Self.recordValidator()
        let rejectValidator = try Self.rejectValidator()
        let fm = FileManager.default

        let scratch = TempDir()
        let out = URL(fileURLWithPath: scratch.file("out"))
        let result = try CLIRunner.run(["run", "corpus", "-o", out.path, "-q"])
        // 3: finished with rejects (the corpus holds deliberately broken members).
        try #require(result.status == 3, "newsmill exited with \(result.status), expected 3; stderr:\n\(result.stderr)")

        let parts = try fm.contentsOfDirectory(atPath: out.path)
            .filter { $0.hasPrefix("part-") && $0.hasSuffix(".jsonl") }.sorted()
        try #require(!parts.isEmpty, "no part-*.jsonl in \(out.path)")

        var errors: [String] = []
        var records = 0
        var ids = Set<String>()
        for part in parts {
            let text = try String(contentsOf: out.appendingPathComponent(part), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
                records += 1
                errors += recordValidator.validate(json: String(line)).map { "\(part):\(index + 1): \($0)" }
                if let id = (try? Self.parse(String(line)) as? [String: Any])?["id"] as? String, !ids.insert(id).inserted {
                    errors.append("\(part):\(index + 1): duplicate id \(id)")
                }
            }
        }
        var rejects = 0
        let rejectText = try String(contentsOf: out.appendingPathComponent("rejects.jsonl"), encoding: .utf8)
        for (index, line) in rejectText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            rejects += 1
            errors += rejectValidator.validate(json: String(line)).map { "rejects.jsonl:\(index + 1): \($0)" }
        }
        #expect(errors.isEmpty, "\(errors.count) schema violations:\n\(errors.prefix(30).joined(separator: "\n"))")

        // The line counts agree with report.json.
        let report = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any])
        let documents = try #require(report["documents"] as? [String: Any])
        #expect(records > 0)
        #expect(rejects > 0)
        #expect(documents["written"] as? Int == records)
        #expect(documents["rejected"] as? Int == rejects)
    }
}
