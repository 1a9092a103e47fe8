/// Which mentions of one document name the same entity: "Мадуро" joins "Николас Мадуро",
/// "В. Путин" joins "Владимир Путин", "РФ" joins "Россия". Each group gets a canonical name, the
/// fullest normal form among its mentions.
public enum NameGroups {
    public struct Mention: Sendable {
        public var kind: NameNormalizer.Kind
        public var normal: String

        public init(kind: NameNormalizer.Kind, normal: String) {
            self.kind = kind
            self.normal = normal
        }
    }

    public struct Assignment: Sendable, Equatable {
        /// The index of the group's first mention.
        public var group: Int
        /// The group's fullest name.
        public var canonical: String
        /// The mention's own normal form, corrected where its group settles what the mention alone
        /// could not ("Медведева" → "Медведев" beside "Дмитрий Медведев").
        public var normal: String
    }

    public static func assign(_ mentions: [Mention]) -> [Assignment] {
        var parent = Array(mentions.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        func join(_ a: Int, _ b: Int) {
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var normals = mentions.map(\.normal)
        let names = mentions.map { PersonName($0.normal) }

        // Organisations and places: the same name, or one of its well-known variants, or a one-word
        // name in another case ("Башинформа" that the dictionary could not decline).
        var byKey: [String: Int] = [:]
        for (index, mention) in mentions.enumerated() where mention.kind != .person {
            let folded = NameVariants.canonicalKey(fold(mention.normal))
            var keys = ["\(mention.kind):" + folded]
            if !folded.contains(" "), folded.count >= 6 { keys.append("\(mention.kind)~" + stem(folded)) }
            for key in keys {
                if let first = byKey[key] { join(first, index) } else { byKey[key] = index }
            }
        }
        // A place named by its adjective ("японским", "белорусские") joins the place.
        for (index, mention) in mentions.enumerated() where mention.kind == .location {
            let folded = fold(mention.normal)
            guard !folded.contains(" "), mention.normal.first?.isLowercase == true, folded.contains("ск") else { continue }
            let base = NameVariants.placeOfAdjective(folded)
            if let place = mentions.indices.first(where: { other in
                other != index && mentions[other].kind == .location && mentions[other].normal.first?.isUppercase == true
                    && {
                        let key = NameVariants.canonicalKey(fold(mentions[other].normal));
                        return base.map { $0 == key } ?? (key.count >= 4 && folded.hasPrefix(String(key.prefix(4))))
                    }()
            }) {
                join(place, index)
            }
        }

        // Persons named with two words or more: the same surname and compatible first names.
        let people = mentions.indices.filter { mentions[$0].kind == .person }
        let full = people.filter { names[$0].first != nil && names[$0].surname != nil }
        for (position, index) in full.enumerated() {
            for earlier in full[..<position] where names[earlier].surnameMatches(names[index].surname ?? "") {
                if names[earlier].compatibleFirst(with: names[index]) {
                    join(earlier, index)
                    break
                }
            }
        }
        // One word: the surname of a full name (the first one: the article introduces its main
        // person first),
        // else an earlier mention of the same word, else a full name's first name when only one has it.
        for index in people where names[index].first == nil {
            guard let word = names[index].surname else { continue }
            let bySurname = full.filter { names[$0].surnameMatches(word) }
            if let target = bySurname.first {
                join(target, index)
                // A surname that is his in one reading and hers in another takes the full name's.
                if let surname = names[target].surname, fold(surname) != fold(word), names[index].isOnlyWord {
                    normals[index] = casing(surname, like: mentions[index].normal)
                }
                continue
            }
            if let same = people.first(where: { $0 < index && names[$0].first == nil && names[$0].surname.map(fold) == fold(word) }) {
                join(same, index)
                continue
            }
            let byFirst = full.filter { names[$0].first.map(fold) == fold(word) }
            if let only = byFirst.first, Set(byFirst.map(root)).count == 1 { join(only, index) }
        }

        // The canonical name: the one with the most words, the first of those.
        var canonical: [Int: Int] = [:]
        for index in mentions.indices {
            let group = root(index)
            if let best = canonical[group] {
                if wordCount(normals[index]) > wordCount(normals[best]) { canonical[group] = index }
            } else {
                canonical[group] = index
            }
        }
        return mentions.indices.map { index in
            let group = root(index)
            return Assignment(group: group, canonical: normals[canonical[group]!], normal: normals[index])
        }
    }

    /// A word without its case ending, to match forms the dictionary could not decline.
    static func stem(_ folded: String) -> String {
        var scalars = Array(folded.unicodeScalars)
        for ending in ["ами", "ями", "ого", "ому", "ом", "ем", "ой", "ей", "ым", "им", "ах", "ях", "а", "я", "у", "ю", "е", "ы", "и", "о"]
        where scalars.count > ending.unicodeScalars.count + 2
            && String(String.UnicodeScalarView(scalars.suffix(ending.unicodeScalars.count))) == ending
        {
            scalars.removeLast(ending.unicodeScalars.count)
            break
        }
        return String(String.UnicodeScalarView(scalars))
    }

    static func fold(_ text: String) -> String {
        var out = ""
        var space = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                out.unicodeScalars.append(scalar == "ё" ? "е" : scalar)
            } else if scalar != "«" && scalar != "»" && scalar != "\"" {
                space = true
            }
        }
        return out
    }

    private static func wordCount(_ text: String) -> Int {
        fold(text).split(separator: " ").count
    }

    private static func casing(_ form: String, like original: String) -> String {
        NameWords.Word.casing(form, like: original)
    }

    /// A person's name split into a first name (or initial) and a surname (the last word).
    struct PersonName {
        var first: String?
        var surname: String?
        var isOnlyWord: Bool

        init(_ normal: String) {
            let words = normal.split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init).filter { !$0.isEmpty }
            isOnlyWord = words.count == 1
            surname = words.last.flatMap { $0.count > 1 ? $0 : nil }
            first = words.count >= 2 ? words.first : nil
        }

        /// Equal first names, or an initial and a name it starts.
        func compatibleFirst(with other: PersonName) -> Bool {
            guard let a = first.map(NameGroups.fold), let b = other.first.map(NameGroups.fold) else { return true }
            if a == b { return true }
            if a.count == 1 { return b.hasPrefix(a) }
            if b.count == 1 { return a.hasPrefix(b) }
            return false
        }

        /// `word` is this surname, its other-gender form ("Медведева" / "Медведев") or a form the
        /// dictionary could not decline ("Шеферу").
        func surnameMatches(_ word: String) -> Bool {
            guard let surname, !word.isEmpty else { return false }
            let (a, b) = (NameGroups.fold(surname), NameGroups.fold(word))
            return a == b || a + "а" == b || b + "а" == a || NameGroups.stem(a) == NameGroups.stem(b)
        }
    }
}
