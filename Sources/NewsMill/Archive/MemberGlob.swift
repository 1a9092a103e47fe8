/// A glob over member paths (`input.include`, `input.exclude`, `input.metadata.path`), in the
/// form datatrove's `glob_pattern` and fsspec use: anchored at the start of the path, `*` and
/// `?` stay within one folder, `**` crosses folders, `**/` also matches no folder at all.
public struct MemberGlob: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        /// `?`: any one character but "/".
        case one
        /// `[abc]`, `[a-z]`, `[!abc]`: one character but "/".
        case set([ClosedRange<UInt32>], negated: Bool)
        /// `*`: any run of characters within one folder.
        case star
        /// `**` not followed by "/": any run of characters, "/" included.
        case anyPath
        /// `**/`: nothing, or any run of characters ending in "/" (zero or more whole folders).
        case folders
    }

    public let pattern: String
    let tokens: [Token]
    /// The literal characters the pattern ends with.
    private let literalSuffix: [Unicode.Scalar]

    public var description: String { pattern }

    public init(_ pattern: String) throws(GlobError) {
        self.pattern = pattern
        var scalars = Array(pattern.unicodeScalars)
        // The matched path never starts with "/" or "./" (see `matchPath`), so neither may a pattern.
        while scalars.first == "/" { scalars.removeFirst() }
        while scalars.count >= 2 && scalars[0] == "." && scalars[1] == "/" { scalars.removeFirst(2) }
        guard !scalars.isEmpty else { throw GlobError(pattern: pattern, message: "the pattern is empty") }
        var tokens: [Token] = []
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            switch c {
            case "*":
                var end = i
                while end < scalars.count && scalars[end] == "*" { end += 1 }
                if end - i == 1 {
                    tokens.append(.star)
                    i = end
                } else if (i == 0 || scalars[i - 1] == "/") && end < scalars.count && scalars[end] == "/" {
                    tokens.append(.folders)
                    i = end + 1
                } else {
                    tokens.append(.anyPath)
                    i = end
                }
            case "?":
                tokens.append(.one)
                i += 1
            case "[":
                var j = i + 1
                var negated = false
                if j < scalars.count && (scalars[j] == "!" || scalars[j] == "^") {
                    negated = true
                    j += 1
                }
                var ranges: [ClosedRange<UInt32>] = []
                var first = true
                while j < scalars.count && (scalars[j] != "]" || first) {
                    first = false
                    var low = scalars[j]
                    if low == "\\" && j + 1 < scalars.count {
                        j += 1
                        low = scalars[j]
                    }
                    if j + 2 < scalars.count && scalars[j + 1] == "-" && scalars[j + 2] != "]" {
                        let high = scalars[j + 2]
                        guard low.value <= high.value else {
                            throw GlobError(pattern: pattern, message: "the range \(low)-\(high) in [...] is reversed")
                        }
                        ranges.append(low.value...high.value)
                        j += 3
                    } else {
                        ranges.append(low.value...low.value)
                        j += 1
                    }
                }
                guard j < scalars.count else { throw GlobError(pattern: pattern, message: "'[' is not closed by ']'") }
                tokens.append(.set(ranges, negated: negated))
                i = j + 1
            case "\\":
                guard i + 1 < scalars.count else { throw GlobError(pattern: pattern, message: "the pattern ends with a lone '\\'") }
                tokens.append(.literal(scalars[i + 1]))
                i += 2
            default:
                tokens.append(.literal(c))
                i += 1
            }
        }
        self.tokens = tokens
        var suffix: [Unicode.Scalar] = []
        for token in tokens.reversed() {
            guard case .literal(let l) = token else { break }
            suffix.append(l)
        }
        literalSuffix = suffix.reversed()
    }

    /// Whether the whole path matches. A Thompson simulation of the pattern's automaton: every
    /// pattern position that can be reached is kept at once, so the work is at most
    /// (pattern tokens + 1) × path characters, whatever the stars; a backtracking matcher is
    /// exponential on patterns like `**a**a**a**b`.
    public func matches(_ path: String) -> Bool {
        // Most paths a pattern sees fail on its literal ending ("**/*.txt" and "b.html"): check
        // that first, without running the automaton.
        var scalars = path.unicodeScalars.reversed().makeIterator()
        for l in literalSuffix.reversed() where scalars.next() != l { return false }
        let count = tokens.count
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: 4 * (count + 1)) { states in
            states.initialize(repeating: false)
            // `active[i]`: the text so far can end before token i. `inFolders[i]`: token i is a
            // `**/` that has consumed part of a folder name, so it may only end at the next "/".
            var active = UnsafeMutableBufferPointer(rebasing: states[0...count])
            var inFolders = UnsafeMutableBufferPointer(rebasing: states[(count + 1)...(2 * count + 1)])
            var next = UnsafeMutableBufferPointer(rebasing: states[(2 * count + 2)...(3 * count + 2)])
            var nextInFolders = UnsafeMutableBufferPointer(rebasing: states[(3 * count + 3)...(4 * count + 3)])
            active[0] = true
            close(active, inFolders)
            for c in path.unicodeScalars {
                var any = false
                for i in 0..<count {
                    if inFolders[i] {
                        nextInFolders[i] = true
                        if c == "/" { next[i + 1] = true }
                        any = true
                    }
                    guard active[i] else { continue }
                    switch tokens[i] {
                    case .literal(let l):
                        if c == l { next[i + 1] = true; any = true }
                    case .one:
                        if c != "/" { next[i + 1] = true; any = true }
                    case .set(let ranges, let negated):
                        if c != "/" && ranges.contains(where: { $0.contains(c.value) }) != negated { next[i + 1] = true; any = true }
                    case .star:
                        if c != "/" { next[i] = true; any = true }
                    case .anyPath:
                        next[i] = true
                        any = true
                    case .folders:
                        break  // its characters are taken in `inFolders`
                    }
                }
                guard any else { return false }
                close(next, nextInFolders)
                swap(&active, &next)
                swap(&inFolders, &nextInFolders)
                next.update(repeating: false)
                nextInFolders.update(repeating: false)
            }
            return active[count]
        }
    }

    /// Stars also match nothing: whoever stands before one stands after it too. A `**/` is
    /// only ever reached at the start of a folder name, where it may match no folder at all.
    private func close(_ states: UnsafeMutableBufferPointer<Bool>, _ inFolders: UnsafeMutableBufferPointer<Bool>) {
        for i in 0..<tokens.count where states[i] {
            switch tokens[i] {
            case .star, .anyPath:
                states[i + 1] = true
            case .folders:
                states[i + 1] = true
                inFolders[i] = true
            default:
                break
            }
        }
    }

    /// Whether a member or file path matches, in the form patterns see it.
    func matches(member path: Substring) -> Bool {
        matches(String(Self.matchPath(path)))
    }

    /// The form of a member path that patterns see: no leading "/" or "./" (tar made with
    /// `tar -C dir .` stores "./texts/1.txt").
    static func matchPath(_ path: Substring) -> Substring {
        var p = path
        while true {
            if p.hasPrefix("/") { p = p.dropFirst() } else if p.hasPrefix("./") { p = p.dropFirst(2) } else { return p }
        }
    }
}

public struct GlobError: Error, Sendable, Equatable {
    public var pattern: String
    public var message: String
}

extension Array where Element == MemberGlob {
    /// The first pattern the path matches.
    func firstMatch(_ path: Substring) -> MemberGlob? {
        guard !isEmpty else { return nil }
        let p = String(MemberGlob.matchPath(path))
        return first { $0.matches(p) }
    }
}
