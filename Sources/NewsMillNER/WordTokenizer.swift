/// Splits text into the tokens the NER model was trained on. The model learned its weights on
/// razdel's tokenization, so this follows razdel's rules exactly: text is cut into atoms (runs of
/// Cyrillic letters, of Latin letters, of digits; single punctuation marks; single other
/// characters), and neighbouring atoms with nothing between them are joined when a rule says so
/// ("что-то", "5,3", "1/2", "...", ":-)", "ΔP").
struct WordTokenizer {
    enum AtomKind: UInt8 {
        case cyrillic, latin, digits, punctuation, other

        var isWordLike: Bool { self == .other || self == .cyrillic || self == .latin }
    }

    struct Atom {
        var start: Int
        var end: Int
        var kind: AtomKind
    }

    /// A token as scalar offsets into the text (end exclusive).
    struct Token: Equatable {
        var start: Int
        var end: Int
    }

    static func tokenize(_ scalars: [Unicode.Scalar]) -> [Token] {
        let atoms = self.atoms(scalars)
        guard let first = atoms.first else { return [] }
        var tokens: [Token] = []
        tokens.reserveCapacity(atoms.count)
        var current = Token(start: first.start, end: first.end)
        for index in 1..<atoms.count {
            let atom = atoms[index]
            let adjacent = atoms[index - 1].end == atom.start
            if adjacent && joins(atoms, at: index, scalars, tokenStart: current.start) {
                current.end = atom.end
            } else {
                tokens.append(current)
                current = Token(start: atom.start, end: atom.end)
            }
        }
        tokens.append(current)
        return tokens
    }

    static func atoms(_ s: [Unicode.Scalar]) -> [Atom] {
        var atoms: [Atom] = []
        atoms.reserveCapacity(s.count / 4)
        var i = 0
        while i < s.count {
            guard let kind = kind(of: s[i]) else { i += 1; continue }
            let start = i
            i += 1
            if kind == .cyrillic || kind == .latin || kind == .digits {
                while i < s.count, Self.kind(of: s[i]) == kind { i += 1 }
            }
            atoms.append(Atom(start: start, end: i, kind: kind))
        }
        return atoms
    }

    /// nil for whitespace, which separates atoms and is never part of one.
    @inline(__always)
    static func kind(of scalar: Unicode.Scalar) -> AtomKind? {
        let v = scalar.value
        if v < 0x80 {
            switch v {
            case 0x61...0x7A, 0x41...0x5A: return .latin
            case 0x30...0x39: return .digits
            case 0x09...0x0D, 0x1C...0x20: return nil
            default: return asciiPunctuation(v) ? .punctuation : .other
            }
        }
        switch v {
        case 0x410...0x44F, 0x401, 0x451: return .cyrillic
        case 0x2011, 0x2013, 0x2014, 0x2212, 0xAB, 0xBB, 0x201C, 0x201D, 0x2018, 0x2019, 0x201E, 0x2116, 0x2026:
            return .punctuation
        default:
            if scalar.properties.isWhitespace { return nil }
            if scalar.properties.numericType == .decimal { return .digits }
            return .other
        }
    }

    /// razdel's ASCII punctuation: \ / ! # $ % & * + , . : ; < = > ? @ ^ _ ` | ~ - " ' ( [ ) ] }
    /// ("{" is not among them: razdel lists "}" twice and never "{").
    @inline(__always)
    static func asciiPunctuation(_ v: UInt32) -> Bool {
        switch v {
        case 0x5C, 0x2F, 0x21, 0x23, 0x24, 0x25, 0x26, 0x2A, 0x2B, 0x2C, 0x2E, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E,
            0x3F, 0x40, 0x5E, 0x5F, 0x60, 0x7C, 0x7E, 0x2D, 0x22, 0x27, 0x28, 0x5B, 0x29, 0x5D, 0x7D:
            return true
        default:
            return false
        }
    }

    static func isDash(_ v: UInt32) -> Bool {
        v == 0x2011 || v == 0x2013 || v == 0x2014 || v == 0x2212 || v == 0x2D
    }

    static func isEnding(_ v: UInt32) -> Bool {
        v == 0x2E || v == 0x3F || v == 0x21 || v == 0x2026
    }

    /// razdel's rules in its order; the first that decides wins, and no decision splits.
    static func joins(_ atoms: [Atom], at index: Int, _ s: [Unicode.Scalar], tokenStart: Int) -> Bool {
        let left1 = atoms[index - 1]
        let right1 = atoms[index]
        let left2: Atom? = index >= 2 ? atoms[index - 2] : nil
        let right2: Atom? = index + 1 < atoms.count ? atoms[index + 1] : nil
        let leftChar = left1.end - left1.start == 1 ? s[left1.start].value : nil
        let rightChar = right1.end - right1.start == 1 ? s[right1.start].value : nil

        // Joiner rules: a delimiter atom between two atoms ("что-то", "5,3", "1/2", "snake_case").
        func around(_ isDelimiter: (UInt32) -> Bool) -> (Atom, Atom)? {
            if let c = leftChar, isDelimiter(c) {
                guard let left2 else { return nil }
                return (left2, right1)
            }
            if let c = rightChar, isDelimiter(c) {
                guard let right2 else { return nil }
                return (left1, right2)
            }
            return nil
        }
        if let (l, r) = around(isDash), l.kind != .punctuation, r.kind != .punctuation { return true }
        if let (l, r) = around({ $0 == 0x5F }), l.kind != .punctuation, r.kind != .punctuation { return true }
        if let (l, r) = around({ $0 == 0x2E || $0 == 0x2C }), l.kind == .digits, r.kind == .digits { return true }
        if let (l, r) = around({ $0 == 0x2F || $0 == 0x5C }), l.kind == .digits, r.kind == .digits { return true }

        if left1.kind == .punctuation && right1.kind == .punctuation, let l = leftChar, let r = rightChar {
            if isSmiley(s[tokenStart..<right1.end]) { return true }
            if isEnding(l) && isEnding(r) { return true }
            if (l == 0x2D && r == 0x2D) || (l == 0x2A && r == 0x2A) { return true }
        }

        // "ΔP", "mβж": a character of no known script sticks to the letters around it.
        if left1.kind == .other && right1.kind.isWordLike { return true }
        if left1.kind.isWordLike && right1.kind == .other { return true }

        if rightChar == 0x21, left1.kind == .latin, left1.end - left1.start == 5,
            String(String.UnicodeScalarView(s[left1.start..<left1.end])).lowercased() == "yahoo"
        {
            return true
        }
        return false
    }

    /// [=:;] -? [)(]{1,3}, the whole token: ":)", ";-(", "=)))".
    static func isSmiley(_ t: ArraySlice<Unicode.Scalar>) -> Bool {
        var i = t.startIndex
        guard i < t.endIndex, [0x3D, 0x3A, 0x3B].contains(t[i].value) else { return false }
        i += 1
        if i < t.endIndex, t[i].value == 0x2D { i += 1 }
        let brackets = t.endIndex - i
        guard (1...3).contains(brackets) else { return false }
        return t[i...].allSatisfy { $0.value == 0x28 || $0.value == 0x29 }
    }
}
