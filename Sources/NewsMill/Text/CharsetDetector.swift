import Foundation

/// Finds the charset of text that is not UTF-8. Every candidate decoding is scored with a
/// character-bigram model of ten languages (Scripts/charset/make-tables.py builds it from real
/// sentences): the decoding whose letter pairs look most like real text wins. Short texts and
/// texts mixing Latin and Cyrillic work, since only pairs that involve a non-ASCII byte decide;
/// when even the best decoding does not look like text, the answer is nil, not garbage.
public enum CharsetDetector {
    public struct Detection: Sendable, Equatable {
        public var charset: Charset
        public var text: String
    }

    // MARK: Single-byte charsets

    private struct Model: Sendable {
        let classCount: Int
        let bigrams: [Int8]
        let classify: @Sendable (Unicode.Scalar) -> UInt8
        /// Per candidate charset: the class of the character each byte decodes to.
        let byteClasses: [[UInt8]]
        let byteTables: [[Unicode.Scalar]]
        /// The class of every scalar below U+2200 (Latin, Cyrillic, general punctuation, №):
        /// `classify` asks Unicode properties, too slow for whole texts.
        let scalarClasses: [UInt8]
    }

    private static let model: Model = {
        let letters = Array(CharsetTables.letters.unicodeScalars)
        let classOf = Dictionary(uniqueKeysWithValues: letters.enumerated().map { ($1.value, UInt8(fixedClasses + $0)) })
        let typography = Set(CharsetTables.typography.unicodeScalars.map(\.value))
        @Sendable func classify(_ scalar: Unicode.Scalar) -> UInt8 {
            let p = scalar.properties
            if p.isWhitespace { return 0 }
            if p.numericType == .decimal { return 1 }
            let lower = p.lowercaseMapping.unicodeScalars
            if lower.count == 1, let c = classOf[lower.first!.value] { return c }
            if scalar.isASCII && !p.isAlphabetic { return 2 }
            if typography.contains(scalar.value) { return 3 }
            if p.isAlphabetic { return 4 }
            return 5
        }
        let raw = Data(base64Encoded: CharsetTables.bigrams, options: .ignoreUnknownCharacters) ?? Data()
        let tables = Charset.singleByteCandidates.map { $0.byteTable() }
        return Model(
            classCount: fixedClasses + letters.count,
            bigrams: raw.map { Int8(bitPattern: $0) },
            classify: classify,
            byteClasses: tables.map { table in table.map(classify) },
            byteTables: tables,
            scalarClasses: (0..<0x2200).map { Unicode.Scalar(UInt32($0)).map(classify) ?? 5 })
    }()

    private static let fixedClasses = 6
    /// Mean joint log-probability (x scale) per character below which a decoding is not text.
    /// Real text in every language of the model scores above -60, random bytes and CJK
    /// encodings below -88.
    static let plausibilityFloor = -80
    /// A small preference for the charsets most news archives actually use.
    private static let prior: [Charset: Int] = [.windows1251: 16, .koi8r: 8, .cp866: 8, .windows1252: 8]

    static func detectSingleByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Detection? {
        let model = model
        guard model.bigrams.count == model.classCount * model.classCount, !bytes.isEmpty else { return nil }
        var best = -1
        var bestScore = Int.min
        model.bigrams.withUnsafeBufferPointer { bigrams in
            for (index, classes) in model.byteClasses.enumerated() {
                classes.withUnsafeBufferPointer { cls in
                    // Pairs of two ASCII bytes decode alike in every candidate: only the others decide.
                    var score = 0
                    var previous: UInt8 = 0x20
                    for b in bytes {
                        if b >= 0x80 || previous >= 0x80 {
                            score += Int(bigrams[Int(cls[Int(previous)]) * model.classCount + Int(cls[Int(b)])])
                        }
                        previous = b
                    }
                    score += prior[Charset.singleByteCandidates[index]] ?? 0
                    if score > bestScore {
                        bestScore = score
                        best = index
                    }
                }
            }
        }
        guard best >= 0 else { return nil }
        // Plausibility over all pairs of the winner: does it read like text at all?
        let classes = model.byteClasses[best]
        var total = 0
        var previous: UInt8 = 0x20
        model.bigrams.withUnsafeBufferPointer { bigrams in
            for b in bytes {
                total += Int(bigrams[Int(classes[Int(previous)]) * model.classCount + Int(classes[Int(b)])])
                previous = b
            }
        }
        guard total / bytes.count >= plausibilityFloor else { return nil }
        var charset = Charset.singleByteCandidates[best]
        if charset == .windows1252 && !bytes.contains(where: { (0x80...0x9F).contains($0) }) { charset = .iso88591 }
        return Detection(charset: charset, text: Charset.decode(bytes, table: model.byteTables[best]))
    }

    /// Summed joint log-probability (x scale) of the character pairs of decoded text: how much it
    /// reads like real text. Mojibake repair compares a text with its repaired form by it.
    static func plausibilityTotal(_ text: String) -> Int {
        let model = model
        var previous: UInt8 = 0
        var total = 0
        var count = 0
        for scalar in text.unicodeScalars {
            let current = scalar.value < model.scalarClasses.count ? model.scalarClasses[Int(scalar.value)] : model.classify(scalar)
            if count > 0 { total += Int(model.bigrams[Int(previous) * model.classCount + Int(current)]) }
            previous = current
            count += 1
        }
        return total
    }

    // MARK: UTF-16 without a byte-order mark

    /// UTF-16 text of European languages has one byte of each pair that is nearly always 0x00
    /// (ASCII, Latin-1) or 0x04 (Cyrillic); which of the two bytes it is tells the byte order.
    static func detectUTF16(_ bytes: UnsafeBufferPointer<UInt8>) -> Detection? {
        guard bytes.count >= 4, bytes.count % 2 == 0 else { return nil }
        var evenHigh = 0
        var oddHigh = 0
        for i in stride(from: 0, to: bytes.count, by: 2) {
            if bytes[i] == 0x00 || bytes[i] == 0x04 { evenHigh += 1 }
            if bytes[i + 1] == 0x00 || bytes[i + 1] == 0x04 { oddHigh += 1 }
        }
        let pairs = bytes.count / 2
        let littleEndian: Bool
        if oddHigh * 10 >= pairs * 9 && evenHigh * 10 <= pairs * 3 {
            littleEndian = true
        } else if evenHigh * 10 >= pairs * 9 && oddHigh * 10 <= pairs * 3 {
            littleEndian = false
        } else {
            return nil
        }
        guard let text = TextDecoding.decodeUTF16Units(bytes, littleEndian: littleEndian),
            !text.unicodeScalars.contains(where: { $0.value == 0 })
        else { return nil }
        return Detection(charset: littleEndian ? .utf16le : .utf16be, text: text)
    }
}
