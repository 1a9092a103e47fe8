import Yams

/// A YAML mapping being read into typed options. Every getter checks the type and range of its
/// value; `allowOnly` rejects keys nobody reads, so a typo never passes silently.
public struct ConfigSection {
    let file: String
    let path: String
    let line: Int?
    private let pairs: [(key: String, node: Node)]

    init(file: String, path: String, node: Node?) throws(ConfigError) {
        self.file = file
        self.path = path
        self.line = node?.mark.map { $0.line }
        guard let node else {
            pairs = []
            return
        }
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
            pairs = []
            return
        }
        guard let mapping = node.mapping else {
            throw ConfigError(file: file, line: line, keyPath: path, message: "expected a mapping of options")
        }
        var seen = Set<String>()
        var pairs: [(String, Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                throw ConfigError(file: file, line: keyNode.mark?.line, keyPath: path, message: "keys must be strings")
            }
            if !seen.insert(key).inserted {
                throw ConfigError(file: file, line: keyNode.mark?.line, keyPath: Self.join(path, key), message: "duplicate key")
            }
            pairs.append((key, value))
        }
        self.pairs = pairs
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    var keys: [String] { pairs.map(\.key) }

    func node(_ key: String) -> Node? {
        pairs.first { $0.key == key }?.node
    }

    func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node(key)?.mark?.line ?? line, keyPath: Self.join(path, key), message: message)
    }

    public func allowOnly(_ allowed: [String]) throws(ConfigError) {
        for key in keys where !allowed.contains(key) {
            let list = allowed.isEmpty ? "this section takes no options" : "allowed keys: \(allowed.joined(separator: ", "))"
            throw error(key, "unknown key; \(list)")
        }
    }

    public func section(_ key: String) throws(ConfigError) -> ConfigSection {
        try ConfigSection(file: file, path: Self.join(path, key), node: node(key))
    }

    public func bool(_ key: String, default value: Bool) throws(ConfigError) -> Bool {
        guard let node = node(key) else { return value }
        guard case .scalar(let scalar) = node, let b = Bool.construct(from: scalar) else {
            throw error(key, "expected true or false, got '\(Self.show(node))'")
        }
        return b
    }

    public func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let node = node(key) else { return value }
        guard case .scalar(let scalar) = node, let i = Int(scalar.string.replacingUnderscores) else {
            throw error(key, "expected an integer in \(range.lowerBound)...\(range.upperBound), got '\(Self.show(node))'")
        }
        guard range.contains(i) else {
            throw error(key, "\(i) is out of range; allowed: \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }

    public func double(_ key: String, default value: Double, range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let node = node(key) else { return value }
        guard case .scalar(let scalar) = node, let d = Double(scalar.string.replacingUnderscores), d.isFinite else {
            throw error(key, "expected a number in \(range.lowerBound)...\(range.upperBound), got '\(Self.show(node))'")
        }
        guard range.contains(d) else {
            throw error(key, "\(d) is out of range; allowed: \(range.lowerBound)...\(range.upperBound)")
        }
        return d
    }

    public func choice(_ key: String, default value: String, allowed: [String]) throws(ConfigError) -> String {
        guard let node = node(key) else { return value }
        guard case .scalar(let scalar) = node, allowed.contains(scalar.string) else {
            throw error(key, "'\(Self.show(node))' is not allowed; expected one of: \(allowed.joined(separator: ", "))")
        }
        return scalar.string
    }

    public func string(_ key: String, default value: String) throws(ConfigError) -> String {
        guard let node = node(key) else { return value }
        guard case .scalar(let scalar) = node else { throw error(key, "expected a string") }
        return scalar.string
    }

    public func stringList(_ key: String, default value: [String]) throws(ConfigError) -> [String] {
        guard let node = node(key) else { return value }
        if case .scalar(let scalar) = node, !scalar.string.isEmpty { return [scalar.string] }
        guard let sequence = node.sequence else { throw error(key, "expected a list of strings") }
        var out: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
                throw error(key, "expected a list of non-empty strings")
            }
            out.append(scalar.string)
        }
        if out.isEmpty { throw error(key, "the list must not be empty") }
        return out
    }

    static func show(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

private extension String {
    var replacingUnderscores: String { filter { $0 != "_" } }
}
