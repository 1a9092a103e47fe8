import Testing

@testable import RussianMorphology

/// Fold, stem and person names as they were before they worked on UTF-8 bytes (b247344): the
/// plain scalar-by-scalar oracle the byte paths must equal.
enum ReferenceNameGroups {
    /// A word without its case ending, to match forms the dictionary could not decline.
    static func stem(_ folded: String) -> String {
        let count = folded.unicodeScalars.count
        for ending in stemEndings where count > ending.count + 2 && folded.endsWith(ending.text) {
            return String(String.UnicodeScalarView(folded.unicodeScalars.dropLast(ending.count)))
        }
        return folded
    }

    private static let stemEndings: [(text: String, count: Int)] =
        ["ами", "ями", "ого", "ому", "ом", "ем", "ой", "ей", "ым", "им", "ах", "ях", "а", "я", "у", "ю", "е", "ы", "и", "о"]
        .map { ($0, $0.unicodeScalars.count) }

    static func fold(_ text: String) -> String { NameGroups.foldScalars(text) }

    /// A person's name split into a first name (or initial) and a surname (the last word), with
    /// their folded forms for comparing.
    struct PersonName {
        var first: String?
        var surname: String?
        var isOnlyWord: Bool
        var firstKey: String?
        var surnameKey: String?
        var surnameStem: String?

        init() {
            isOnlyWord = false
        }

        init(_ normal: String) {
            let words = normal.unicodeScalars.split(whereSeparator: { !isLetter($0) && $0 != "-" }).map {
                String(String.UnicodeScalarView($0))
            }
            isOnlyWord = words.count == 1
            surname = words.last.flatMap { $0.unicodeScalars.count > 1 ? $0 : nil }
            first = words.count >= 2 ? words.first : nil
            firstKey = first.map(fold)
            surnameKey = surname.map(fold)
            surnameStem = surnameKey.map(stem)
        }

        /// Equal first names, or an initial and a name it starts.
        func compatibleFirst(with other: PersonName) -> Bool {
            guard let a = firstKey, let b = other.firstKey else { return true }
            if a == b { return true }
            if a.count == 1 { return b.startsWith(a) }
            if b.count == 1 { return a.startsWith(b) }
            return false
        }

        /// The other's surname is this one, its other-gender form ("Медведева" / "Медведев") or a
        /// form the dictionary could not decline ("Шеферу").
        func surnameMatches(_ other: PersonName) -> Bool {
            guard let a = surnameKey, let b = other.surnameKey else { return false }
            return a == b || surnameStem == other.surnameStem || a + "а" == b || b + "а" == a
        }
    }
}
