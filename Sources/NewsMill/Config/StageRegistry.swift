/// A stage a pipeline config can name: its name, its record blocks and how it reads its options.
public protocol ConfigurableStage: Stage {
    static var stageName: String { get }
    /// The record blocks the stage writes (none for a stage that only edits the text).
    static var recordBlocks: [RecordBlock] { get }
    init(options: ConfigSection) throws(ConfigError)
}

extension ConfigurableStage {
    public var name: String { Self.stageName }
    public static var recordBlocks: [RecordBlock] { [] }
}

/// The stages configs can name. Adding a stage is one line here; the list's order is the order
/// of the stages' blocks in a record, not the order they run in (the config says that).
public enum StageRegistry {
    public static let stages: [any ConfigurableStage.Type] = [
        NormalizeStage.self,
        BoilerplateStage.self,
        LeadStage.self,
        LanguageStage.self,
        StatsStage.self,
        EntitiesStage.self,
        DatesStage.self,
        QuotesStage.self,
        NumbersStage.self,
        ExactDedupStage.self,
        NearDedupStage.self,
    ]

    public static var names: [String] { stages.map { $0.stageName } }

    /// Every registered stage's blocks, in record order.
    public static let recordBlocks: [RecordBlock] = stages.flatMap { $0.recordBlocks }

    static func make(name: String, options: ConfigSection) throws(ConfigError) -> any Stage {
        guard let type = stages.first(where: { $0.stageName == name }) else {
            throw ConfigError(
                file: options.file, line: options.line, keyPath: options.path,
                message: "unknown stage '\(name)'; available stages: \(names.joined(separator: ", "))")
        }
        return try type.init(options: options)
    }
}

extension RecordSerializer {
    /// Writes the blocks of every registered stage (those that ran).
    public static let standard = RecordSerializer(blocks: StageRegistry.recordBlocks)
}
