import ArchiveIO
import Glibc
import NewsMillCore

/// OpenCorpora's Russian dictionary (391k lexemes) as pymorphy2 compiles it, read straight from
/// the pymorphy2-dicts-ru wheel: every form of a word with its grammemes, and its other forms.
/// A word the dictionary lacks is parsed by analogy with the words that end as it does, from the
/// wheel's table of endings, as pymorphy2 does.
public final class RussianDictionary: Sendable {
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// The wheel as `Scripts/install-models.sh` fetches it.
    public static let wheelFile = "pymorphy2_dicts_ru-2.4.417127.4579844-py2.py3-none-any.whl"

    public let grammemes: GrammemeNames
    private let words: DAWG
    private let endings: DAWG
    /// P(tag | word) × 10⁶ for the words of OpenCorpora's annotated corpus: which reading of an
    /// ambiguous word is the usual one ("море" is the sea, not the plague "мор").
    private let tagOdds: DAWG
    private let tagNames: [String]
    /// Per paradigm: n suffix ids, n tag ids, n prefix ids.
    private let paradigms: [[UInt16]]
    private let suffixes: [[Unicode.Scalar]]
    private let prefixes: [[Unicode.Scalar]]
    private let tags: [Grammemes]
    /// Parts of speech a guessed word may have: pymorphy2's productive classes that names use.
    private let guessable: Grammemes

    public init(wheel path: String) throws(Failure) {
        let folder = "pymorphy2_dicts_ru/data/"
        let members: [String: [UInt8]]
        do {
            members = try PackedFiles.members(of: path)
        } catch {
            throw Failure(message: error.message)
        }
        func member(_ name: String) throws(Failure) -> [UInt8] {
            guard let bytes = members[folder + name] else { throw Failure(message: "\(path) has no \(folder + name)") }
            return bytes
        }
        func strings(_ name: String) throws(Failure) -> [String] {
            guard case .array(let items)? = try? JSONParser.parse(try member(name)) else {
                throw Failure(message: "\(name) is not a JSON array")
            }
            return items.map { $0.string ?? "" }
        }
        func dawg(_ name: String) throws(Failure) -> DAWG {
            let bytes = try member(name)
            do {
                return try DAWG(bytes: bytes, name: name)
            } catch {
                throw Failure(message: error.message)
            }
        }
        words = try dawg("words.dawg")
        endings = try dawg("prediction-suffixes-0.dawg")
        tagOdds = try dawg("p_t_given_w.intdawg")
        let tagNames = try strings("gramtab-opencorpora-int.json")
        self.tagNames = tagNames
        let split = tagNames.map { $0.split(whereSeparator: { $0 == "," || $0 == " " }) }
        let names = GrammemeNames(names: split.flatMap { $0.map(String.init) })
        grammemes = names
        tags = split.map { names.set($0) }
        suffixes = try strings("suffixes.json").map { Array($0.unicodeScalars) }
        // pymorphy2 2.4 dictionaries are compiled with these paradigm prefixes (meta.json).
        prefixes = ["", "по", "наи"].map { Array($0.unicodeScalars) }
        paradigms = try Self.paradigms(try member("paradigms.array"))
        guessable = names["NOUN"].union(names["ADJF"])
        for paradigm in paradigms where paradigm.count % 3 != 0 {
            throw Failure(message: "paradigms.array: a paradigm of \(paradigm.count) numbers")
        }
    }

    private static func paradigms(_ bytes: [UInt8]) throws(Failure) -> [[UInt16]] {
        var position = 0
        func next() throws(Failure) -> UInt16 {
            guard position + 2 <= bytes.count else { throw Failure(message: "paradigms.array ends early") }
            defer { position += 2 }
            return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
        }
        let count = Int(try next())
        var paradigms: [[UInt16]] = []
        paradigms.reserveCapacity(count)
        for _ in 0..<count {
            let length = Int(try next())
            var paradigm: [UInt16] = []
            paradigm.reserveCapacity(length)
            for _ in 0..<length { paradigm.append(try next()) }
            paradigms.append(paradigm)
        }
        return paradigms
    }

    /// Names and the words around them repeat across a corpus: readings are looked up once.
    private let cache = SharedCache<[WordParse]>(limit: 100_000)

    /// Every reading of `word` (any letter case): the dictionary's, else guesses by its ending.
    public func parses(of word: String) -> [WordParse] {
        if let cached = cache[word] { return cached }
        let found = lookUp(word)
        cache[word] = found
        return found
    }

    private func lookUp(_ word: String) -> [WordParse] {
        let lower = Array(word.lowercased().unicodeScalars)
        var found: [WordParse] = []
        for record in words.records(for: lower) where record.payload.count == 4 {
            let paradigm = Int(record.payload[0]) << 8 | Int(record.payload[1])
            let form = Int(record.payload[2]) << 8 | Int(record.payload[3])
            if let parse = parse(lower, paradigm: paradigm, form: form, predicted: false) { found.append(parse) }
        }
        guard found.count > 1 else { return found.isEmpty ? guesses(lower) : found }
        // The usual reading first, as pymorphy2 orders them; the dictionary's order otherwise.
        let prefix = Array(word.lowercased().utf8) + [UInt8(ascii: ":")]
        let odds = found.map { tagOdds.integer(for: prefix + Array(tagNames[$0.tagIndex].utf8)) ?? 0 }
        return found.indices.sorted { odds[$0] != odds[$1] ? odds[$0] > odds[$1] : $0 < $1 }.map { found[$0] }
    }

    /// Readings by analogy: the longest ending (up to five letters, leaving at least two) that
    /// words of a productive class share with `word`, most frequent first.
    private func guesses(_ word: [Unicode.Scalar]) -> [WordParse] {
        guard word.count >= 3, word.allSatisfy({ ("а"..."я").contains($0) || $0 == "ё" }) else { return [] }
        for length in stride(from: min(5, word.count - 2), through: 1, by: -1) {
            var counted: [(count: Int, parse: WordParse)] = []
            for record in endings.records(for: Array(word.suffix(length))) where record.payload.count == 6 {
                let count = Int(record.payload[0]) << 8 | Int(record.payload[1])
                let paradigm = Int(record.payload[2]) << 8 | Int(record.payload[3])
                let form = Int(record.payload[4]) << 8 | Int(record.payload[5])
                guard let parse = parse(word, paradigm: paradigm, form: form, predicted: true),
                    parse.tag.intersects(guessable)
                else { continue }
                counted.append((count, parse))
            }
            if !counted.isEmpty { return counted.sorted { $0.count > $1.count }.map(\.parse) }
        }
        return []
    }

    private func parse(_ word: [Unicode.Scalar], paradigm: Int, form: Int, predicted: Bool) -> WordParse? {
        guard paradigm < paradigms.count else { return nil }
        let numbers = paradigms[paradigm]
        let n = numbers.count / 3
        guard form < n else { return nil }
        let suffix = suffixes[Int(numbers[form])]
        let prefix = prefixes[Int(numbers[2 * n + form])]
        guard word.count >= prefix.count + suffix.count,
            zip(word.suffix(suffix.count), suffix).allSatisfy({ $0 == $1 || ($0 == "е" && $1 == "ё") })
        else { return nil }
        let stem = Array(word[prefix.count..<(word.count - suffix.count)])
        let tagIndex = Int(numbers[n + form])
        return WordParse(
            tag: tags[tagIndex], tagIndex: tagIndex, paradigm: paradigm, form: form, word: word, stem: stem, predicted: predicted)
    }

    /// The tag of every form of the lexeme `parse` belongs to.
    public func formTags(of parse: WordParse) -> [Grammemes] {
        let numbers = paradigms[parse.paradigm]
        let n = numbers.count / 3
        return (0..<n).map { tags[Int(numbers[n + $0])] }
    }

    /// The form of the lexeme whose tag holds all of `wanted`, closest to the parsed form in the
    /// rest of its grammemes (number, gender, animacy), lower-case; nil when the lexeme has none.
    public func inflect(_ parse: WordParse, to wanted: Grammemes, like: Grammemes? = nil) -> String? {
        let numbers = paradigms[parse.paradigm]
        let n = numbers.count / 3
        let reference = like ?? parse.tag
        // Among equally close forms, the one spelt most like the parsed form ("высшая", not
        // "высочайшая", for "высшей").
        let current = suffixes[Int(numbers[parse.form])]
        var best: (form: Int, shared: Int, spelling: Int)?
        for form in 0..<n {
            let tag = tags[Int(numbers[n + form])]
            guard tag.contains(wanted) else { continue }
            let shared = tag.intersection(reference).bitCount
            let spelling = zip(suffixes[Int(numbers[form])], current).prefix { $0 == $1 }.count
            if best == nil || shared > best!.shared || (shared == best!.shared && spelling > best!.spelling) {
                best = (form, shared, spelling)
            }
        }
        guard let form = best?.form else { return nil }
        let prefix = prefixes[Int(numbers[2 * n + form])]
        let suffix = suffixes[Int(numbers[form])]
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: prefix)
        scalars.append(contentsOf: parse.stem)
        scalars.append(contentsOf: suffix)
        return String(scalars)
    }

    /// The dictionary form (lemma) of the lexeme.
    public func lemma(_ parse: WordParse) -> String {
        let numbers = paradigms[parse.paradigm]
        let n = numbers.count / 3
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: prefixes[Int(numbers[2 * n])])
        scalars.append(contentsOf: parse.stem)
        scalars.append(contentsOf: suffixes[Int(numbers[0])])
        return String(scalars)
    }
}

/// One reading of a word: its grammemes and where its lexeme's other forms are.
public struct WordParse: Sendable, Equatable {
    public let tag: Grammemes
    let tagIndex: Int
    let paradigm: Int
    let form: Int
    /// The word as parsed, lower-case.
    let word: [Unicode.Scalar]
    /// The word without the form's prefix and ending, as written (lower-case).
    let stem: [Unicode.Scalar]
    /// Guessed from the word's ending: the dictionary does not have it.
    public let predicted: Bool
}

extension Grammemes {
    var bitCount: Int { low.nonzeroBitCount + high.nonzeroBitCount }
}

/// A bounded map from strings to what they cost to work out, shared by the threads of a run.
/// Emptied when full: the keys that matter come back at once.
final class SharedCache<Value: Sendable>: @unchecked Sendable {
    /// Keys compared and hashed as UTF-8 bytes: String's own hashing normalizes non-ASCII text
    /// first, which costs more than the lookups it guards.
    private struct Key: Hashable {
        var text: String

        static func == (a: Key, b: Key) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    private var entries: [Key: Value] = [:]
    private let limit: Int
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    init(limit: Int) {
        self.limit = limit
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    subscript(word: String) -> Value? {
        get {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            return entries[Key(text: word)]
        }
        set {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[Key(text: word)] = newValue
        }
    }
}
