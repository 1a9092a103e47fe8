import Glibc

extension JSONValue {
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var int: Int? {
        if case .number(let n) = self { return Int(n) ?? Double(n).map { Int($0) } }
        return nil
    }

    public var double: Double? {
        if case .number(let n) = self { return Double(n) }
        return nil
    }
}

/// A state file of JSON Lines that only grows: its committed lines are read whole at the start of
/// a run, new lines are appended and committed with the manifest. People and scripts read it too
/// (`jq`, DuckDB's read_json), which is why it is text.
final class StateJSONLines {
    let appender: StateAppender

    init(state: StateFolder, name: String) throws(RunFailure) {
        appender = try StateAppender(state: state, name: name)
    }

    /// The committed lines, parsed; a line that does not parse means the file is damaged.
    func readAll() throws(RunFailure) -> [JSONValue] {
        let bytes = try StateIO.read(appender.descriptor, count: Int(appender.length), at: 0, file: appender.name)
        var values: [JSONValue] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            lineNumber += 1
            do {
                values.append(try JSONParser.parse(Array(bytes[start..<end])))
            } catch {
                throw RunFailure("state file \(appender.name) is damaged: line \(lineNumber) is not JSON (\(error.message))")
            }
            start = end + 1
        }
        return values
    }

    func append(_ value: JSONValue) {
        appender.append(bytes: Array((value.compactJSON + "\n").utf8))
    }
}
