import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore
@testable import NewsMillNER

/// Direct speech: what is a quotation, its words, speaker, verb and source, where it is (Unicode
/// scalars). Example sentences are made up for the tests.
@Suite struct QuotesTests {
    /// "words | form | speaker | verb", with "(PER)" after a resolved speaker and "| source" for
    /// reported speech.
    private func found(
        _ text: String, entities: [EntityMention]? = nil,
        extractor: QuoteExtractor = QuoteExtractor()
    ) -> [String] {
        extractor.extract(from: text, entities: entities).map(Self.describe)
    }

    static func describe(_ q: QuoteMention) -> String {
        var s =
            "\(q.text) | \(q.form.rawValue) | \(q.speaker.map { $0.text + ($0.entity.map { "(\($0.rawValue))" } ?? "") } ?? "-") | \(q.verb ?? "-")"
        if let source = q.source { s += " | \(source.text)" + (source.entity.map { "(\($0.rawValue))" } ?? "") }
        return s
    }

    /// Entities for a text, found by their surface: [("Сергей Лавров", .person)].
    private func entities(_ text: String, _ names: [(String, EntityType)]) -> [EntityMention] {
        let scalars = Array(text.unicodeScalars)
        return names.map { name, type in
            let needle = Array(name.unicodeScalars)
            let start = (0...(scalars.count - needle.count)).first { Array(scalars[$0..<($0 + needle.count)]) == needle }!
            return EntityMention(type: type, text: name, start: start, end: start + needle.count)
        }
    }

    // MARK: Dash quotations

    @Test(arguments: [
        ("— Мы не отступим, — заявил военный.", ["Мы не отступим | dash | военный | заявил"]),
        ("- Мы не отступим, - заявил военный.", ["Мы не отступим | dash | военный | заявил"]),
        ("– Мы не отступим, – сказала учительница.", ["Мы не отступим | dash | учительница | сказала"]),
        ("— Почему так вышло? — спросил журналист.", ["Почему так вышло? | dash | журналист | спросил"]),
        ("— Первая часть, — сказал он. — Вторая часть.", ["Первая часть. Вторая часть. | dash | он | сказал"]),
        ("— Я, — сказал старик, — не согласен.", ["Я не согласен. | dash | старик | сказал"]),
        // Another voice is another quotation.
        (
            "— Ты готов? — спросил он. — Готов, — ответил Иван.",
            ["Ты готов? | dash | он | спросил", "Готов | dash | Иван | ответил"]
        ),
        ("— Всё решится завтра, — добавил позже председатель комиссии.", ["Всё решится завтра | dash | председатель комиссии | добавил"]),
        ("— Работы хватит всем, — уверена директор школы.", ["Работы хватит всем | dash | директор школы | уверена"]),
        (
            "— Урожай хороший, — заявил в интервью местной газете фермер Иван Петров.",
            ["Урожай хороший | dash | фермер Иван Петров | заявил"]
        ),
        ("— Мы готовы, — сказал один из участников встречи.", ["Мы готовы | dash | один из участников встречи | сказал"]),
        ("— Нет, — кивнул он.", ["Нет | dash | - | -"]),
    ])
    func dashParagraphsAreSpeech(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test func dialogueLinesAndIntroductions() {
        #expect(
            found("Корреспондент встретился с фермером.\n— Урожай в этом году хороший.\n— А цены?")
                == ["Урожай в этом году хороший. | dash | - | -", "А цены? | dash | - | -"])
        #expect(
            found("Директор завода сказал:\n— Мы запустим новую линию весной.")
                == ["Мы запустим новую линию весной. | dash | Директор завода | сказал"])
        #expect(
            found("Корреспондент встретился с фермером.\n— Урожай хороший.", extractor: QuoteExtractor(includeUnattributed: false)) == [])
    }

    @Test(arguments: [
        "В Венесуэле - двоевластие. Власть разделена — это факт.",
        "В программу вошли:\n- экскурсии по городу;\n- посещение музея;\n- ужин.",
        "Итоги года:\n— Рост продаж на пять процентов.\n— Открыто двенадцать новых магазинов.",
        "Участники:\n— Иван Петров, Москва\n— Анна Смирнова, Казань",
        "— это строчка со строчной буквы",
        "-5 градусов обещают синоптики на выходных.",
        "Президент подписал указ. Дороги отремонтируют летом, сообщил губернатор.\nМинистр сообщил, что переговоры продолжатся.",
    ])
    func dashesThatAreNotSpeech(_ text: String) {
        #expect(found(text) == [], "\(found(text))")
    }

    @Test func anArticleWithoutDialogueHasNoQuotations() {
        let article = """
            Правительство утвердило программу ремонта дорог на 2025 год.
            В список вошли трассы «Дон» и «Волга», а также мост через Оку — самый старый в области.
            Работы выполнит компания «Автодор-Юг»; подрядчик выбран на конкурсе.
            Министр транспорта сообщил, что финансирование выделено полностью.
            Основные направления:
            - ремонт покрытия;
            - замена ограждений;
            - новые остановки.
            Газета «Вечерний город» писала об этом в марте. Итоги подведут в декабре.
            """
        #expect(found(article) == [])
    }

    // MARK: Quotations in marks

    @Test(arguments: [
        ("«Мы готовы к переговорам», — заявил министр.", ["Мы готовы к переговорам | quoted | министр | заявил"]),
        ("«Мы готовы к переговорам» — заявил министр.", ["Мы готовы к переговорам | quoted | министр | заявил"]),
        ("«Это как последнее желание», сказал музыкант.", ["Это как последнее желание | quoted | музыкант | сказал"]),
        ("«Что теперь будет?» — спросила пенсионерка.", ["Что теперь будет? | quoted | пенсионерка | спросила"]),
        ("Министр заявил: «Мы готовы к переговорам».", ["Мы готовы к переговорам | quoted | Министр | заявил"]),
        ("Заявил глава района: «Мост откроют в срок».", ["Мост откроют в срок | quoted | глава района | Заявил"]),
        ("По словам эксперта, «цены вырастут к осени».", ["цены вырастут к осени | quoted | эксперта | По словам"]),
        ("По его словам, решение «было ошибкой с самого начала».", ["было ошибкой с самого начала | quoted | его | По его словам"]),
        ("По мнению аналитиков банка, «рынок перегрет».", ["рынок перегрет | quoted | аналитиков банка | По мнению"]),
        ("Как отметил губернатор, «дороги отремонтируют летом».", ["дороги отремонтируют летом | quoted | губернатор | отметил"]),
        ("Эксперт считает, что «рынок ещё не достиг дна».", ["рынок ещё не достиг дна | quoted | Эксперт | считает"]),
        ("Тренер заявил, что команда «сделала всё возможное».", ["сделала всё возможное | quoted | Тренер | заявил"]),
        ("«Мы шокированы», — говорится в заявлении ведомства.", ["Мы шокированы | quoted | заявлении ведомства | говорится"]),
        ("«Проверка продолжается», — сообщили в прокуратуре.", ["Проверка продолжается | quoted | прокуратуре | сообщили"]),
        (
            "Пресс-секретарь театра, жена режиссёра, сказала: «Спектакль перенесли».",
            ["Спектакль перенесли | quoted | Пресс-секретарь театра | сказала"]
        ),
        (
            "Владелец фермы, который вырастил рекордную тыкву, заявил: «Секрет в поливе».",
            ["Секрет в поливе | quoted | Владелец фермы | заявил"]
        ),
        ("\"Мы готовы\", - сказал он.", ["Мы готовы | quoted | он | сказал"]),
        ("“Мы готовы”, – сказал он.", ["Мы готовы | quoted | он | сказал"]),
    ])
    func quotedWordsWithAnAttribution(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test func narratorWordsInsideTheMarksAndNestedQuotes() {
        // One quotation, its pieces in `parts`, its words joined as said.
        let cut = "«Работы много, — признался тренер. — Но мы справимся»."
        #expect(found(cut) == ["Работы много. Но мы справимся | quoted | тренер | признался"])
        let quote = QuoteExtractor().extract(from: cut)[0]
        let scalars = Array(cut.unicodeScalars)
        func piece(_ start: Int, _ end: Int) -> String { String(String.UnicodeScalarView(scalars[start..<end])) }
        #expect(quote.parts.map { piece($0.start, $0.end) } == ["Работы много", "Но мы справимся"])
        #expect(piece(quote.start, quote.end) == "Работы много, — признался тренер. — Но мы справимся")
        #expect(
            found("«Мы раздаём маски, — рассказывает Андреа, — бесплатно. Это важно, — заключил Андреа Падован, — для всех».")
                == ["Мы раздаём маски бесплатно. Это важно для всех | quoted | Андреа | рассказывает"])
        #expect(
            found("«Мы назвали проект „Рассвет“, и он себя оправдал», — рассказал инженер.")
                == ["Мы назвали проект „Рассвет“, и он себя оправдал | quoted | инженер | рассказал"])
        // The same nesting before normalization: straight quotes inside «…».
        #expect(
            found("«Мы назвали проект \"Рассвет\"», — рассказал инженер.")
                == ["Мы назвали проект \"Рассвет\" | quoted | инженер | рассказал"])
    }

    @Test func aQuotedSentenceTakesTheSpeakerBeforeIt() {
        #expect(
            found("«Мы победим», — заявил тренер. «Команда в отличной форме и готова к матчу».")
                == ["Мы победим | quoted | тренер | заявил", "Команда в отличной форме и готова к матчу | quoted | тренер | -"])
        #expect(
            found("На плакате было написано. «Мы хотим чистый воздух в городе».")
                == ["Мы хотим чистый воздух в городе | quoted | - | -"])
    }

    @Test(arguments: [
        "Компания «Газпром» повысила цены. Газета «Коммерсант» вышла утром.",
        "Он посмотрел фильм «Война и мир» и прочитал роман «Анна Каренина».",
        "Хуан провозгласил себя \"исполняющим обязанности президента\".",
        "«Газпром» заявил, что цены вырастут.",
        "Министр заявил, что «Газпром» повысит цены.",
        "Министр заявил, что «Единая Россия» победит на выборах.",
        "Судно «Академик Фёдоров» вышло из порта, сообщил капитан.",
        "Ледокол «Ямал» — флагман флота.",
        "Официальный представитель ведомства подтвердил «Известиям» эту информацию.",
        "Депутаты «с высокой долей вероятности» откажутся от мигалок.",
        "Газета «Ведомости», «Коммерсант» и «РБК» написали об этом.",
    ])
    func quotedNamesAndTitlesAreNotQuotations(_ text: String) {
        #expect(found(text) == [], "\(found(text))")
    }

    // MARK: Several paragraphs

    @Test func aQuotationOverSeveralParagraphs() {
        #expect(
            found(
                "Мэр сказал:\n«Первый абзац речи о городе.\n«Второй абзац речи о дорогах.\n«Третий абзац речи о школах».\nПосле этого мэр ушёл."
            )
                == [
                    "Первый абзац речи о городе. | quoted | Мэр | сказал", "Второй абзац речи о дорогах. | quoted | Мэр | сказал",
                    "Третий абзац речи о школах | quoted | Мэр | сказал",
                ])
        #expect(
            found("«Мы долго готовились к этому дню.\n«И вот он настал», — сказал капитан команды.")
                == [
                    "Мы долго готовились к этому дню. | quoted | капитан команды | сказал",
                    "И вот он настал | quoted | капитан команды | сказал",
                ])
        // A « left open, not continued: the paragraph's end closes it.
        #expect(
            found("Министр заявил: «Мы готовы ко всему\nДругой абзац без кавычек.")
                == ["Мы готовы ко всему | quoted | Министр | заявил"])
    }

    @Test func blockQuotationsAfterAnAttributionWithAColon() {
        #expect(
            found("Президент компании написал:\nМы благодарим всех клиентов за доверие.\nАкции выросли.")
                == ["Мы благодарим всех клиентов за доверие. | block | Президент компании | написал"])
        #expect(found("Президент компании написал:\nМы благодарим всех клиентов.", extractor: QuoteExtractor(includeBlocks: false)) == [])
        #expect(found("Соответствующий указ опубликован на портале:\nУказ вступает в силу со дня подписания.") == [])
    }

    // MARK: Reported speech

    @Test(arguments: [
        (
            "— Ситуация под контролем, — передаёт агентство Интерфакс.",
            ["Ситуация под контролем | reported | агентство Интерфакс | передаёт | агентство Интерфакс"]
        ),
        (
            "— Мы просим помощи, — цитирует одного из солдат телеканал CNN.",
            ["Мы просим помощи | reported | одного из солдат | цитирует | телеканал CNN"]
        ),
        (
            "«Переговоры зашли в тупик», — пишет газета «Ведомости».",
            ["Переговоры зашли в тупик | reported | газета «Ведомости» | пишет | газета «Ведомости»"]
        ),
        (
            "«Решение принято», — приводит агентство слова представителя компании.",
            ["Решение принято | reported | представителя компании | приводит | агентство"]
        ),
        (
            "«Пострадавших нет», — сообщает ТАСС со ссылкой на источник в полиции.",
            ["Пострадавших нет | reported | источник | сообщает | ТАСС"]
        ),
        ("«Жертв нет», — сообщает Reuters.", ["Жертв нет | reported | Reuters | сообщает | Reuters"]),
    ])
    func relayedWordsAreReported(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test func indirectSpeechIsNotReported() {
        #expect(found("Телеканал CNN сообщает, что переговоры продолжатся. Как передаёт ТАСС, пострадавших нет.") == [])
    }

    // MARK: Speakers resolved to entities

    @Test func speakersResolveToNamedEntities() {
        let lavrov = "«Мы не изменим позицию», — заявил глава МИД Сергей Лавров."
        #expect(
            found(lavrov, entities: entities(lavrov, [("МИД", .organization), ("Сергей Лавров", .person)]))
                == ["Мы не изменим позицию | quoted | Сергей Лавров(PER) | заявил"])
        let head = "«Решение неизбежно», — сказал глава МИД."
        #expect(found(head, entities: entities(head, [("МИД", .organization)])) == ["Решение неизбежно | quoted | глава МИД | сказал"])
        let cnn = "«Жертв нет», — сообщает CNN."
        #expect(found(cnn, entities: entities(cnn, [("CNN", .organization)])) == ["Жертв нет | reported | CNN(ORG) | сообщает | CNN(ORG)"])
        let press = "«Мы проверим данные», — сообщили в пресс-службе Минздрава."
        #expect(
            found(press, entities: entities(press, [("Минздрава", .organization)]))
                == ["Мы проверим данные | quoted | Минздрава(ORG) | сообщили"])
        let macron = "— Мы готовы, — сказал президент Франции Эмманюэль Макрон во время визита."
        #expect(
            found(macron, entities: entities(macron, [("Франции", .location), ("Эмманюэль Макрон", .person)]))
                == ["Мы готовы | dash | Эмманюэль Макрон(PER) | сказал"])
        let sechin = "Глава «Роснефти» Игорь Сечин заявил: «Добыча вырастет»."
        #expect(
            found(sechin, entities: entities(sechin, [("Роснефти", .organization), ("Игорь Сечин", .person)]))
                == ["Добыча вырастет | quoted | Игорь Сечин(PER) | заявил"])
        // The phrase stops at "на"; the entity beyond it is still the speaker's name.
        let cut = "Как заявил на брифинге официальный представитель Мария Иванова, «вопрос закрыт»."
        #expect(
            found(cut, entities: entities(cut, [("Мария Иванова", .person)]))
                == ["вопрос закрыт | quoted | Мария Иванова(PER) | заявил"])
        let relayed = "— Мы просим помощи, — цитирует одного из солдат телеканал CNN."
        #expect(
            found(relayed, entities: entities(relayed, [("CNN", .organization)]))
                == ["Мы просим помощи | reported | одного из солдат | цитирует | CNN(ORG)"])
    }

    /// Mentions with the groups and names the entities stage gives them: each its own group
    /// unless `same` joins it to an earlier one.
    private func grouped(_ text: String, _ names: [(String, EntityType)], same: [Int: Int] = [:]) -> [EntityMention] {
        var mentions = entities(text, names).sorted { $0.start < $1.start }
        for i in mentions.indices {
            let group = same[i] ?? i
            mentions[i].group = group
            mentions[i].normal = mentions[i].text
            mentions[i].canonical = mentions[group].text
        }
        return mentions
    }

    @Test func speakersPastObjectsClausesAndGenitives() throws {
        // The person of "по словам" is who speaks, not the name in the next clause.
        let prosecutors = "По словам прокуроров, Иван Петров оказался «не в том месте в неподходящее время»."
        #expect(
            found(prosecutors, entities: grouped(prosecutors, [("Иван Петров", .person)]))
                == ["не в том месте в неподходящее время | quoted | прокуроров | По словам"])
        // A verdict is not speech; the document before "говорится" is the source.
        let verdict = "В заявлении ведомства говорится, что Ивана Петрова признали виновным в «тяжком нарушении правил службы»."
        #expect(
            found(verdict, entities: grouped(verdict, [("Ивана Петрова", .person)]))
                == ["тяжком нарушении правил службы | quoted | ведомства | говорится"])
        // A name in the genitive inside a circumstance is not the subject.
        let genitive = "Тренер Иван Петров после известия о смерти Сергея Смирнова заявил: «Это большая потеря»."
        var mentions = grouped(genitive, [("Иван Петров", .person), ("Сергея Смирнова", .person)])
        mentions[1].normal = "Сергей Смирнов"
        #expect(found(genitive, entities: mentions) == ["Это большая потеря | quoted | Иван Петров(PER) | заявил"])
        // Of two names in a row, the second: the first says whose defender.
        let defender = "«Суд не прав», — заявил на суде общественный защитник Анны Смирновой Иван Петров."
        #expect(
            found(defender, entities: grouped(defender, [("Анны Смирновой", .person), ("Иван Петров", .person)]))
                == ["Суд не прав | quoted | Иван Петров(PER) | заявил"])
        // A second verb without a speech verb before it: the sentence's subject.
        #expect(
            found("Президент выразил уверенность, что закон примут, и отметил, что «всё будет готово к весне».")
                == ["всё будет готово к весне | quoted | Президент | отметил"])
        // "По словам X" opening the sentence attributes a quotation after a colon in it.
        #expect(
            found("По словам актрисы, власти не отвечают на её письма: «Я больше не поддерживаю эту страну».")
                == ["Я больше не поддерживаю эту страну | quoted | актрисы | По словам"])
        // A pronoun opening the sentence after a quotation is its speaker, not the man named in between.
        let next = "Иван Петров после встречи с Сергеем Смирновым заявил: «Мы договорились». Он добавил, что «работа продолжится завтра»."
        var both = grouped(next, [("Иван Петров", .person), ("Сергеем Смирновым", .person)])
        both[1].normal = "Сергей Смирнов"
        let quotes = QuoteExtractor().extract(from: next, entities: both)
        #expect(quotes.map { $0.speaker?.group } == [0, 0])
        // A name in -а read as a woman's is a man's when another mention of him ends in a consonant.
        let man = "Суд допросил Виталия Маркива. Маркив молчал. Потом он крикнул: «Я невиновен»."
        var markiv = grouped(man, [("Виталия Маркива", .person), ("Маркив", .person)], same: [1: 0])
        markiv[0].normal = "Виталий Маркива"
        markiv[0].canonical = "Виталий Маркива"
        markiv[1].canonical = "Виталий Маркива"
        let shout = try #require(QuoteExtractor().extract(from: man, entities: markiv).first)
        #expect(shout.speaker?.text == "он" && shout.speaker?.group == 0)
    }

    @Test func pronounsAndRolesResolveToTheEntityTheyMean() throws {
        let shoigu = "Министр обороны Сергей Шойгу посетил завод. Там работает Мария Иванова.\n«Мы увеличим выпуск», — сказал он."
        let men = grouped(shoigu, [("Сергей Шойгу", .person), ("Мария Иванова", .person)])
        let quote = try #require(QuoteExtractor().extract(from: shoigu, entities: men).first)
        #expect(quote.speaker?.text == "он" && quote.speaker?.entity == .person)
        #expect(quote.speaker?.group == 0 && quote.speaker?.normal == "Сергей Шойгу", "the nearest man, not the nearest person")
        let her = "Мария Иванова выступила на форуме. «Мы готовы», — сказала она."
        let she = try #require(QuoteExtractor().extract(from: her, entities: grouped(her, [("Мария Иванова", .person)])).first)
        #expect(she.speaker?.normal == "Мария Иванова")
        let nobody = "Мария Иванова выступила на форуме. «Мы готовы», — сказал он."
        let unresolved = try #require(QuoteExtractor().extract(from: nobody, entities: grouped(nobody, [("Мария Иванова", .person)])).first)
        #expect(unresolved.speaker?.text == "он" && unresolved.speaker?.group == nil, "no man named before: not guessed")
        let role = "«Мы счастливы», — сказала комедиантка и телеведущая Эллен Дедженерес."
        #expect(
            found(role, entities: grouped(role, [("Эллен Дедженерес", .person)]))
                == ["Мы счастливы | quoted | Эллен Дедженерес(PER) | сказала"])
        let police = "«Погибших нет», — говорится в заявлении полиции."
        #expect(found(police, entities: []) == ["Погибших нет | quoted | заявлении полиции | говорится"])
        #expect(
            found(police, entities: grouped(police, [("Погибших", .person)]).filter { _ in false }) == [
                "Погибших нет | quoted | заявлении полиции | говорится"
            ])
        let author = "Глава МВД Иван Петров прибыл на место. «Погибших нет», — говорится в заявлении полиции."
        #expect(
            found(author, entities: grouped(author, [("МВД", .organization), ("Иван Петров", .person)]))
                == ["Погибших нет | quoted | полиции | говорится"])
    }

    @Test(arguments: [
        // The outlet told is no speaker when someone is named after it.
        ("«Цены вырастут», — подтвердил «Ъ» участник газового рынка.", ["Цены вырастут | quoted | участник газового рынка | подтвердил"]),
        ("«Решение принято», — сказал ТАСС представитель ведомства.", ["Решение принято | quoted | представитель ведомства | сказал"]),
        (
            "«Посольство закрыто», — сообщили РИА Новости в пресс-службе базы.",
            ["Посольство закрыто | quoted | пресс-службе базы | сообщили"]
        ),
        ("«Решение принято», — сообщил ТАСС.", ["Решение принято | quoted | ТАСС | сообщил"]),
        // The people named before a place speak, not the place.
        ("Болельщики в зале ответили: «Героям слава!».", ["Героям слава! | quoted | Болельщики | ответили"]),
        // A verb right after a quotation and its comma has its speaker after it.
        (
            "Деньги «требуют полной отдачи», говорит тренер, «поэтому я продолжу работу».",
            ["требуют полной отдачи | quoted | тренер | говорит", "поэтому я продолжу работу | quoted | тренер | говорит"]
        ),
        // A verb inside an earlier quotation is not the narrator's.
        (
            "Врач сообщил, что «состояние тяжелое, говорят коллеги» и «он второй день в реанимации».",
            ["состояние тяжелое, говорят коллеги | quoted | Врач | сообщил", "он второй день в реанимации | quoted | Врач | сообщил"]
        ),
        // Four words or more in lower case after a speech verb are its speaker's words.
        (
            "Судья высказался за право граждан «создавать семейные отношения вне брака».",
            ["создавать семейные отношения вне брака | quoted | Судья | высказался"]
        ),
        // MediaWiki's emphasis around a quotation is markup.
        (
            "''«Я больше не поддерживаю эту страну»'', — заявила актриса.",
            ["Я больше не поддерживаю эту страну | quoted | актриса | заявила"]
        ),
    ])
    func speakersPastOutletsPlacesAndMarkup(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test(arguments: [
        // What is spoken of, right after the verb and "о".
        ("Депутат порассуждал о «предательстве родины».", ["предательстве родины | quoted | Депутат | порассуждал"]),
        // One word in lower case after a naming verb; a capitalized one is a title.
        ("Наблюдатель назвал итоги выборов «катастрофой».", ["катастрофой | quoted | Наблюдатель | назвал"]),
        ("Наблюдатель назвал свою собаку «Катастрофой».", [String]()),
        ("Сенатор охарактеризовала его опыт как «достаточный».", ["достаточный | quoted | Сенатор | охарактеризовала"]),
        // Lower-case words before ", заявил X" or ", как заметил X", and the fragment joined to them.
        (
            "Страна — «очень сильное государство» и «выгодна нам», заявил премьер.",
            ["очень сильное государство | quoted | премьер | заявил", "выгодна нам | quoted | премьер | заявил"]
        ),
        (
            "Клуб сделал игроку «исключительное предложение», как заметил тренер Иван Петров.",
            ["исключительное предложение | quoted | тренер Иван Петров | заметил"]
        ),
        ("Клуб «Спартак», пишет газета, сменил тренера.", [String]()),
        // A second verb shares the first one's subject, not its object.
        (
            "Ректор прокомментировал отставку министра и порассуждал о «кризисе доверия».",
            ["кризисе доверия | quoted | Ректор | порассуждал"]
        ),
        ("«Всё идёт по плану», — было отмечено в заявлении группы.", ["Всё идёт по плану | quoted | заявлении группы | отмечено"]),
        ("Потом он крикнул: «Слава героям!»", ["Слава героям! | quoted | он | крикнул"]),
    ])
    func partialQuotesAndTheirVerbs(_ text: String, _ expected: [String]) {
        #expect(found(text) == expected)
    }

    @Test func aQuotedSentenceBesideTheNarratorsDashTakesTheSpeakerBefore() {
        let after = "«Мы готовы к бою», — заявил Иван Петров журналистам. «На мне парадная форма офицера», — с этими словами он ушёл."
        #expect(
            found(after, entities: grouped(after, [("Иван Петров", .person)]))
                == [
                    "Мы готовы к бою | quoted | Иван Петров(PER) | заявил",
                    "На мне парадная форма офицера | quoted | Иван Петров(PER) | -",
                ])
        let before = "«Я не могу сказать точно», – сказал Петров, когда его спросили. – «У меня есть хорошее понимание ситуации»."
        #expect(
            found(before, entities: grouped(before, [("Петров", .person)]))
                == [
                    "Я не могу сказать точно | quoted | Петров(PER) | сказал",
                    "У меня есть хорошее понимание ситуации | quoted | Петров(PER) | -",
                ])
    }

    @Test func whatANamingVerbNamesIsNotItsSpeaker() {
        let object = "Министр Иван Петров посетил учреждение и назвал его «учебным центром»."
        #expect(
            found(object, entities: grouped(object, [("Иван Петров", .person)]))
                == ["учебным центром | quoted | Иван Петров(PER) | назвал"])
        let gerund = "Актриса Анна Белова написала министру Петрову письмо, назвав его «человеком слова»."
        #expect(
            found(gerund, entities: grouped(gerund, [("Анна Белова", .person), ("Петрову", .person)]))
                == ["человеком слова | quoted | Анна Белова(PER) | назвав"])
        let subject = "Позднее президент, выступая перед сотрудниками, назвал нападение «ужасной атакой»."
        #expect(found(subject, entities: []) == ["ужасной атакой | quoted | президент | назвал"])
    }

    @Test func interviewsDashRunsAndIntroductionsByName() {
        let interview =
            "Фридрих фон Болен: Мы не ожидали такого успеха.\n«Лента.ру»: Что будет с компанией дальше?\nФ. фон Болен: Она вырастет вдвое."
        #expect(
            found(
                interview,
                entities: entities(interview, [("Фридрих фон Болен", .person), ("Лента.ру", .organization), ("Ф. фон Болен", .person)]))
                == [
                    "Мы не ожидали такого успеха. | interview | Фридрих фон Болен(PER) | -",
                    "Что будет с компанией дальше? | interview | Лента.ру(ORG) | -",
                    "Она вырастет вдвое. | interview | Ф. фон Болен(PER) | -",
                ])
        #expect(found("Примечание: данные за май не полны.", entities: []) == [], "a colon after a word that names no one")
        let run = "— Мы готовы, — сказал министр.\n— Завод заработает в мае.\n— Рабочих мест хватит всем."
        #expect(
            found(run)
                == [
                    "Мы готовы | dash | министр | сказал", "Завод заработает в мае. | dash | министр | -",
                    "Рабочих мест хватит всем. | dash | министр | -",
                ])
        let twitter = "Глава Минздрава Мэтт Хэнкок поздравил пару через Twitter: «Очень рад за них, поздравляю!»"
        #expect(
            found(twitter, entities: entities(twitter, [("Минздрава", .organization), ("Мэтт Хэнкок", .person)]))
                == ["Очень рад за них, поздравляю! | quoted | Мэтт Хэнкок(PER) | -"])
        #expect(found("Он поздравил пару через Twitter: «Очень рад за них, поздравляю!»", entities: []).isEmpty, "no verb and no one named")
        let marx = "Си Цзиньпин назвал Маркса «величайшим мыслителем в истории», «учителем революции». Он назвал фильм «Титаник»."
        #expect(
            found(marx, entities: entities(marx, [("Си Цзиньпин", .person)]))
                == [
                    "величайшим мыслителем в истории | quoted | Си Цзиньпин(PER) | назвал",
                    "учителем революции | quoted | Си Цзиньпин(PER) | назвал",
                ])
        let welcome = "Гостей приветствовал губернатор края Виктор Томенко:\nМиссия нашего фестиваля — подарить зрителям праздник."
        #expect(
            found(welcome, entities: entities(welcome, [("Виктор Томенко", .person)]))
                == ["Миссия нашего фестиваля — подарить зрителям праздник. | block | Виктор Томенко(PER) | -"])
    }

    // MARK: Offsets

    @Test func offsetsCountUnicodeScalarsEndExclusive() {
        // Astral emoji (one scalar, four bytes), a combining accent and Cyrillic before the quotations.
        let text = "😀😀 Сро́чно 🙂.\n— Мы готовы 🙂, — заявил министр.\n«Ответ будет», — сказал e\u{301} Пётр Петров."
        let quotes = QuoteExtractor().extract(from: text, entities: entities(text, [("Пётр Петров", .person)]))
        #expect(quotes.count == 2)
        let scalars = Array(text.unicodeScalars)
        func slice(_ start: Int, _ end: Int) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            return String(view)
        }
        for q in quotes {
            #expect(slice(q.start, q.end) == q.text)
            if let s = q.speaker { #expect(slice(s.start, s.end) == s.text) }
        }
        #expect(quotes.first?.start == 16)
        #expect(quotes.first?.text == "Мы готовы 🙂")
        #expect(quotes.last?.speaker == QuoteSpeaker(text: "Пётр Петров", start: 74, end: 85, entity: .person))
    }

    @Test func everyCutOfTheTextIsSafe() {
        // The grammar looks ahead and behind; a text may end anywhere inside a quotation.
        let text =
            "Мэр сказал:\n«Первый абзац.\n«Второй», — сказал он. — Дальше, — добавил он. «Работы много, — признался тренер. — Но»\n"
            + "— Мы, — цитирует одного из солдат телеканал CNN со ссылкой на \"источник\". По словам В. Путина, «да»: „нет“ “x”"
        let scalars = Array(text.unicodeScalars)
        var total = 0
        for cut in 0...scalars.count {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<cut])
            let piece = String(view)
            let pieceScalars = Array(piece.unicodeScalars)
            for q in QuoteExtractor().extract(from: piece, entities: entities(text, [("CNN", .organization)]).filter { $0.end <= cut }) {
                var slice = String.UnicodeScalarView()
                slice.append(contentsOf: pieceScalars[q.start..<q.end])
                #expect(String(slice) == q.text)
                total += 1
            }
        }
        #expect(total > 0)
    }

    // MARK: The seed article

    /// The quote facts of samples/000_e05233e226880e41.expected.json ("must" and "not_quotes").
    struct ExpectedQuote: Sendable {
        var starts: String
        var ends: String
        var speakerContains: String
        var sourceContains: String?
    }

    static let seedQuotes = [
        ExpectedQuote(
            starts: "Как венесуэльские солдаты, мы обращаемся к США", ends: "добиться свободы в Венесуэле",
            speakerContains: "солдат", sourceContains: "CNN"),
        ExpectedQuote(
            starts: "Мы не говорим, что нам нужна только поддержка США", ends: "против этой диктатуры",
            speakerContains: "военный"),
    ]
    static let seedNotQuotes = ["В Венесуэле - двоевластие.", "В Венесуэле — двоевластие."]

    static func seedArticle() throws -> String {
        try String(contentsOfFile: CLIRunner.packageRoot + "/corpus/000_e05233e226880e41.txt", encoding: .utf8)
    }

    @Test(arguments: [false, true])
    func seedArticleQuotesAreFound(normalized: Bool) throws {
        var document = Document(
            origin: Origin(archive: nil, member: "a.txt"), format: .txt, sourceBytes: 0, encoding: "utf-8",
            text: try Self.seedArticle())
        if normalized { _ = NormalizeStage().process(&document) }
        let text = document.text
        document.entities = entities(text, [("CNN", .organization), ("Николаса Мадуро", .person), ("США", .location)])
        _ = QuotesStage().process(&document)
        let quotes = try #require(document.quotes)
        // Nothing else in the article is direct speech.
        #expect(quotes.count == Self.seedQuotes.count, "\(quotes.map(Self.describe))")
        for expected in Self.seedQuotes {
            let quote = try #require(quotes.first { $0.text.hasPrefix(expected.starts) }, "\(expected.starts)")
            #expect(quote.text.hasSuffix(expected.ends))
            #expect(quote.speaker?.text.contains(expected.speakerContains) == true, "\(String(describing: quote.speaker))")
            if let source = expected.sourceContains {
                #expect(quote.source?.text.contains(source) == true)
                #expect(quote.source?.entity == .organization)
                #expect(quote.form == .reported)
            } else {
                #expect(quote.form == .dash)
            }
        }
        let scalars = Array(text.unicodeScalars)
        for sentence in Self.seedNotQuotes {
            guard let range = text.range(of: sentence) else { continue }
            let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
            let end = start + sentence.unicodeScalars.count
            #expect(!quotes.contains { $0.start < end && start < $0.end }, "\(sentence)")
            #expect(scalars.count > end)
        }
    }

    // MARK: Stage, config and a whole run

    @Test func stageOptionsAreChecked() throws {
        let config = try PipelineConfig.parse(
            yaml: "stages: [normalize, {quotes: {unattributed: false, blocks: false}}]", file: "test.yaml")
        #expect(config.stageNames == ["normalize", "quotes"])
        let stage = try #require(config.stages.last as? QuotesStage)
        #expect(stage.extractor.includeUnattributed == false && stage.extractor.includeBlocks == false)
        #expect(stage.contract.reads == [.text, .entities])
        #expect(throws: ConfigError.self) { try PipelineConfig.parse(yaml: "stages: [{quotes: {speakers: true}}]", file: "test.yaml") }
    }

    @Test func recordsCarryQuotesWithOffsetsIntoTheWrittenText() throws {
        let dir = TempDir()
        // CRLF, NBSPs, a hyphen for the dash and straight quotes: normalize rewrites them, and the
        // offsets must point into the text that is written.
        let article =
            "Заголовок новости\r\n\r\n🙂 Жители\u{A0}района собрались у мэрии.\r\n"
            + "- Мы ждём ответа, - сказал один из жителей.\r\n"
            + "\"Ответ будет на следующей неделе\", - цитирует мэра телеканал \"Город\".\r\n"
            + "Компания \"Водоканал\" обещала закончить ремонт. В районе - тишина."
        try dir.write("in/a.txt", article)
        let out = try EngineTests.run([dir.file("in")], in: dir, yaml: "stages: [normalize, quotes]")
        let record = try #require(out.records.first)
        let text = try #require(record["text"] as? String)
        let quotes = try #require(record["quotes"] as? [[String: Any]])
        #expect(quotes.map { $0["text"] as? String } == ["Мы ждём ответа", "Ответ будет на следующей неделе"])
        #expect(quotes.map { $0["form"] as? String } == ["dash", "reported"])
        #expect(quotes.map { $0["verb"] as? String } == ["сказал", "цитирует"])
        let scalars = Array(text.unicodeScalars)
        func slice(_ object: [String: Any]) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[(object["start"] as! Int)..<(object["end"] as! Int)])
            return String(view)
        }
        for quote in quotes {
            #expect(slice(quote) == quote["text"] as? String)
            for key in ["speaker", "source"] {
                if let who = quote[key] as? [String: Any] { #expect(slice(who) == who["text"] as? String) }
            }
        }
        #expect((quotes[0]["speaker"] as? [String: Any])?["text"] as? String == "один из жителей")
        #expect(quotes[0]["source"] is NSNull)
        #expect((quotes[1]["speaker"] as? [String: Any])?["text"] as? String == "мэра")
        #expect((quotes[1]["source"] as? [String: Any])?["text"] as? String == "телеканал «Город»")
        let validator = try SchemaTests.recordValidator()
        let line = String(decoding: out.partBytes.split(separator: 0x0A)[0], as: UTF8.self)
        #expect(validator.validate(json: line) == [])
    }
}
