import Foundation

/// A small JSON Schema (draft 2020-12) validator for the subset NewsMill's schemas use:
/// `type` (a name or an array of names), `properties`, `required`, `additionalProperties`
/// (bool or schema), `items`, `enum`, `const`, `minimum`, `maximum`, `pattern`, `minLength`
/// and `$ref` to JSON pointers inside the same document ("#/$defs/name").
/// Annotations (`$schema`, `$id`, `title`, `description`, `$comment`, `examples`, `default`)
/// are ignored; any other keyword makes `init` throw, so a schema can never rely on a keyword
/// this validator would silently skip.
///
/// Instances are values as Foundation's `JSONSerialization` returns them (NSNull, NSNumber,
/// String, [Any], [String: Any]); Swift Bool, integer and floating-point values work too.
struct SchemaValidator {
    struct SchemaError: Error, CustomStringConvertible {
        var description: String
    }

    static let supportedKeywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "minimum", "maximum", "pattern", "minLength", "$ref", "$defs",
    ]
    static let annotationKeywords: Set<String> = [
        "$schema", "$id", "title", "description", "$comment", "examples", "default",
    ]
    static let typeNames: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]

    let root: [String: Any]
    /// Compiled `pattern` values, keyed by their source text.
    private let regexes: [String: NSRegularExpression]

    init(schema: [String: Any]) throws {
        root = schema
        var patterns: [String: NSRegularExpression] = [:]
        var problems: [String] = []
        Self.check(schema, at: "#", root: schema, patterns: &patterns, problems: &problems)
        if !problems.isEmpty {
            throw SchemaError(description: "unusable schema:\n" + problems.joined(separator: "\n"))
        }
        regexes = patterns
    }

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SchemaError(description: "\(url.path): the schema is not a JSON object")
        }
        do {
            try self.init(schema: object)
        } catch let error as SchemaError {
            throw SchemaError(description: "\(url.path): \(error.description)")
        }
    }

    /// Validates a parsed JSON value; returns one message per violation, each starting with
    /// the JSON path of the offending value ("$.source.row: ..."). Empty means valid.
    func validate(_ instance: Any) -> [String] {
        var errors: [String] = []
        validate(instance, against: root, path: "$", errors: &errors)
        return errors
    }

    /// Parses one JSON text (e.g. a JSON Lines line) and validates it.
    func validate(json text: String) -> [String] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            return ["$: not valid JSON (\(error.localizedDescription))"]
        }
        return validate(value)
    }

    // MARK: - Schema check

    private static func check(
        _ schema: Any, at location: String, root: [String: Any],
        patterns: inout [String: NSRegularExpression], problems: inout [String]
    ) {
        if case .boolean = classify(schema) { return }
        guard let schema = schema as? [String: Any] else {
            problems.append("\(location): a schema must be an object or a boolean")
            return
        }
        for (keyword, value) in schema.sorted(by: { $0.key < $1.key }) {
            let here = "\(location)/\(keyword)"
            if annotationKeywords.contains(keyword) { continue }
            guard supportedKeywords.contains(keyword) else {
                problems.append("\(here): keyword not supported by SchemaValidator")
                continue
            }
            switch keyword {
            case "type":
                let names = (value as? [String]) ?? (value as? String).map { [$0] } ?? []
                if names.isEmpty || !names.allSatisfy(typeNames.contains) {
                    problems.append("\(here): expected a type name or an array of type names")
                }
            case "properties", "$defs":
                guard let members = value as? [String: Any] else {
                    problems.append("\(here): expected an object of schemas")
                    continue
                }
                for (name, sub) in members.sorted(by: { $0.key < $1.key }) {
                    check(sub, at: "\(here)/\(name)", root: root, patterns: &patterns, problems: &problems)
                }
            case "additionalProperties", "items":
                check(value, at: here, root: root, patterns: &patterns, problems: &problems)
            case "required":
                if !(value is [String]) { problems.append("\(here): expected an array of strings") }
            case "enum":
                if !(value is [Any]) { problems.append("\(here): expected an array") }
            case "minimum", "maximum":
                if number(value) == nil { problems.append("\(here): expected a number") }
            case "minLength":
                if integerValue(value) == nil { problems.append("\(here): expected an integer") }
            case "pattern":
                guard let source = value as? String else {
                    problems.append("\(here): expected a string")
                    continue
                }
                do {
                    patterns[source] = try NSRegularExpression(pattern: source)
                } catch {
                    problems.append("\(here): invalid regular expression \(source)")
                }
            case "$ref":
                guard let ref = value as? String else {
                    problems.append("\(here): expected a string")
                    continue
                }
                if resolve(ref, in: root) == nil {
                    problems.append("\(here): cannot resolve \(ref) (only local refs like #/$defs/name)")
                }
            default:
                break  // "const": any value
            }
        }
    }

    /// Resolves a local JSON pointer reference ("#/$defs/name") against the root schema.
    private static func resolve(_ ref: String, in root: [String: Any]) -> Any? {
        guard ref.hasPrefix("#") else { return nil }
        let pointer = ref.dropFirst()
        if pointer.isEmpty { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var current: Any = root
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = String(rawToken).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = current as? [String: Any], let next = object[token] {
                current = next
            } else if let array = current as? [Any], let index = Int(token), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    // MARK: - Validation

    private func validate(_ instance: Any, against schema: Any, path: String, errors: inout [String]) {
        // Boolean schemas: from JSONSerialization they are NSNumber, so go through classify.
        if case .boolean(let flag) = Self.classify(schema) {
            if !flag { errors.append("\(path): no value is allowed here") }
            return
        }
        guard let schema = schema as? [String: Any] else { return }
        let value = Self.classify(instance)

        if let ref = schema["$ref"] as? String, let target = Self.resolve(ref, in: root) {
            validate(instance, against: target, path: path, errors: &errors)
        }

        if let typeSpec = schema["type"] {
            let names = (typeSpec as? [String]) ?? (typeSpec as? String).map { [$0] } ?? []
            if !names.contains(where: { Self.matches(value, typeName: $0) }) {
                errors.append("\(path): expected \(names.joined(separator: " or ")), got \(value.typeName)")
            }
        }

        if let options = schema["enum"] as? [Any] {
            if !options.contains(where: { Self.equal(value, Self.classify($0)) }) {
                let list = options.map { Self.render(Self.classify($0)) }.joined(separator: ", ")
                errors.append("\(path): \(Self.render(value)) is not one of [\(list)]")
            }
        }

        if let constant = schema["const"] {
            let expected = Self.classify(constant)
            if !Self.equal(value, expected) {
                errors.append("\(path): expected \(Self.render(expected)), got \(Self.render(value))")
            }
        }

        if case .number(let number, _) = value {
            if let minimum = schema["minimum"].flatMap(Self.number), number < minimum {
                errors.append("\(path): \(Self.render(value)) is less than the minimum \(Self.format(minimum))")
            }
            if let maximum = schema["maximum"].flatMap(Self.number), number > maximum {
                errors.append("\(path): \(Self.render(value)) is greater than the maximum \(Self.format(maximum))")
            }
        }

        if case .string(let string) = value {
            if let minLength = schema["minLength"].flatMap(Self.integerValue), string.unicodeScalars.count < minLength {
                errors.append("\(path): string shorter than minLength \(minLength)")
            }
            if let source = schema["pattern"] as? String, let regex = regexes[source] {
                let range = NSRange(location: 0, length: string.utf16.count)
                if regex.firstMatch(in: string, range: range) == nil {
                    errors.append("\(path): \(Self.render(value)) does not match pattern \(source)")
                }
            }
        }

        if case .array(let elements) = value, let itemSchema = schema["items"] {
            for (index, element) in elements.enumerated() {
                validate(element, against: itemSchema, path: "\(path)[\(index)]", errors: &errors)
            }
        }

        if case .object(let members) = value {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in (schema["required"] as? [String] ?? []) where members[name] == nil {
                errors.append("\(path): missing required property \"\(name)\"")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let memberPath = Self.append(name, to: path)
                if let propertySchema = properties[name] {
                    validate(member, against: propertySchema, path: memberPath, errors: &errors)
                } else if let additional = schema["additionalProperties"] {
                    if case .boolean(let allowed) = Self.classify(additional) {
                        if !allowed { errors.append("\(memberPath): property not allowed (additionalProperties: false)") }
                    } else {
                        validate(member, against: additional, path: memberPath, errors: &errors)
                    }
                }
            }
        }
    }

    // MARK: - JSON values

    /// A JSON value, told apart the way JSON Schema needs (booleans are not numbers).
    enum Value {
        case null
        case boolean(Bool)
        case number(Double, isInteger: Bool)
        case string(String)
        case array([Any])
        case object([String: Any])
        case unknown(String)

        var typeName: String {
            switch self {
            case .null: "null"
            case .boolean: "boolean"
            case .number(_, let isInteger): isInteger ? "integer" : "number"
            case .string: "string"
            case .array: "array"
            case .object: "object"
            case .unknown(let name): "non-JSON value of type \(name)"
            }
        }
    }

    static func classify(_ value: Any) -> Value {
        if value is NSNull { return .null }
        // Check the dynamic type first: casting with `as?` would bridge a Swift Int to NSNumber
        // or an NSNumber to Bool.
        if type(of: value) is NSNumber.Type, let number = value as? NSNumber {
            // JSONSerialization returns booleans as NSNumber with Objective-C type "c" (char).
            if String(cString: number.objCType) == "c" { return .boolean(number.boolValue) }
            let double = number.doubleValue
            return .number(double, isInteger: double.isFinite && double.rounded(.towardZero) == double)
        }
        if type(of: value) == Bool.self, let flag = value as? Bool { return .boolean(flag) }
        if let integer = value as? any BinaryInteger { return .number(Double(integer), isInteger: true) }
        if let floating = value as? any BinaryFloatingPoint {
            let double = Double(floating)
            return .number(double, isInteger: double.isFinite && double.rounded(.towardZero) == double)
        }
        if let string = value as? String { return .string(string) }
        if let object = value as? [String: Any] { return .object(object) }
        if let array = value as? [Any] { return .array(array) }
        return .unknown(String(describing: type(of: value)))
    }

    private static func matches(_ value: Value, typeName: String) -> Bool {
        switch (value, typeName) {
        case (.null, "null"), (.boolean, "boolean"), (.number, "number"), (.string, "string"),
            (.array, "array"), (.object, "object"):
            true
        case (.number(_, let isInteger), "integer"):
            isInteger
        default:
            false
        }
    }

    private static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.number(let x, _), .number(let y, _)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal(classify($0), classify($1)) }
        case (.object(let x), .object(let y)):
            return x.count == y.count
                && x.allSatisfy { key, member in
                    y[key].map { equal(classify(member), classify($0)) } ?? false
                }
        default: return false
        }
    }

    private static func number(_ value: Any) -> Double? {
        if case .number(let double, _) = classify(value) { return double }
        return nil
    }

    private static func integerValue(_ value: Any) -> Int? {
        if case .number(let double, true) = classify(value), abs(double) < 1e15 { return Int(double) }
        return nil
    }

    private static func format(_ number: Double) -> String {
        if number.rounded(.towardZero) == number && abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }

    /// Short JSON-like rendering of a value for error messages.
    private static func render(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let flag): return flag ? "true" : "false"
        case .number(let double, _): return format(double)
        case .string(let string):
            let short = string.count > 60 ? String(string.prefix(57)) + "..." : string
            let escaped = short.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\"\(escaped)\""
        case .array(let elements): return "array of \(elements.count)"
        case .object(let members): return "object with \(members.count) keys"
        case .unknown(let name): return "<\(name)>"
        }
    }

    /// "$" + "source" → "$.source"; keys that are not plain identifiers use bracket notation.
    private static func append(_ key: String, to path: String) -> String {
        let plain =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy { scalar in
                scalar == "_" || (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
            } && !("0"..."9").contains(key.unicodeScalars.first!)
        if plain { return "\(path).\(key)" }
        let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\(path)[\"\(escaped)\"]"
    }
}
