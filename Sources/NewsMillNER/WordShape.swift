/// The spelling class of a token that the NER model embeds beside the word itself (slovnet's
/// shape features): script and case outline for words ("RU_Xx", "EN_XX"), the mark itself for a
/// single punctuation mark ("PUNCT_«"), "NUM" for numbers, "OTHER" for the rest.
enum WordShape {
    static func of(_ token: ArraySlice<Unicode.Scalar>) -> String {
        guard let first = token.first else { return "OTHER" }
        let v = first.value
        if (0x410...0x44F).contains(v) || v == 0x401 || v == 0x451 {
            return "RU_" + outline(token)
        }
        if (0x61...0x7A).contains(v) || (0x41...0x5A).contains(v) {
            return "EN_" + outline(token)
        }
        let signed = (v == 0x2B || v == 0x2D) && token.count > 1
        if isDigit(first) || (signed && isDigit(token[token.startIndex + 1])) {
            return "NUM"
        }
        if punctuation.contains(v) {
            return token.count == 1 ? "PUNCT_" + String(Character(first)) : "PUNCT_OTHER"
        }
        return "OTHER"
    }

    /// The marks with a shape of their own, as the model's shape vocabulary lists them.
    static let punctuation: Set<UInt32> = Set("!#$%&()[]\\/*+,.:;<=>?@^_{|}~-‐−‒⁃–—―`\"'«»„“ʼʻ”№…".unicodeScalars.map(\.value))

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(s.value) || s.properties.numericType == .decimal
    }

    /// Case outline with Python's str.isupper/islower semantics (uncased characters are ignored,
    /// at least one cased character is needed).
    static func outline(_ word: ArraySlice<Unicode.Scalar>) -> String {
        if word.count == 1 { return isUpper(word) ? "X" : "x" }
        if isUpper(word) { return "XX" }
        if isLower(word) { return "xx" }
        if isTitle(word) { return "Xx" }
        if let dash = word.firstIndex(where: { $0.value == 0x2D }),
            isTitle(word[word.startIndex..<dash]), isTitle(word[(dash + 1)...])
        {
            return "Xx-Xx"
        }
        return "OTHER"
    }

    enum LetterCase { case upper, lower, title, none }

    /// Unicode case of a character; ASCII and basic Cyrillic without the property tables.
    @inline(__always)
    static func letterCase(_ s: Unicode.Scalar) -> LetterCase {
        switch s.value {
        case 0x41...0x5A, 0x400...0x42F: return .upper
        case 0x61...0x7A, 0x430...0x45F: return .lower
        case 0...0x7F: return .none
        default:
            let p = s.properties
            if p.generalCategory == .titlecaseLetter { return .title }
            if p.isUppercase { return .upper }
            if p.isLowercase { return .lower }
            return .none
        }
    }

    static func isTitle(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        word.count > 1 && isUpper(word.prefix(1)) && isLower(word.dropFirst())
    }

    static func isUpper(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        var cased = false
        for s in word {
            switch letterCase(s) {
            case .lower, .title: return false
            case .upper: cased = true
            case .none: break
            }
        }
        return cased
    }

    static func isLower(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        var cased = false
        for s in word {
            switch letterCase(s) {
            case .upper, .title: return false
            case .lower: cased = true
            case .none: break
            }
        }
        return cased
    }
}
