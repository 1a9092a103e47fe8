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
        grouped(mentions).assignments
    }

    /// The groups of a document's mentions, and what grouping them again with more mentions after
    /// them (a headline's) needs: `assign(_:after:)` gives the later mentions what `assign` over
    /// all of them gives, without grouping the first ones' names from the start.
    public struct Grouped: Sendable {
        public let assignments: [Assignment]
        /// The distinct names of the mentions with their corrected normals, in the order they first
        /// appear, each with the index of its first mention.
        let names: [Name]
        let firstMention: [Int]
        /// Each name's assignment, when grouping left every name as it was: grouping the same
        /// names again gives the same.
        let byName: [Assignment]?
    }

    public static func grouped(_ mentions: [Mention]) -> Grouped {
        // A document names its entities again and again ("России" ten times): the distinct names
        // are grouped, in the order they first appear, and every mention takes its name's group.
        // Groups and canonical names are the same as over every mention: a group is named by its
        // first mention, and a repeated name joins what its first mention joins.
        var slots: [DistinctName: Int] = [:]
        slots.reserveCapacity(mentions.count)
        var distinct: [Name] = []
        var firstMention: [Int] = []
        let slotOf = mentions.enumerated().map { index, mention in
            let key = DistinctName(kind: mention.kind, text: mention.normal)
            if let slot = slots[key] { return slot }
            slots[key] = distinct.count
            distinct.append(Name.of(mention))
            firstMention.append(index)
            return distinct.count - 1
        }
        let assigned = assignDistinct(distinct)
        let byName = assigned.map { assignment in
            var assignment = assignment
            assignment.group = firstMention[assignment.group]
            return assignment
        }
        let assignments = slotOf.map { byName[$0] }
        // The names the mentions have after grouping: a corrected normal ("Медведева" for
        // "Медведев") may be another slot's name, so those are merged, the first slot keeping it.
        guard assigned.indices.contains(where: { !assigned[$0].normal.utf8.elementsEqual(distinct[$0].normal.utf8) }) else {
            return Grouped(assignments: assignments, names: distinct, firstMention: firstMention, byName: byName)
        }
        var seen: Set<DistinctName> = []
        var names: [Name] = []
        var firsts: [Int] = []
        for slot in distinct.indices {
            let normal = assigned[slot].normal
            guard seen.insert(DistinctName(kind: distinct[slot].kind, text: normal)).inserted else { continue }
            names.append(
                normal.utf8.elementsEqual(distinct[slot].normal.utf8)
                    ? distinct[slot] : Name.of(Mention(kind: distinct[slot].kind, normal: normal)))
            firsts.append(firstMention[slot])
        }
        return Grouped(assignments: assignments, names: names, firstMention: firsts, byName: nil)
    }

    /// The assignments of `mentions` (a headline's) as `assign` gives them over the mentions of
    /// `earlier` with their corrected normals followed by `mentions`; a group is the index of its
    /// first mention in that joined list.
    public static func assign(_ mentions: [Mention], after earlier: Grouped) -> [Assignment] {
        let offset = earlier.assignments.count
        var names = earlier.names
        var firstMention = earlier.firstMention
        let slotOf = mentions.enumerated().map { index, mention in
            if let slot = names.firstIndex(where: { $0.kind == mention.kind && $0.normal.utf8.elementsEqual(mention.normal.utf8) }) {
                return slot
            }
            names.append(Name.of(mention))
            firstMention.append(offset + index)
            return names.count - 1
        }
        // Names the text has, as it has them: their groups are the text's.
        if names.count == earlier.names.count, let byName = earlier.byName { return slotOf.map { byName[$0] } }
        let assigned = assignDistinct(names)
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

    /// What the rules read of one distinct name, worked out once.
    struct Name: Sendable {
        let kind: NameNormalizer.Kind
        let normal: String
        let folded: String
        /// Split into first name and surname: persons only.
        let person: PersonName
        let capitalised: Bool
        /// Organisations and places: the name-variant key of `folded`, and the key of its stem
        /// for a long one-word name.
        let key: String
        /// The keys it is looked up by: its kind's tag and `key`, and for a long one-word name,
        /// the tag, "~" and the key's stem.
        let keys: [String]
        /// Places in lower case: a one-word adjective with "ск" ("японским"), and the place its
        /// stem does not show.
        let isAdjective: Bool
        let adjectivePlace: String?
        /// A capitalised place's key's first four letters, when it has four.
        let keyPrefix: String?
        /// Its different words.
        let words: Int

        /// Names recur across a corpus ("России", "Путин"): their features are worked out once
        /// a run, a table a kind, emptied when full (about 300 bytes a name).
        private static let known = [
            SharedCache<Name>(limit: 20_000), SharedCache<Name>(limit: 20_000), SharedCache<Name>(limit: 20_000),
        ]

        static func of(_ mention: Mention) -> Name {
            let table = known[mention.kind == .person ? 0 : mention.kind == .organisation ? 1 : 2]
            if let name = table[mention.normal] { return name }
            let name = Name(mention)
            table[mention.normal] = name
            return name
        }

        init(_ mention: Mention) {
            kind = mention.kind
            normal = mention.normal
            folded = fold(normal)
            person = kind == .person ? PersonName(normal) : PersonName()
            capitalised = normal.unicodeScalars.first.map(isUppercase) ?? false
            if kind != .person {
                key = NameVariants.canonicalKey(folded)
                let tag = kind == .location ? "L" : "O"
                var keys = [tag + key]
                if key.utf8.count >= 12, !key.utf8.contains(UInt8(ascii: " ")) { keys.append(tag + "~" + stem(key)) }
                self.keys = keys
            } else {
                key = ""
                keys = []
            }
            if kind == .location && !capitalised {
                isAdjective = !folded.utf8.contains(UInt8(ascii: " ")) && folded.contains("ск")
                adjectivePlace = isAdjective ? NameVariants.placeOfAdjective(folded) : nil
            } else {
                isAdjective = false
                adjectivePlace = nil
            }
            keyPrefix = kind == .location && capitalised && key.count >= 4 ? String(key.prefix(4)) : nil
            let spaces = folded.utf8.reduce(0) { $1 == UInt8(ascii: " ") ? $0 + 1 : $0 }
            if spaces >= 2 {
                let parts = folded.split(separator: " ")
                words = parts.indices.filter { i in !parts[..<i].contains { $0.utf8.elementsEqual(parts[i].utf8) } }.count
            } else {
                words = spaces + 1
            }
        }
    }

    private static func assignDistinct(_ mentions: [Name]) -> [Assignment] {
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

        // Organisations and places: the same name, or one of its well-known variants, or a one-word
        // name in another case ("Башинформа" that the dictionary could not decline).
        var placeKeys: [(index: Int, key: String, prefix: String?)] = []
        var keyed: [Int] = []
        var byKey: [DistinctName: Int]? = mentions.count > 48 ? [:] : nil
        for (index, mention) in mentions.enumerated() where mention.kind != .person {
            // Joins the first earlier name that has the key (when the names are few, a scan costs
            // less than hashing; keys are compared as bytes either way).
            for key in mention.keys {
                if byKey != nil {
                    let key = DistinctName(kind: .organisation, text: key)
                    if let first = byKey![key] { join(first, index) } else { byKey![key] = index }
                } else if let first = keyed.first(where: { earlier in mentions[earlier].keys.contains { same($0, key, plain: true) } }) {
                    join(first, index)
                }
            }
            keyed.append(index)
            if mention.kind == .location && mention.capitalised { placeKeys.append((index, mention.key, mention.keyPrefix)) }
        }
        // A place named by its adjective ("японским", "белорусские") joins the place.
        for (index, mention) in mentions.enumerated() where mention.kind == .location && !mention.capitalised {
            guard mention.isAdjective else { continue }
            let word = mention.folded
            let base = mention.adjectivePlace
            let place = placeKeys.first { place in
                base.map { $0 == place.key } ?? (place.prefix.map { word.startsWith($0) } ?? false)
            }
            if let place { join(place.index, index) }
        }

        // Persons named with two words or more: the same surname and compatible first names.
        let names = mentions.map(\.person)
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
            guard names[index].surname != nil else { continue }
            if let target = full.first(where: { names[$0].surnameMatches(names[index]) }) {
                join(target, index)
                // A surname that is his in one reading and hers in another takes the full name's;
                // so does one the dictionary could not decline ("Шеферу" beside "Томас Шефер").
                let plain = names[target].plain && names[index].plain
                if let surname = names[target].surname, let key = names[target].surnameKey, let own = names[index].surnameKey,
                    !same(key, own, plain: plain), names[index].isOnlyWord,
                    sameWithA(key, own, plain: plain) || sameWithA(own, key, plain: plain) || key.utf8.count < own.utf8.count
                {
                    normals[index] = casing(surname, like: mentions[index].normal)
                }
                continue
            }
            // Its surname key (never nil here) is the word folded.
            let key = names[index].surnameKey!
            let plain = names[index].plain
            if let earlier = people.first(where: { other in
                other < index && names[other].first == nil
                    && names[other].surnameKey.map { same($0, key, plain: plain && names[other].plain) } == true
            }) {
                join(earlier, index)
                continue
            }
            let byFirst = full.filter { other in names[other].firstKey.map { same($0, key, plain: plain && names[other].plain) } == true }
            if let only = byFirst.first, Set(byFirst.map(root)).count == 1 { join(only, index) }
        }

        // The canonical name: the one with the most different words, the first of those (a
        // word written twice by mistake, "Максим Дадашев Дадашев", makes no fuller name).
        var canonical = [Int](repeating: -1, count: mentions.count)
        for index in mentions.indices {
            let group = root(index)
            let best = canonical[group]
            if best < 0 || mentions[index].words > mentions[best].words { canonical[group] = index }
        }
        return mentions.indices.map { index in
            let group = root(index)
            return Assignment(group: group, canonical: normals[canonical[group]], normal: normals[index])
        }
    }

    /// A word without its case ending, to match forms the dictionary could not decline.
    static func stem(_ folded: String) -> String {
        var text = folded
        let stemmed: String? = text.withUTF8 { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            for ending in stemEndings where count > ending.count + 2 && bytes.count >= ending.bytes.count {
                let cut = bytes.count - ending.bytes.count
                guard ending.bytes.indices.allSatisfy({ bytes[cut + $0] == ending.bytes[$0] }) else { continue }
                // The ending starts with a lead byte: the cut is between two scalars.
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<cut]), as: UTF8.self)
            }
            return nil
        }
        return stemmed ?? folded
    }

    private static let stemEndings: [(bytes: [UInt8], count: Int)] =
        ["ами", "ями", "ого", "ому", "ом", "ем", "ой", "ей", "ым", "им", "ах", "ях", "а", "я", "у", "ю", "е", "ы", "и", "о"]
        .map { (Array($0.utf8), $0.unicodeScalars.count) }

    /// Lower case, ё as е, letters and digits only, the runs between them one space; quotes are
    /// no separators.
    static func fold(_ text: String) -> String {
        foldRussian(text) ?? foldScalars(text)
    }

    /// `fold` scalar by scalar: for text that is not plain Russian, and the byte path's oracle.
    static func foldScalars(_ text: String) -> String {
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

    /// `fold` on the UTF-8 bytes of a text in ASCII, Russian letters (U+0400–U+045F), « and »;
    /// nil for any other text. Its result is plain (`isPlain`).
    private static func foldRussian(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var space = false
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80 {
                    i += 1
                    switch byte {
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"):
                        if space && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                        space = false
                        out.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
                    case UInt8(ascii: "\""): break
                    default: space = true
                    }
                    continue
                }
                guard i + 1 < bytes.count else { return nil }
                let next = bytes[i + 1]
                i += 2
                var scalar: UInt32
                switch (byte, next) {
                case (0xC2, 0xAB), (0xC2, 0xBB): continue  // « »
                case (0xD0, 0x80...0xBF): scalar = 0x400 + UInt32(next - 0x80)
                case (0xD1, 0x80...0x9F): scalar = 0x440 + UInt32(next - 0x80)
                default: return nil
                }
                // Lower case as `lowercase` gives it, then ё as е.
                if scalar < 0x410 { scalar += 80 } else if scalar < 0x430 { scalar += 32 }
                if scalar == 0x451 { scalar = 0x435 }
                if space && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                space = false
                if scalar < 0x440 {
                    out.append(0xD0)
                    out.append(UInt8(0x80 + scalar - 0x400))
                } else {
                    out.append(0xD1)
                    out.append(UInt8(0x80 + scalar - 0x440))
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// In ASCII and Russian letters (U+0400–U+045F) only: text in Unicode NFC that has no
    /// combining marks, so that two such texts are equal as strings exactly when their bytes are.
    static func isPlain(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80 {
                    i += 1
                    continue
                }
                guard i + 1 < bytes.count else { return false }
                let next = bytes[i + 1]
                guard byte == 0xD0 || (byte == 0xD1 && next <= 0x9F) else { return false }
                i += 2
            }
            return true
        }
    }

    /// `a == b` for texts that are both plain when `plain`, by their bytes.
    @inline(__always)
    static func same(_ a: String, _ b: String, plain: Bool) -> Bool {
        if a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) { return true }
        return !plain && a == b
    }

    /// `a + "а" == b` for texts that are both plain when `plain`, by their bytes.
    @inline(__always)
    static func sameWithA(_ a: String, _ b: String, plain: Bool) -> Bool {
        guard plain else { return a + "а" == b }
        return b.utf8.count == a.utf8.count + 2 && b.utf8.starts(with: a.utf8) && b.endsWith("а")
    }

    private static func casing(_ form: String, like original: String) -> String {
        NameWords.Word.casing(form, like: original)
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
        /// The first name is one letter (an initial).
        var firstIsInitial = false
        /// The keys are plain (`isPlain`): compared by their bytes.
        var plain = true

        init() {
            isOnlyWord = false
        }

        init(_ normal: String) {
            // The words: runs of letters and hyphens.
            let scalars = normal.unicodeScalars
            var firstWord: Range<String.Index>?
            var lastWord: Range<String.Index>?
            var count = 0
            var start: String.Index?
            var i = scalars.startIndex
            while i < scalars.endIndex {
                let scalar = scalars[i]
                if isLetter(scalar) || scalar == "-" {
                    if start == nil { start = i }
                } else if let begun = start {
                    if firstWord == nil { firstWord = begun..<i }
                    lastWord = begun..<i
                    count += 1
                    start = nil
                }
                i = scalars.index(after: i)
            }
            if let begun = start {
                if firstWord == nil { firstWord = begun..<scalars.endIndex }
                lastWord = begun..<scalars.endIndex
                count += 1
            }
            isOnlyWord = count == 1
            if let lastWord, scalars[lastWord].count > 1 { surname = String(scalars[lastWord]) }
            if count >= 2, let firstWord { first = String(scalars[firstWord]) }
            firstKey = first.map(NameGroups.fold)
            surnameKey = surname.map(NameGroups.fold)
            surnameStem = surnameKey.map(NameGroups.stem)
            firstIsInitial = firstKey.map { $0.count == 1 } ?? false
            plain = (firstKey.map(NameGroups.isPlain) ?? true) && (surnameKey.map(NameGroups.isPlain) ?? true)
        }

        /// Equal first names, or an initial and a name it starts.
        func compatibleFirst(with other: PersonName) -> Bool {
            guard let a = firstKey, let b = other.firstKey else { return true }
            if NameGroups.same(a, b, plain: plain && other.plain) { return true }
            if firstIsInitial { return b.startsWith(a) }
            if other.firstIsInitial { return a.startsWith(b) }
            return false
        }

        /// The other's surname is this one, its other-gender form ("Медведева" / "Медведев") or a
        /// form the dictionary could not decline ("Шеферу").
        func surnameMatches(_ other: PersonName) -> Bool {
            guard let a = surnameKey, let b = other.surnameKey, let stem = surnameStem, let otherStem = other.surnameStem else {
                return false
            }
            let plain = plain && other.plain
            return NameGroups.same(a, b, plain: plain) || NameGroups.same(stem, otherStem, plain: plain)
                || NameGroups.sameWithA(a, b, plain: plain) || NameGroups.sameWithA(b, a, plain: plain)
        }
    }
}
