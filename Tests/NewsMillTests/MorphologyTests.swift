import Testing

@testable import NewsMill
@testable import RussianMorphology

/// OpenCorpora's dictionary, from the wheel Scripts/install-models.sh fetches.
enum MorphologyFixtures {
    static let dictionary: RussianDictionary = {
        let path = NERFixtures.modelDirectory + "/" + RussianDictionary.wheelFile
        do {
            return try RussianDictionary(wheel: path)
        } catch {
            fatalError("dictionary not loadable from \(path) (run Scripts/install-models.sh): \(error)")
        }
    }()
    static let normalizer = NameNormalizer(dictionary: dictionary)
}

@Suite struct RussianDictionaryTests {
    let dictionary = MorphologyFixtures.dictionary

    private func readings(_ word: String) -> [(lemma: String, grammemes: Set<String>, guessed: Bool)] {
        dictionary.parses(of: word).map { (dictionary.lemma($0), Set(dictionary.grammemes.names($0.tag)), $0.predicted) }
    }

    @Test func readsEveryFormOfAKnownWord() {
        let found = readings("Новгороде")
        #expect(found.contains { $0.lemma == "новгород" && $0.grammemes.isSuperset(of: ["NOUN", "Geox", "loct", "sing"]) && !$0.guessed })
        let adjective = readings("Национальной")
        #expect(Set(adjective.map(\.lemma)) == ["национальный"])
        #expect(
            Set(adjective.compactMap { $0.grammemes.intersection(["gent", "datv", "ablt", "loct"]).first }) == [
                "gent", "datv", "ablt", "loct",
            ])
        #expect(readings("МИД").contains { $0.grammemes.contains("Abbr") } || readings("МИД").isEmpty == false)
    }

    @Test func findsTheWordsTheDictionarySpellsWithYo() {
        // The dictionary keeps ё ("ёжик", "соединённых"); texts mostly write е.
        #expect(readings("ежик").contains { $0.lemma == "ежик" && !$0.guessed })
        #expect(readings("Соединенных").contains { $0.grammemes.contains("PRTF") && !$0.guessed })
    }

    @Test func ordersReadingsTheUsualOneFirst() {
        // "море" is usually the sea, not the plague "мор"; "Дмитрия" usually his genitive.
        #expect(readings("море").first?.lemma == "море")
        #expect(readings("Дмитрия").first?.grammemes.isSuperset(of: ["masc", "gent"]) == true)
    }

    @Test func guessesAWordItLacksByItsEnding() {
        let guesses = readings("Сноудена")
        #expect(!guesses.isEmpty && guesses.allSatisfy(\.guessed))
        #expect(guesses.contains { $0.lemma == "сноуден" && $0.grammemes.contains("gent") })
        #expect(readings("Qwerty").isEmpty)
    }

    @Test func inflectsToTheFormAskedFor() throws {
        let parse = try #require(dictionary.parses(of: "ассамблеи").first { dictionary.grammemes.names($0.tag).contains("gent") })
        #expect(dictionary.inflect(parse, to: dictionary.grammemes["nomn"].union(dictionary.grammemes["sing"])) == "ассамблея")
        let adjective = try #require(dictionary.parses(of: "Высшей").first)
        #expect(dictionary.inflect(adjective, to: dictionary.grammemes["nomn"].union(dictionary.grammemes["femn"])) == "высшая")
    }
}

@Suite struct NameNormalizerTests {
    let normalizer = MorphologyFixtures.normalizer

    @Test(arguments: [
        // The examples.
        ("PER", "Николаса Мадуро", "Николас Мадуро"),
        ("ORG", "Национальной ассамблеи Венесуэлы", "Национальная ассамблея Венесуэлы"),
        ("ORG", "Госдепе США", "Госдеп США"),
        ("LOC", "Каракасе", "Каракас"),
        ("LOC", "Нижнем Новгороде", "Нижний Новгород"),
        // Persons: first name, patronymic and surname agree; initials and foreign names stay.
        ("PER", "Владимира Владимировича Путина", "Владимир Владимирович Путин"),
        ("PER", "Ангелы Меркель", "Ангела Меркель"),
        ("PER", "Сергеем Лавровым", "Сергей Лавров"),
        ("PER", "Чулпан Хаматовой", "Чулпан Хаматова"),
        ("PER", "Радия Хабирова", "Радий Хабиров"),
        ("PER", "Виталия Маркива", "Виталий Маркив"),
        ("PER", "Анны Маркивой", "Анна Маркива"),
        ("PER", "А. С. Пушкина", "А. С. Пушкин"),
        ("PER", "Лионель Месси", "Лионель Месси"),
        ("PER", "Ким Чен Ына", "Ким Чен Ын"),
        ("PER", "Эдварда Сноудена", "Эдвард Сноуден"),
        ("PER", "Юлия Липницкая", "Юлия Липницкая"),
        ("PER", "Аделина Сотникова", "Аделина Сотникова"),
        ("PER", "Андреем Хржановским", "Андрей Хржановский"),
        ("PER", "Уильямом Фридкином", "Уильям Фридкин"),
        ("PER", "Шону Комбсу", "Шон Комбс"),
        ("PER", "Криштиану Роналду", "Криштиану Роналду"),
        ("PER", "Джейкоб Зума", "Джейкоб Зума"),
        // A first name known only as a woman's, with a surname that can only be his genitive.
        ("PER", "Эда Гонсалеса", "Эд Гонсалес"),
        ("PER", "Серена Уильямс", "Серена Уильямс"),
        ("PER", "Анна Франк", "Анна Франк"),
        // Organisations and places: the head and its adjectives; what follows stays.
        ("ORG", "Совета Федерации", "Совет Федерации"),
        ("ORG", "Государственной думы", "Государственная дума"),
        ("ORG", "правительства Москвы", "правительство Москвы"),
        ("ORG", "сборной России", "сборная России"),
        ("ORG", "компании «Газпром нефть»", "компания «Газпром нефть»"),
        ("ORG", "Высшей партийной школе при ЦК КПСС", "Высшая партийная школа при ЦК КПСС"),
        ("ORG", "Западноафриканского экономического и валютного союза", "Западноафриканский экономический и валютный союз"),
        ("LOC", "Соединенных Штатов Америки", "Соединенные Штаты Америки"),
        ("LOC", "Санкт-Петербурге", "Санкт-Петербург"),
        ("LOC", "Южно-Китайском море", "Южно-Китайское море"),
        ("LOC", "Германию", "Германия"),
        ("LOC", "Республики Сербской", "Республика Сербская"),
        ("LOC", "Мёртвом море", "Мёртвое море"),
        ("LOC", "Брикстона", "Брикстон"),
        ("ORG", "Известия", "Известия"),
        // A name in -а declines as a woman's, whoever bears it.
        ("PER", "Карлоса Сантаны", "Карлос Сантана"),
        ("PER", "Карлоса Сантану", "Карлос Сантана"),
        ("PER", "Пабло Неруды", "Пабло Неруда"),
        // A man's name in -ай, -ей declines; a woman's surname read two ways takes the adjective's.
        ("PER", "Андрея Гуцая", "Андрей Гуцай"),
        ("PER", "Олегу Мирзаю", "Олег Мирзай"),
        ("PER", "Ольги Яровой", "Ольга Яровая"),
        // A Japanese name in -а is its nominative; a Chinese one in -на is a genitive.
        ("PER", "Хироси Ёсида", "Хироси Ёсида"),
        ("PER", "Юкио Ямада", "Юкио Ямада"),
        ("PER", "Ли Сяолуна", "Ли Сяолун"),
        ("PER", "Ли Цзюня", "Ли Цзюнь"),
        // Double names the dictionary lacks decline part by part; particles stay.
        ("PER", "Жан-Поля Сартра", "Жан-Поль Сартр"),
        ("PER", "Хосе Перес-Гонсалесом", "Хосе Перес-Гонсалес"),
        ("PER", "Питера Смита-младшего", "Питер Смит-младший"),
        ("PER", "Абдуллой ибн Саудом", "Абдулла ибн Сауд"),
        ("LOC", "Форт-Уэрте", "Форт-Уэрт"),
        ("LOC", "Баня-Луке", "Баня-Лука"),
        ("ORG", "школе-интернате", "школа-интернат"),
        ("ORG", "Школу-студию", "Школа-студия"),
        ("LOC", "США", "США"),
        ("ORG", "Apple", "Apple"),
    ])
    func nominative(type: String, mention: String, expected: String) {
        let kind: NameNormalizer.Kind = type == "PER" ? .person : type == "ORG" ? .organisation : .location
        #expect(normalizer.normal(of: mention, kind: kind) == expected)
    }

    @Test func theWordsAroundSettleWhatTheMentionCannot() {
        // "Медведева" alone may be her nominative or his genitive.
        #expect(normalizer.normal(of: "Медведева", kind: .person, context: .init(after: "заявила")) == "Медведева")
        #expect(normalizer.normal(of: "Медведева", kind: .person, context: .init(before: "у")) == "Медведев")
        #expect(normalizer.normal(of: "Медведева", kind: .person, context: .init(after: "заявил")) == "Медведев")
    }

    @Test func keepsTheMentionsOwnSpellingAndSeparators() {
        #expect(normalizer.normal(of: "В.\u{A0}М.\u{A0}Шукшина", kind: .person) == "В.\u{A0}М.\u{A0}Шукшин")
        #expect(normalizer.normal(of: "ПРАВИТЕЛЬСТВА", kind: .organisation) == "ПРАВИТЕЛЬСТВО")
        #expect(normalizer.normal(of: "Соединённых Штатов", kind: .location) == "Соединённые Штаты")
        #expect(normalizer.normal(of: "", kind: .location) == "")
    }
}

@Suite struct NameGroupsTests {
    private func groups(_ mentions: [(NameNormalizer.Kind, String)]) -> [NameGroups.Assignment] {
        NameGroups.assign(mentions.map { NameGroups.Mention(kind: $0.0, normal: $0.1) })
    }

    @Test func aSurnameAloneJoinsTheFullName() {
        let found = groups([
            (.person, "Мадуро"), (.person, "Николас Мадуро"), (.person, "Хуан Гуайдо"), (.person, "Гуайдо"), (.person, "Мадуро"),
        ])
        #expect(found.map(\.group) == [0, 0, 2, 2, 0])
        #expect(found.map(\.canonical) == ["Николас Мадуро", "Николас Мадуро", "Хуан Гуайдо", "Хуан Гуайдо", "Николас Мадуро"])
    }

    @Test func aNameWithAWordTwiceIsNoFullerName() {
        let found = groups([(.person, "Максим Дадашев"), (.person, "Максим Дадашев Дадашев"), (.person, "Дадашев")])
        #expect(found.map(\.group) == [0, 0, 0])
        #expect(found.map(\.canonical) == ["Максим Дадашев", "Максим Дадашев", "Максим Дадашев"])
    }

    @Test func theSameNameAgainIsTheSameEntity() {
        // Names the person rules cannot split into first name and surname still join their repeats.
        let found = groups([
            (.person, "Ли Куан Ю"), (.location, "Сингапур"), (.person, "Ли Куан Ю"), (.person, "Кигели V"), (.person, "Кигели V"),
        ])
        #expect(found.map(\.group) == [0, 1, 0, 3, 3])
    }

    @Test func initialsAndOtherFirstNames() {
        let found = groups([(.person, "Владимир Путин"), (.person, "В. Путин"), (.person, "Людмила Путина"), (.person, "Владимир")])
        #expect(found[1].group == 0)
        #expect(found[2].group == 2, "another first name is another person")
        #expect(found[3].group == 0, "a first name alone joins the one full name that has it")
    }

    @Test func theFullNameSettlesASurnameAlone() {
        // "Медведева" alone reads as his genitive; beside "Евгения Медведева" it is hers.
        let found = groups([(.person, "Евгения Медведева"), (.person, "Медведев"), (.person, "Томас Шефер"), (.person, "Шеферу")])
        #expect(found.map(\.group) == [0, 0, 2, 2])
        #expect(found[1].normal == "Медведева")
        #expect(found[3].normal == "Шефер")
    }

    @Test func placesAndOrganisationsByNameVariantAndAdjective() {
        let found = groups([
            (.location, "Россия"), (.location, "РФ"), (.location, "Соединенные Штаты"), (.location, "США"), (.location, "японским"),
            (.location, "Япония"), (.organisation, "ООН"), (.organisation, "Организация Объединённых Наций"), (.location, "Москва"),
            (.organisation, "Москва"),
        ])
        #expect(found.map(\.group) == [0, 0, 2, 2, 4, 4, 6, 6, 8, 9], "a place and an organisation never share a group")
        #expect(found[6].canonical == "Организация Объединённых Наций")
    }
}

@Suite struct EntitiesNormalFormsTests {
    @Test func theStageWritesNormalFormsGroupsAndCanonicalNames() throws {
        let stage = try EntitiesStage(modelDirectory: NERFixtures.modelDirectory)
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: "В Каракасе Николас Мадуро встретился с послом. Позже Мадуро заявил, что Хуан Гуайдо не прав.",
            title: "Мадуро ответил Гуайдо")
        _ = stage.process(&document)
        let entities = try #require(document.entities)
        let byText = Dictionary(entities.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byText["Каракасе"]?.normal == "Каракас")
        let full = try #require(entities.firstIndex { $0.text == "Николас Мадуро" })
        #expect(byText["Мадуро"]?.group == full && byText["Мадуро"]?.canonical == "Николас Мадуро")
        let title = try #require(document.titleEntities?.first { $0.text == "Гуайдо" })
        #expect(title.group == entities.firstIndex { $0.text == "Хуан Гуайдо" }, "a headline's mention points into the text's entities")
        #expect(title.canonical == "Хуан Гуайдо")

        let plain = try EntitiesStage(modelDirectory: NERFixtures.modelDirectory, normalForms: false)
        var bare = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8", text: document.text)
        _ = plain.process(&bare)
        #expect(bare.entities?.map(\.text) == entities.map(\.text))
        #expect(bare.entities?.allSatisfy { $0.normal == nil && $0.group == nil } == true)
    }
}
