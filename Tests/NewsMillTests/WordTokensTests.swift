import Testing

@testable import NewsMill

/// The tokenizer the dates, numbers and quotes stages share: what each byte or sequence is, how
/// words are cut in either mode, the keys lexicons are looked up by, and scalar offsets.
@Suite struct WordTokensTests {
    /// One string per token: its text, after "_" when a space comes before it and after "¶"
    /// when a line break does (the first token of the range is after both and gets neither).
    private func cut(_ text: String, _ words: WordTokens.Words = .letters) -> [String] {
        tokens(text, words) { tokens in
            (0..<tokens.count).map { i in
                let t = tokens[i]
                let gap = i == 0 ? "" : t.lineBreak ? "¶" : t.spaced ? "_" : ""
                return gap + tokens.text(i..<(i + 1))
            }
        }
    }

    private func tokens<T>(_ text: String, _ words: WordTokens.Words = .letters, _ read: (WordTokens) -> T) -> T {
        var text = text
        return text.withUTF8 { bytes in
            var tokens = WordTokens(bytes, words: words)
            tokens.append(0..<bytes.count)
            return read(tokens)
        }
    }

    private func kinds(_ text: String, _ words: WordTokens.Words = .letters) -> [WordTokens.Kind] {
        tokens(text, words) { tokens in (0..<tokens.count).map { tokens[$0].kind } }
    }

    private func marks(_ text: String) -> [WordTokens.Mark] {
        tokens(text) { tokens in (0..<tokens.count).map { tokens[$0].mark } }
    }

    // MARK: Spaces and line breaks

    @Test(arguments: [
        " ", "\t", "\u{0B}", "\u{0C}", "\u{A0}", "\u{2002}", "\u{2009}", "\u{200A}", "\u{202F}", "\u{205F}", "\u{3000}",
    ])
    func spacesSeparateAndMakeNoToken(space: String) {
        #expect(cut("23\(space)мая") == ["23", "_мая"])
        #expect(cut("\(space)\(space)мая\(space)") == ["мая"])
    }

    @Test(arguments: ["\n", "\r", "\r\n", "\u{2028}", "\u{2029}"])
    func lineBreaksSeparateLines(lineBreak: String) {
        #expect(cut("23\(lineBreak)мая") == ["23", "¶мая"])
        #expect(tokens("а\(lineBreak)б") { !$0.sameLine(1) && !$0.joined(1) })
    }

    @Test func zeroWidthSpaceAndSoftHyphenAreMarksNotSpaces() {
        #expect(cut("а\u{200B}б") == ["а", "\u{200B}", "б"])
        #expect(cut("а\u{AD}б") == ["а", "\u{AD}", "б"])
        #expect(marks("\u{200B}") == [.other])
    }

    @Test func joinedAndSameLineTellWhatSeparatesTokens() {
        tokens("5,3 млн\nрублей") { t in
            #expect(t.joined(1) && t.joined(2) && !t.joined(3) && !t.joined(4))
            #expect(t.sameLine(3) && !t.sameLine(4))
            #expect(!t.joined(0) && !t.sameLine(0) && !t.joined(5))
        }
    }

    @Test func linesLeaveOutTheirLineFeeds() {
        var text = "а\n\nбв\n"
        let lines = text.withUTF8 { WordTokens($0, words: .letters).lines }
        #expect(lines == [0..<2, 3..<3, 4..<8])
        var empty = ""
        #expect(empty.withUTF8 { WordTokens($0, words: .letters).lines }.isEmpty)
    }

    @Test func linesOfEveryLengthAreFound() {
        // Past its first 16 bytes a line is scanned by memchr: lines of every length around that.
        var text = ""
        for length in 0..<60 { text += String(repeating: length % 3 == 0 ? "я" : "a", count: length) + "\n" }
        text += "без перевода строки в конце"
        var expected: [Range<Int>] = []
        var start = 0
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            expected.append(start..<(start + line.count))
            start += line.count + 1
        }
        #expect(text.withUTF8 { WordTokens($0, words: .letters).lines } == expected)
    }

    @Test func appendedRangesOpenWithASpaceAndALineBreak() {
        var text = "а б в"
        text.withUTF8 { bytes in
            var tokens = WordTokens(bytes, words: .letters)
            tokens.append(0..<5)
            tokens.append(6..<bytes.count)
            #expect(tokens.count == 3)
            #expect(!tokens.sameLine(2) && !tokens.joined(2))
            tokens.removeAll()
            #expect(tokens.count == 0)
        }
    }

    // MARK: Digits and letters

    @Test func digitsAndLettersAreSeparateTokens() {
        #expect(cut("abc123def") == ["abc", "123", "def"])
        #expect(kinds("abc123def") == [.word, .number, .word])
        #expect(kinds("2019 года") == [.number, .word])
        #expect(cut("1990-х годах") == ["1990", "-", "х", "_годах"])
        #expect(cut("COVID-19") == ["COVID", "-", "19"])
        #expect(cut("пресс-служба L'Est") == ["пресс", "-", "служба", "_L", "'", "Est"])
    }

    @Test func compoundsKeepHyphensApostrophesAndDigitsInWords() {
        #expect(cut("пресс-служба L'Est L’Est COVID-19 A320", .compounds) == ["пресс-служба", "_L'Est", "_L’Est", "_COVID-19", "_A320"])
        #expect(kinds("81-летний 90-х", .compounds) == [.word, .word])
        #expect(cut("81-летний 90-х", .compounds) == ["81-летний", "_90-х"])
        // Not between letters or digits: a mark of its own.
        #expect(
            cut("5-7 слово- -слово 'да' L’5", .compounds)
                == ["5", "-", "7", "_слово", "-", "_-", "слово", "_'", "да", "'", "_L", "’", "5"])
    }

    @Test func lettersOfOtherScriptsMakeWords() {
        #expect(cut("café Ærø żółw") == ["café", "_Ærø", "_żółw"])
        #expect(cut("東京 こんにちは\u{3000}世界") == ["東京", "_こんにちは", "_世界"])
        #expect(kinds("東京 こんにちは") == [.word, .word])
    }

    @Test func numbersReadTheirValue() {
        tokens("23 2019 12345 007") { t in
            #expect(t.number(0) == 23 && t.digits(0) == 2)
            #expect(t.number(1) == 2019)
            #expect(t.number(2) == nil && t.digits(2) == 5)
            #expect(t.number(3) == 7 && t.digits(3) == 3)
            #expect(t.number(4) == nil && t.digits(-1) == 0)
        }
    }

    // MARK: Marks

    @Test(arguments: ["-", "\u{2010}", "\u{2011}", "\u{2012}", "–", "—", "\u{2015}", "−"])
    func dashes(dash: String) {
        #expect(marks(dash) == [.dash])
        #expect(kinds("1\(dash)3") == [.number, .mark, .number])
    }

    @Test func quoteMarks() {
        #expect(marks("« „ ‟") == [.openQuote, .openQuote, .openQuote])
        #expect(marks("» ”") == [.closeQuote, .closeQuote])
        #expect(marks("\" “") == [.eitherQuote, .eitherQuote])
        #expect(marks("’ ‘ ‹ ›") == [.other, .other, .other, .other])
    }

    @Test func punctuation() {
        #expect(
            marks(", . ! ? … : ; ( [ ) ] % / ° №") == [
                .comma, .period, .exclamation, .question, .ellipsis, .colon, .semicolon, .openBracket, .openBracket,
                .closeBracket, .closeBracket, .other, .other, .other, .other,
            ])
        #expect(marks("мая") == [.none] && marks("5") == [.none])
        tokens("1.2…%") { t in
            #expect(t.asciiMark(1) == UInt8(ascii: "."))
            #expect(t.asciiMark(3) == nil && t.asciiMark(0) == nil)
            #expect(t.asciiMark(4) == UInt8(ascii: "%"))
            #expect(t.isMark(3, .ellipsis) && !t.isMark(9, .ellipsis))
        }
    }

    @Test func aSequenceCutShortByTheEndOfTheTextIsAMark() {
        // "a —" cut inside the dash (E2 80 94).
        let bytes: [UInt8] = [0x61, 0x20, 0xE2, 0x80]
        bytes.withUnsafeBufferPointer { b in
            var tokens = WordTokens(b, words: .letters)
            tokens.append(0..<b.count)
            #expect(tokens.count == 2)
            #expect(tokens[1].kind == .mark && tokens[1].mark == .other && tokens[1].end == 4)
        }
    }

    // MARK: Keys and letter case

    private func key(_ text: String, _ i: Int = 0, _ words: WordTokens.Words = .letters) -> WordKey? {
        tokens(text, words) { $0.key(i) }
    }

    @Test func keysFoldCaseAndYo() {
        #expect(key("ЯНВАРЯ") == WordKey("января"))
        #expect(key("Января") == WordKey("января"))
        #expect(key("ЁЛКА") == WordKey("елка"))
        #expect(key("ещё") == WordKey("еще"))
        #expect(key("CNN") == WordKey("cnn"))
        #expect(key("L’Est", 0, .compounds) == WordKey("l'est"))
        #expect(key("мая") != WordKey("май"))
        #expect(key("ееее") != WordKey("еее"))
        #expect(WordKey("к") != WordKey("k"))
    }

    @Test func keysAreWhatTheLexiconsLookUp() {
        #expect(key("ЯНВАРЯ").flatMap(DateLexicon.lookup) == .month(1, genitive: true, abbreviated: false))
        #expect(key("январём").flatMap(DateLexicon.lookup) == .month(1, genitive: false, abbreviated: false))
        #expect(key("январем").flatMap(DateLexicon.lookup) == .month(1, genitive: false, abbreviated: false))
        #expect(key("Четырех").flatMap(NumberLexicon.lookup) == .cardinal(4, rank: 0, teen: false))
        #expect(key("четырёх").flatMap(NumberLexicon.lookup) == .cardinal(4, rank: 0, teen: false))
        #expect(QuoteLexicon.verb(key("Передаёт")) == .relay)
        #expect(QuoteLexicon.verb(key("передает")) == .relay)
    }

    @Test func onlyWordsOfLexiconLengthHaveKeys() {
        #expect(key("2019") == nil && key("«") == nil && key("а", 1) == nil && key("а", -1) == nil)
        let longest = String(repeating: "я", count: 24)
        #expect(key(longest) == WordKey(longest))
        #expect(key(longest + "я") == nil)
    }

    @Test func keysMadeUpFrontAreTheKeysMadeWhenAsked() {
        var text = "— Передаёт ТАСС: «Пресс-служба L’Est сообщила» 81-летний " + String(repeating: "я", count: 30)
        text.withUTF8 { bytes in
            var tokens = WordTokens(bytes, words: .compounds)
            tokens.append(0..<bytes.count)
            let asked = (0..<tokens.count).map { tokens.key($0) }
            #expect(asked.compactMap { $0 }.count == 6)
            tokens.keyWords()
            #expect((0..<tokens.count).map { tokens.key($0) } == asked)
            tokens.removeAll()
            tokens.append(0..<bytes.count)
            #expect((0..<tokens.count).map { tokens.key($0) } == asked)
        }
    }

    @Test func capitalsAreASCIIOrCyrillic() {
        tokens("Ёлка Яблоко Apple apple ёж Éclair 5 «") { t in
            #expect((0..<t.count).map(t.isCapitalized) == [true, true, true, false, false, false, false, false])
        }
    }

    // MARK: Quote paragraphs

    @Test func quoteParagraphsCutOnlyTheLinesThatMayHoldAQuotation() {
        var plain = "Первая строка.\nВторая строка."
        #expect(plain.withUTF8 { WordTokens.quoteParagraphs($0).paragraphs }.isEmpty)
        var text = "Министр сказал:\n\n«Мы готовы».\nПогода хорошая.\n— Да, — ответил он."
        text.withUTF8 { bytes in
            let (tokens, paragraphs) = WordTokens.quoteParagraphs(bytes)
            #expect(paragraphs.map(\.count) == [3, 5, 0, 7])
            #expect(tokens.count == 15)
            #expect(tokens.text(paragraphs[1]) == "«Мы готовы».")
            #expect(tokens.isMark(paragraphs[3].lowerBound, .dash))
        }
    }

    // MARK: Scalar offsets

    @Test func scalarOffsetsCountScalarsNotBytes() {
        let text = "Привет 👋🏽 мир, «café» 2024 — e\u{301} 東京 and some ASCII to cross eight-byte blocks 𝔘𝔫𝔦"
        var copy = text
        copy.withUTF8 { bytes in
            var tokens = WordTokens(bytes, words: .letters)
            tokens.append(0..<bytes.count)
            var offsets = tokens.scalarOffsets
            for i in 0..<tokens.count {
                for byte in [Int(tokens[i].start), Int(tokens[i].end)] {
                    let expected = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<byte]), as: UTF8.self).unicodeScalars.count
                    #expect(offsets.offset(ofByte: byte) == expected, "\(tokens.text(i..<(i + 1)))")
                }
            }
            #expect(offsets.offset(ofByte: bytes.count) == text.unicodeScalars.count)
        }
    }
}
