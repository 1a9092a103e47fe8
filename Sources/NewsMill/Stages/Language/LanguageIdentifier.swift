import Foundation

/// Language identification with a character 1-3-gram naive Bayes model of ten languages
/// (ru, uk, be, kk, sr, en, de, fr, es, pl), built by Scripts/langid/make-model.py from real
/// sentences. Letters are lowercased, everything else is a word break; n-grams are hashed into
/// buckets exactly as the generator hashes them.
public enum LanguageIdentifier {
    public struct Result: Sendable, Equatable {
        /// ISO 639-1 code, or "und" when the text is too short or too ambiguous to tell.
        public var language: String
        /// Posterior probability of `language` (of the best language when "und").
        public var confidence: Double
    }

    /// Characters read: a news text says its language in its first few hundred letters.
    static let maxCharacters = 400
    static let minimumLetters = 3
    static let minimumConfidence = 0.5

    private static let table: [UInt8] = {
        Array(Data(base64Encoded: LanguageTables.logProbabilities, options: .ignoreUnknownCharacters) ?? Data())
    }()

    /// Identifies the language of `parts` read in order (e.g. title, then text), up to
    /// `maxCharacters` scalars in all.
    public static func identify(_ parts: String...) -> Result {
        let languages = LanguageTables.languages
        // The scorer keeps one running sum per language in registers: ten of them.
        guard languages.count == 10, table.count == LanguageTables.buckets * 10 else { return Result(language: "und", confidence: 0) }
        var scorer = Scorer()
        table.withUnsafeBufferPointer { table in
            var previousWasSpace = true
            var read = 0
            reading: for part in parts {
                for scalar in part.unicodeScalars {
                    read += 1
                    if read > maxCharacters { break reading }
                    let v = scalar.value
                    if (0x61...0x7A).contains(v) || (0x430...0x44F).contains(v) {
                        scorer.add(scalar, table)
                    } else if (0x41...0x5A).contains(v) || (0x410...0x42F).contains(v) {
                        scorer.add(Unicode.Scalar(v + 0x20)!, table)
                    } else if (0x450...0x45F).contains(v) {
                        scorer.add(scalar, table)
                    } else if (0x400...0x40F).contains(v) {
                        scorer.add(Unicode.Scalar(v + 0x50)!, table)
                    } else if v < 0x80 && !(0x41...0x7A).contains(v) || v == 0xA0 || v == 0xAB || v == 0xBB || (0x2010...0x2027).contains(v)
                    {
                        if !previousWasSpace { scorer.add(" ", table) }
                        previousWasSpace = true
                        continue
                    } else {
                        switch scalar.properties.generalCategory {
                        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                            for lower in scalar.properties.lowercaseMapping.unicodeScalars { scorer.add(lower, table) }
                        default:
                            if !previousWasSpace { scorer.add(" ", table) }
                            previousWasSpace = true
                            continue
                        }
                    }
                    scorer.letters += 1
                    previousWasSpace = false
                }
                // Parts are separate: a break between them.
                if !previousWasSpace { scorer.add(" ", table) }
                previousWasSpace = true
            }
            if !previousWasSpace { scorer.add(" ", table) }
        }
        scorer.flush()
        guard scorer.letters >= minimumLetters, scorer.grams > 0 else { return Result(language: "und", confidence: 0) }
        // Stored values are ln p x scale + 128 per n-gram.
        let scores = (0..<languages.count).map { scorer.score($0) - 128 * scorer.grams }
        // Naive Bayes sums are overconfident: temper them by the square root of the evidence.
        let temperature = LanguageTables.scale * Double(scorer.grams).squareRoot() / 4
        let best = scores.max()!
        let weights = scores.map { exp(Double($0 - best) / temperature) }
        let top = scores.firstIndex(of: best)!
        let confidence = weights[top] / weights.reduce(0, +)
        return Result(language: confidence >= minimumConfidence ? languages[top] : "und", confidence: confidence)
    }

    /// Sums the n-gram log-probabilities of every language; a plain struct, so the hot loop
    /// works on registers, not on captured boxes. FNV-1a runs left to right, so the hashes of
    /// the 2- and 3-grams ending here continue the 1- and 2-gram hashes of the step before.
    private struct Scorer {
        static let seed: UInt32 = 0x811C_9DC5
        // Hashes of the 1- and 2-gram ending at the previous character (nil: none, or spaces only).
        var previous1: UInt32 = Scorer.step(Scorer.seed, 0x20, 1)
        var previous2: UInt32?
        var previousWasSpace = true
        var previous2AllSpace = true
        var grams = 0
        var letters = 0
        var scores: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        // A table row is ten bytes, one per language. They are summed in 16-bit lanes: even
        // languages 0-6 in `even`, odd 1-7 in `odd`, 8 and 9 in `last` (little-endian loads), and
        // moved into `scores` every 255 rows, before a lane could overflow.
        var even: UInt64 = 0
        var odd: UInt64 = 0
        var last: UInt32 = 0
        var pending = 0

        func score(_ l: Int) -> Int {
            withUnsafeBytes(of: scores) { $0.load(fromByteOffset: l * MemoryLayout<Int>.stride, as: Int.self) }
        }

        @inline(__always)
        static func step(_ start: UInt32, _ packed: UInt32, _ width: Int) -> UInt32 {
            var h = start
            var v = packed
            for _ in 0..<width {
                h = (h ^ (v & 0xFF)) &* 0x0100_0193
                v >>= 8
            }
            return h
        }

        @inline(__always)
        private mutating func count(_ h: UInt32, _ table: UnsafeBufferPointer<UInt8>) {
            let row = Int(h & UInt32(LanguageTables.buckets - 1)) * 10
            let raw = UnsafeRawPointer(table.baseAddress!)
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: row, as: UInt64.self))
            let y = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: row + 8, as: UInt16.self))
            even &+= x & 0x00FF_00FF_00FF_00FF
            odd &+= (x >> 8) & 0x00FF_00FF_00FF_00FF
            last &+= UInt32(y & 0xFF) | UInt32(y >> 8) << 16
            grams += 1
            pending += 1
            if pending == 255 { flush() }
        }

        mutating func flush() {
            func lane(_ v: UInt64, _ k: UInt64) -> Int { Int((v >> (16 * k)) & 0xFFFF) }
            scores.0 += lane(even, 0); scores.2 += lane(even, 1); scores.4 += lane(even, 2); scores.6 += lane(even, 3)
            scores.1 += lane(odd, 0); scores.3 += lane(odd, 1); scores.5 += lane(odd, 2); scores.7 += lane(odd, 3)
            scores.8 += Int(last & 0xFFFF); scores.9 += Int(last >> 16)
            even = 0; odd = 0; last = 0; pending = 0
        }

        mutating func add(_ scalar: Unicode.Scalar, _ table: UnsafeBufferPointer<UInt8>) {
            let v = scalar.value
            let packed: UInt32
            let width: Int
            if v < 0x80 {
                (packed, width) = (v, 1)
            } else if v < 0x800 {
                (packed, width) = ((0xC0 | v >> 6) | (0x80 | v & 0x3F) << 8, 2)
            } else if v < 0x10000 {
                (packed, width) = ((0xE0 | v >> 12) | (0x80 | v >> 6 & 0x3F) << 8 | (0x80 | v & 0x3F) << 16, 3)
            } else {
                (packed, width) = (
                    (0xF0 | v >> 18) | (0x80 | v >> 12 & 0x3F) << 8 | (0x80 | v >> 6 & 0x3F) << 16 | (0x80 | v & 0x3F) << 24, 4
                )
            }
            let isSpace = v == 0x20
            let h1 = Self.step(Self.seed, packed, width)
            let h2 = Self.step(previous1, packed, width)
            let h3 = previous2.map { Self.step($0, packed, width) }
            // Grams of spaces only are skipped, as in the generator.
            if !isSpace { count(h1, table) }
            if !(isSpace && previousWasSpace) { count(h2, table) }
            if let h3, !(isSpace && previous2AllSpace) { count(h3, table) }
            previous2 = h2
            previous2AllSpace = isSpace && previousWasSpace
            previous1 = h1
            previousWasSpace = isSpace
        }
    }
}
