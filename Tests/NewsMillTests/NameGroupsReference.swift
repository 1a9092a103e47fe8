import Testing

@testable import RussianMorphology

/// NameGroups.assign as it was before its names' features were worked out once per name
/// (b247344): the oracle the faster grouping and the headline's incremental grouping must equal.
enum ReferenceNameGroups {
    static func assign(_ mentions: [NameGroups.Mention]) -> [NameGroups.Assignment] {
        // A document names its entities again and again ("России" ten times): the distinct names
        // are grouped, in the order they first appear, and every mention takes its name's group.
        // Groups and canonical names are the same as over every mention: a group is named by its
        // first mention, and a repeated name joins what its first mention joins.
        var slots: [DistinctName: Int] = [:]
        var distinct: [NameGroups.Mention] = []
        var firstMention: [Int] = []
        let slotOf = mentions.enumerated().map { index, mention in
            let key = DistinctName(kind: mention.kind, text: mention.normal)
            if let slot = slots[key] { return slot }
            slots[key] = distinct.count
            distinct.append(mention)
            firstMention.append(index)
            return distinct.count - 1
        }
        let assigned = assignDistinct(distinct)
        return slotOf.map { slot in
            var assignment = assigned[slot]
            assignment.group = firstMention[assignment.group]
            return assignment
        }
    }

    /// A name compared and hashed as UTF-8 bytes, as written: String's own hashing normalizes
    /// non-ASCII text first.
    private struct DistinctName: Hashable {
        var kind: NameNormalizer.Kind
        var text: String

        static func == (a: DistinctName, b: DistinctName) -> Bool { a.kind == b.kind && a.text.utf8.elementsEqual(b.text.utf8) }

        func hash(into hasher: inout Hasher) {
            hasher.combine(kind)
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    private static func assignDistinct(_ mentions: [NameGroups.Mention]) -> [NameGroups.Assignment] {
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
        let folded = mentions.map { fold($0.normal) }
        let names = mentions.map { $0.kind == .person ? PersonName($0.normal) : PersonName() }
        let capitalised = mentions.map { $0.normal.unicodeScalars.first.map(isUppercase) ?? false }

        // Organisations and places: the same name, or one of its well-known variants, or a one-word
        // name in another case ("Башинформа" that the dictionary could not decline).
        var byKey: [DistinctName: Int] = [:]
        var placeKeys: [(index: Int, key: String)] = []
        for (index, mention) in mentions.enumerated() where mention.kind != .person {
            let key = NameVariants.canonicalKey(folded[index])
            let tag = mention.kind == .location ? "L" : "O"
            var keys = [tag + key]
            if key.utf8.count >= 12, !key.utf8.contains(UInt8(ascii: " ")) { keys.append(tag + "~" + stem(key)) }
            for key in keys {
                let key = DistinctName(kind: .organisation, text: key)
                if let first = byKey[key] { join(first, index) } else { byKey[key] = index }
            }
            if mention.kind == .location && capitalised[index] { placeKeys.append((index, key)) }
        }
        // A place named by its adjective ("японским", "белорусские") joins the place.
        for (index, mention) in mentions.enumerated() where mention.kind == .location && !capitalised[index] {
            let word = folded[index]
            guard !word.utf8.contains(UInt8(ascii: " ")), word.contains("ск") else { continue }
            let base = NameVariants.placeOfAdjective(word)
            let place = placeKeys.first { place in
                base.map { $0 == place.key } ?? (place.key.count >= 4 && word.startsWith(String(place.key.prefix(4))))
            }
            if let place { join(place.index, index) }
        }

        // Persons named with two words or more: the same surname and compatible first names.
        let people = mentions.indices.filter { mentions[$0].kind == .person }
        let full = people.filter { names[$0].first != nil && names[$0].surname != nil }
        for (position, index) in full.enumerated() {
            for earlier in full[..<position] where names[earlier].surnameMatches(names[index]) {
                if names[earlier].compatibleFirst(with: names[index]) {
                    join(earlier, index)
                    break
                }
            }
        }
        // One word: the surname of a full name (the first one: the article introduces its main
        // person first), else an earlier mention of the same word, else a full name's first name
        // when only one entity has it.
        for index in people where names[index].first == nil {
            guard let word = names[index].surname else { continue }
            if let target = full.first(where: { names[$0].surnameMatches(names[index]) }) {
                join(target, index)
                // A surname that is his in one reading and hers in another takes the full name's;
                // so does one the dictionary could not decline ("Шеферу" beside "Томас Шефер").
                if let surname = names[target].surname, let key = names[target].surnameKey, let own = names[index].surnameKey, key != own,
                    names[index].isOnlyWord, key + "а" == own || own + "а" == key || key.utf8.count < own.utf8.count
                {
                    normals[index] = NameWords.Word.casing(surname, like: mentions[index].normal)
                }
                continue
            }
            let key = names[index].surnameKey
            if let same = people.first(where: { $0 < index && names[$0].first == nil && names[$0].surnameKey == key }) {
                join(same, index)
                continue
            }
            let byFirst = full.filter { names[$0].firstKey == fold(word) }
            if let only = byFirst.first, Set(byFirst.map(root)).count == 1 { join(only, index) }
        }

        // The canonical name: the one with the most different words, the first of those (a
        // word written twice by mistake, "Максим Дадашев Дадашев", makes no fuller name).
        let words = folded.map { name in
            let spaces = name.utf8.reduce(0) { $1 == UInt8(ascii: " ") ? $0 + 1 : $0 }
            guard spaces >= 2 else { return spaces + 1 }
            let parts = name.split(separator: " ")
            return parts.indices.filter { i in !parts[..<i].contains { $0.utf8.elementsEqual(parts[i].utf8) } }.count
        }
        var canonical: [Int: Int] = [:]
        for index in mentions.indices {
            let group = root(index)
            if let best = canonical[group] {
                if words[index] > words[best] { canonical[group] = index }
            } else {
                canonical[group] = index
            }
        }
        return mentions.indices.map { index in
            let group = root(index)
            return NameGroups.Assignment(group: group, canonical: normals[canonical[group]!], normal: normals[index])
        }
    }

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

    static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for scalar in text.unicodeScalars {
            if isLetter(scalar) || ("0"..."9").contains(scalar) {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                let lower = lowercase(scalar)
                out.append(lower == "ё" ? "е" : lower)
            } else if scalar != "«" && scalar != "»" && scalar != "\"" {
                space = true
            }
        }
        return String(out)
    }

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
