/// UTF-8 text with a few bytes that are not UTF-8: a stray cp1252 apostrophe, cp1251 «» pasted
/// into UTF-8, a multi-byte sequence cut short, a paragraph in cp1251 inside a UTF-8 article.
/// Scraped archives are full of these; decoding the whole text in a legacy charset because of one
/// bad byte would garble every letter, so the text stays UTF-8 and only the bad bytes are repaired.
enum UTF8Repair {
    struct Repaired {
        var text: String
        /// Bytes that were not valid UTF-8, however they were repaired.
        var invalidBytes: Int
        /// The charset long runs of invalid bytes were decoded in, when any were.
        var mixedCharset: Charset?
    }

    /// How the non-ASCII bytes of a text split between valid multi-byte sequences and bytes that
    /// are not UTF-8.
    struct Census {
        /// Valid multi-byte sequences, and the bytes they take.
        var sequences = 0
        var sequenceBytes = 0
        /// Sequences of the Cyrillic block (U+0400–U+04FF: lead bytes 0xD0–0xD3).
        var cyrillic = 0
        var invalidBytes = 0
    }

    /// A run of invalid bytes (with the ASCII between them) needs this many before it may be read as a legacy charset: fewer are
    /// stray or cut bytes, and too few letters to tell a charset by.
    static let minLegacyRun = 8

    /// The unit at `i`: a positive length for a valid sequence (1 for ASCII), or minus the length
    /// of the maximal ill-formed subpart (Unicode 15, 3.9: one U+FFFD each, as WHATWG decoders do).
    @inline(__always)
    static func unit(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = bytes[i]
        if b < 0x80 { return 1 }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return -1
        }
        var k = 1
        while k < length {
            guard i + k < bytes.count else { return -k }
            let c = bytes[i + k]
            if k == 1 ? (c < low || c > high) : (c & 0xC0 != 0x80) { return -k }
            k += 1
        }
        return length
    }

    static func census(_ bytes: UnsafeBufferPointer<UInt8>) -> Census {
        var census = Census()
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let u = unit(bytes, i)
            if u > 0 {
                census.sequences += 1
                census.sequenceBytes += u
                if (0xD0...0xD3).contains(bytes[i]) { census.cyrillic += 1 }
                i += u
            } else {
                census.invalidBytes -= u
                i -= u
            }
        }
        return census
    }

    /// Typographic bytes of cp1251 and cp1252 (0x80–0xBF, not letters) as scalars, 0 for none:
    /// a lone such byte in UTF-8 text is almost always that character pasted from a Windows
    /// editor. Where the two differ (0xB9 № or ¹, 0x88 € or ˆ, 0x80 Ђ or €) Cyrillic text takes cp1251.
    private static let punctuation: (cyrillic: [UInt32], western: [UInt32]) = {
        func table(_ charset: Charset) -> [UInt32] {
            let scalars = charset.byteTable()
            return (0x80...0xBF).map { b in
                let s = scalars[b]
                return s == "\u{FFFD}" || s.properties.isAlphabetic || s.properties.generalCategory == .control ? 0 : s.value
            }
        }
        return (table(.windows1251), table(.windows1252))
    }()

    private struct Run {
        var source: Range<Int>
        var output: Range<Int>
        var invalid: Int
        var absorbed: Int
        var unreadable: Int
    }

    /// Decodes mostly-UTF-8 bytes with the bad ones repaired, in one pass (plus one over the long
    /// runs, if any): a lone cp1251/cp1252 punctuation byte (or two or three together, "…»") becomes
    /// the character it was; a run of at least `minLegacyRun` invalid bytes that reads as text in a
    /// legacy charset is decoded in it; anything else becomes U+FFFD. Nil when the bytes hold no
    /// valid multi-byte sequence, or when more of them would be U+FFFD than a quarter of the valid
    /// UTF-8 and a twentieth of the text: that is not UTF-8 with a few bad bytes.
    static func repair(_ bytes: UnsafeBufferPointer<UInt8>, census: Census) -> Repaired? {
        guard census.sequences > 0, census.invalidBytes > 0 else { return nil }
        let cyrillic = census.cyrillic * 2 >= census.sequences
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4 + 16)
        var runs: [Run] = []
        var open: Run?
        var unreadable = 0
        // Whether the last non-ASCII unit was invalid; the start of the text counts as such.
        var previousInvalid = true
        func close() {
            if let run = open, run.invalid >= minLegacyRun, run.absorbed < run.invalid { runs.append(run) }
            open = nil
        }
        (cyrillic ? punctuation.cyrillic : punctuation.western).withUnsafeBufferPointer { marks in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    out.append(b)
                    i += 1
                    continue
                }
                let u = unit(bytes, i)
                if u > 0 {
                    // A valid sequence whose nearest non-ASCII neighbours on both sides are invalid
                    // bytes (or the ends of the text) is more likely two bytes of a legacy charset
                    // that pair by chance ("Мі", "Её" in cp1251 are valid UTF-8 pairs): it joins the
                    // run, which decides later whether it is legacy text. The look-ahead crosses
                    // ASCII that the loop then reads once more: every byte is read at most twice.
                    var next = i + u
                    while next < bytes.count && bytes[next] < 0x80 { next += 1 }
                    let nextInvalid = next == bytes.count || unit(bytes, next) < 0
                    if previousInvalid && nextInvalid {
                        if open == nil { open = Run(source: i..<i, output: out.count..<out.count, invalid: 0, absorbed: 0, unreadable: 0) }
                        open!.absorbed += u
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + u)]))
                        open!.source = open!.source.lowerBound..<(i + u)
                        open!.output = open!.output.lowerBound..<out.count
                    } else {
                        close()
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + u)]))
                    }
                    previousInvalid = false
                    i += u
                    continue
                }
                // A cluster of adjacent invalid units.
                var j = i
                var lonePunctuation = true
                while j < bytes.count, bytes[j] >= 0x80 {
                    let v = unit(bytes, j)
                    guard v < 0 else { break }
                    if v != -1 || bytes[j] > 0xBF || marks[Int(bytes[j]) - 0x80] == 0 { lonePunctuation = false }
                    j -= v
                }
                if open == nil { open = Run(source: i..<i, output: out.count..<out.count, invalid: 0, absorbed: 0, unreadable: 0) }
                open!.invalid += j - i
                if lonePunctuation && j - i <= 3 {
                    for k in i..<j { appendScalar(marks[Int(bytes[k]) - 0x80], to: &out) }
                } else {
                    var k = i
                    while k < j {
                        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        k -= unit(bytes, k)
                    }
                    open!.unreadable += j - i
                    unreadable += j - i
                }
                open!.source = open!.source.lowerBound..<j
                open!.output = open!.output.lowerBound..<out.count
                previousInvalid = true
                i = j
            }
        }
        close()
        var mixedCharset: Charset?
        if !runs.isEmpty, let legacy = decodeRuns(runs, bytes: bytes, output: &out, unreadable: &unreadable) {
            mixedCharset = legacy
        }
        // Mostly-ASCII text (English with an "é" and a stray byte) has little valid UTF-8 to weigh
        // the junk against: there, a few junk bytes in the whole text are still a few bad bytes.
        guard unreadable * 4 <= census.sequenceBytes || unreadable * 20 <= bytes.count else { return nil }
        return Repaired(text: String(decoding: out, as: UTF8.self), invalidBytes: census.invalidBytes, mixedCharset: mixedCharset)
    }

    private static func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: String(Unicode.Scalar(value)!).utf8)
    }

    /// The long runs are read in one charset, the one the detector finds for all of them together
    /// (one pasted source is one charset, and more letters decide better); each run is replaced
    /// when its legacy reading is plausible text and reads better than its repaired UTF-8.
    /// Returns the charset when at least one run was replaced.
    private static func decodeRuns(_ runs: [Run], bytes: UnsafeBufferPointer<UInt8>, output out: inout [UInt8], unreadable: inout Int)
        -> Charset?
    {
        var joined: [UInt8] = []
        for run in runs {
            joined.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run.source]))
            joined.append(0x0A)
        }
        guard let detection = joined.withUnsafeBufferPointer({ CharsetDetector.detectSingleByte($0) }) else { return nil }
        let table = detection.charset.byteTable()
        var rebuilt: [UInt8] = []
        rebuilt.reserveCapacity(out.count + out.count / 4)
        var copied = 0
        var replaced = false
        for run in runs {
            let legacy = Charset.decode(UnsafeBufferPointer(rebasing: bytes[run.source]), table: table)
            let repaired = String(decoding: out[run.output], as: UTF8.self)
            let score = CharsetDetector.plausibilityTotal(legacy)
            guard score / max(1, legacy.unicodeScalars.count) >= CharsetDetector.plausibilityFloor,
                score > CharsetDetector.plausibilityTotal(repaired)
            else { continue }
            rebuilt.append(contentsOf: out[copied..<run.output.lowerBound])
            rebuilt.append(contentsOf: legacy.utf8)
            copied = run.output.upperBound
            unreadable -= run.unreadable
            replaced = true
        }
        guard replaced else { return nil }
        rebuilt.append(contentsOf: out[copied...])
        out = rebuilt
        return detection.charset
    }
}
