import Foundation
import NewsMillNER
import RussianMorphology

/// Sets `entities`: persons, organisations and locations found by the slovnet news NER model,
/// run in Swift, each with its nominative `normal` form from OpenCorpora's dictionary. The model
/// files come from the natasha wheel and the pymorphy2-dicts-ru wheel (Scripts/install-models.sh);
/// they are looked for in `models:` when the config names a folder, else in $NEWSMILL_MODELS,
/// ./models and a models folder beside the executable's checkout.
public struct EntitiesStage: ConfigurableStage {
    public static let stageName = "entities"
    public static let recordBlocks: [RecordBlock] = [.entities]
    public var contract: StageContract { StageContract(reads: [.text, .title], writes: [.entities]) }
    let tagger: EntityTagger
    /// Nil with `normal: false`: mentions as written, without `normal`, `group` and `canonical`.
    let normalForms: EntityNormalForms?

    /// `cachedWords`: first-layer word rows each worker keeps across documents (`word_cache`).
    public init(
        modelDirectory: String, normalForms: Bool = true, cachedWords: Int = EntityTagger.defaultCachedWords
    ) throws(NERModel.Failure) {
        tagger = EntityTagger(model: try Self.loadModel(modelDirectory), cachedWords: cachedWords)
        guard normalForms else {
            self.normalForms = nil
            return
        }
        do {
            self.normalForms = EntityNormalForms(normalizer: NameNormalizer(dictionary: try Self.loadDictionary(modelDirectory)))
        } catch {
            throw NERModel.Failure(message: error.message)
        }
    }

    public init(options: ConfigSection) throws(ConfigError) {
        try options.allowOnly(["models", "normal", "word_cache"])
        let normal = try options.bool("normal", default: true)
        let cachedWords = try options.int("word_cache", default: EntityTagger.defaultCachedWords, range: 0...1_048_576)
        let configured = try options.string("models", default: "")
        let candidates = configured.isEmpty ? Self.defaultModelDirectories() : [configured]
        guard let directory = candidates.first(where: Self.holdsModel) else {
            throw options.error(
                "models",
                """
                the entities stage needs the slovnet NER model files \(NERModel.nerFile) and \(NERModel.navecFile) \
                and the dictionary \(RussianDictionary.wheelFile), not found in \(candidates.joined(separator: ", ")); \
                run Scripts/install-models.sh (it fetches them from the natasha 1.6.0 and pymorphy2-dicts-ru wheels \
                with pip into models/), or name their folder with `models:` or NEWSMILL_MODELS, or remove \
                `entities` from the stages
                """)
        }
        do {
            try self.init(modelDirectory: directory, normalForms: normal, cachedWords: cachedWords)
        } catch {
            throw options.error(
                "models", "cannot load the NER model or dictionary: \(error.message); run Scripts/install-models.sh to fetch them again")
        }
    }

    public func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
        var entities = tagger.entities(in: document.text)
        var titleEntities = document.title.map { tagger.entities(in: $0) } ?? []
        if let normalForms {
            let groups = normalForms.annotate(&entities, in: document.text)
            if let title = document.title { normalForms.annotate(title: &titleEntities, in: title, text: groups) }
        }
        document.entities = entities
        document.titleEntities = titleEntities
        return .keep
    }

    static func holdsModel(_ directory: String) -> Bool {
        [NERModel.nerFile, NERModel.navecFile, RussianDictionary.wheelFile].allSatisfy {
            FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0))
        }
    }

    static func defaultModelDirectories() -> [String] {
        var directories: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["NEWSMILL_MODELS"], !fromEnvironment.isEmpty {
            directories.append(fromEnvironment)
        }
        directories.append("models")
        // A binary built in a checkout (.build/<triple>/release/newsmill) finds the checkout's models/.
        var folder = (Bundle.main.executablePath.map { ($0 as NSString).resolvingSymlinksInPath } ?? "") as NSString
        for _ in 0..<4 where folder.length > 1 {
            folder = folder.deletingLastPathComponent as NSString
            let candidate = folder.appendingPathComponent("models")
            if holdsModel(candidate) && !directories.contains(candidate) {
                directories.append(candidate)
                break
            }
        }
        return directories
    }

    /// One loaded model per folder and process: configs and tests that name the same folder
    /// share it instead of reading 27 MB again.
    private static let loaded = ModelCache()

    /// Under a pthread lock rather than `Mutex`, whose lock ThreadSanitizer does not see (the
    /// Synchronization module is not instrumented): `swift test --sanitize=thread` then reports
    /// real races only.
    private final class ModelCache: @unchecked Sendable {
        private let lock = NSLock()
        private var models: [String: NERModel] = [:]

        /// Loading under the lock: a second stage naming the folder waits and shares the model.
        func model(_ key: String, load: () throws(NERModel.Failure) -> NERModel) throws(NERModel.Failure) -> NERModel {
            lock.lock()
            defer { lock.unlock() }
            if let model = models[key] { return model }
            let model = try load()
            models[key] = model
            return model
        }
    }

    private static let dictionaries = DictionaryCache()

    private final class DictionaryCache: @unchecked Sendable {
        private let lock = NSLock()
        private var dictionaries: [String: RussianDictionary] = [:]

        func dictionary(_ key: String) throws(RussianDictionary.Failure) -> RussianDictionary {
            lock.lock()
            defer { lock.unlock() }
            if let dictionary = dictionaries[key] { return dictionary }
            let dictionary = try RussianDictionary(wheel: (key as NSString).appendingPathComponent(RussianDictionary.wheelFile))
            dictionaries[key] = dictionary
            return dictionary
        }
    }

    static func loadDictionary(_ directory: String) throws(RussianDictionary.Failure) -> RussianDictionary {
        try dictionaries.dictionary((directory as NSString).standardizingPath)
    }

    static func loadModel(_ directory: String) throws(NERModel.Failure) -> NERModel {
        let key = (directory as NSString).standardizingPath
        return try loaded.model(key) { () throws(NERModel.Failure) in try NERModel(directory: directory) }
    }
}
