import Foundation
import Testing

@testable import NewsMill

/// The normalizer reads eight bytes at a time, skips the NFC check when its scan saw only safe
/// scalars and makes its String without validating it again. These tests hold it to its rules
/// written the plain way, one scalar at a time, on generated texts of the characters where the
/// fast paths could go wrong, at every alignment to the eight-byte words.
@Suite struct NormalizeFastPathTests {
    /// What `TextNormalizer` promises, one scalar at a time.
    static func reference(_ text: String, _ options: TextNormalizer) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let endsInSpace = cleaned.last == " "
            if options.removeInvisible {
                let control = (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F
                let c1 = (0x80...0x9F).contains(v) && !(v == 0x85 && options.unifyLineBreaks)
                let invisible = v == 0xAD || (0x200B...0x200D).contains(v) || v == 0x2060 || v == 0xFEFF
                if control || c1 || invisible { continue }
            }
            if options.unifySpaces {
                if v == 0x20 && endsInSpace { continue }
                let spaceLike = v == 0x09 || v == 0xA0 || (0x2000...0x200A).contains(v) || v == 0x202F || v == 0x205F || v == 0x3000
                if spaceLike {
                    if !endsInSpace { cleaned.append(" ") }
                    continue
                }
            }
            cleaned.append(scalar)
        }
        var lines: [String.UnicodeScalarView] = [String.UnicodeScalarView()]
        var scalars = Array(cleaned)[...]
        while let scalar = scalars.popFirst() {
            let v = scalar.value
            let isBreak = v == 0x0A || (options.unifyLineBreaks && [0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].contains(v))
            if !isBreak {
                lines[lines.count - 1].append(scalar)
                continue
            }
            if v == 0x0D && options.unifyLineBreaks && scalars.first == "\n" { scalars.removeFirst() }
            lines.append(String.UnicodeScalarView())
        }
        if options.trimLines {
            let blank: (Unicode.Scalar) -> Bool = { [0x20, 0x09, 0xA0, 0x3000].contains($0.value) }
            lines = lines.map { line in
                let kept = line.drop(while: blank).reversed().drop(while: blank).reversed()
                return String.UnicodeScalarView(kept)
            }
            lines.removeAll { $0.isEmpty }
        }
        let joined = lines.map { String($0) }.joined(separator: "\n")
        return options.nfc ? joined.precomposedStringWithCanonicalMapping : joined
    }

    /// Pieces where a byte pass could slip: ASCII and Cyrillic runs, every blank, break, control
    /// and invisible character the passes know, marks just outside their byte ranges, combining
    /// marks (and what they compose with), Latin-1 letters, CJK, Hebrew and emoji.
    static let pieces = [
        "а", "Привет", "мир", "ё", "й", "a", "text", " ", " ", "  ", "\u{A0}", "\u{3000}", "\t", "\n", "\n\n", "\r", "\r\n",
        "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\u{00}", "\u{07}", "\u{7F}", "\u{9F}", "\u{AD}", "\u{200B}",
        "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{2000}", "\u{2009}", "\u{200A}", "\u{202F}", "\u{205F}", "\u{2010}", "—", "–",
        "«", "»", "„", "“", "”", "…", "№", "\u{2070}", "\u{2100}", "\u{0301}", "\u{0306}", "И\u{0306}", "e\u{0301}", "é", "Å",
        "ґ", "ї", "\u{04E6}", "\u{0500}", "中", "ה", "😀", "\"", "-", " - ", "&", "\u{C0}",
    ]

    static func texts(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            // SplitMix64: the same texts on every run.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        return (0..<count).map { _ in
            // Mostly long clean runs with a mark now and then, as in news text, sometimes dense.
            let dense = next() % 3 == 0
            return (0..<(next() % 40)).map { _ in dense || next() % 4 == 0 ? pieces[next() % pieces.count] : "Привет мир " }.joined()
        }
    }

    static let optionSets: [TextNormalizer] = [
        TextNormalizer(),
        TextNormalizer(removeInvisible: false, unifySpaces: false),  // foundation.yaml
        TextNormalizer(nfc: false, unifyLineBreaks: false, trimLines: false),
        TextNormalizer(unifyLineBreaks: false, removeInvisible: false),
        TextNormalizer(trimLines: false, unifySpaces: false),
    ]

    @Test(arguments: 0..<optionSets.count)
    func bytePassesFollowTheRulesAtEveryAlignment(options index: Int) {
        let options = Self.optionSets[index]
        for text in Self.texts(count: 600, seed: UInt64(index)) {
            // Leading ASCII letters shift the text against the eight-byte words without changing its lines.
            for shift in 0..<8 {
                let shifted = String(repeating: "x", count: shift) + text
                let result = options.normalize(shifted)
                let expected = Self.reference(shifted, options)
                #expect(result == expected, "\(Array(shifted.unicodeScalars.map(\.value)))")
                #expect(Array(result.utf8) == Array(expected.utf8))
            }
        }
    }

    /// The scan's "surely NFC" may only be said of text that NFC leaves as it is.
    @Test func surelyNFCIsNeverSaidOfTextNFCWouldChange() {
        let options = TextNormalizer(removeInvisible: false, unifySpaces: false)
        var surely = 0
        for text in Self.texts(count: 3000, seed: 99) {
            var text = text
            let cleaned = text.withUTF8 { options.cleanedBytes($0) }
            guard cleaned.surelyNFC else { continue }
            surely += 1
            let result = cleaned.bytes.map { String(decoding: $0, as: UTF8.self) } ?? text
            #expect(Array(result.precomposedStringWithCanonicalMapping.utf8) == Array(result.utf8))
            #expect(TextNormalizer.isNFC(result))
        }
        #expect(surely > 100)
    }

    @Test func eightByteTestsMarkExactlyTheirBytes() {
        for b in 0...255 {
            let byte = UInt8(b)
            for position in 0..<8 {
                var word = [UInt8](repeating: 0x41, count: 8)
                word[position] = byte
                let x = word.withUnsafeBufferPointer { ByteScan.load($0, 0) }
                let bit: UInt64 = 0x80 << (8 * UInt64(position))
                #expect((ByteScan.below(x, 0x0E) == bit) == (byte < 0x0E))
                #expect((ByteScan.below(x, 0x20) == bit) == (byte < 0x20))
                #expect((ByteScan.equal(x, 0x22) == bit) == (byte == 0x22))
                #expect((ByteScan.leadsOutsideCyrillic(x) == bit) == (byte >= 0xC0 && byte != 0xD0 && byte != 0xD1))
            }
        }
    }

    @Test func stageKeepsTheResultOfThePlainPasses() {
        // Whole texts through the stage: what the plain rules, then typography, then NFC make.
        let stage = NormalizeStage(repairMojibake: false)
        let plain = TextNormalizer(nfc: false)
        let typography = Typography(htmlEntities: false)
        for text in Self.texts(count: 400, seed: 7) {
            var document = Document(
                origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: text)
            _ = stage.process(&document)
            let expected = typography.apply(Self.reference(HTMLEntities.decode(text), plain)).precomposedStringWithCanonicalMapping
            #expect(document.text == expected)
        }
    }

    /// Line breaks in front reset typography's paragraph state, so they may move the text against
    /// the eight-byte words but change nothing else.
    @Test func typographyIsTheSameAtEveryAlignment() {
        let typography = Typography(htmlEntities: false)
        for text in Self.texts(count: 600, seed: 11) {
            let alone = typography.apply(text)
            for shift in 1..<9 {
                let breaks = String(repeating: "\n", count: shift)
                #expect(typography.apply(breaks + text) == breaks + alone)
            }
        }
    }
}
