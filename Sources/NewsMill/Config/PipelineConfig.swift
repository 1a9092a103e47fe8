import Foundation
import Yams

/// Names of dump fields (JSON keys, CSV columns) that carry each document field; the first
/// present, non-empty one wins.
public struct FieldNames: Sendable, Equatable {
    public var text = ["text", "body", "content", "article"]
    public var title = ["title", "headline"]
    public var date = ["date", "published", "pubdate", "datetime"]
    public var url = ["url", "link"]
    /// Whether the text field holds HTML to extract the text from.
    public var html = FieldMarkup.auto

    public init() {}
}

public struct InputOptions: Sendable, Equatable {
    public var maxMemberBytes = 64 << 20
    public var maxArchiveDepth = 3
    /// Member extensions by `input.extensions` key (a format's name).
    public var extensions = FormatRegistry.defaultExtensions
    /// Recognise a headline as the first line of a .txt member.
    public var txtHeadline = true
    public var fields = FieldNames()
    public var csvDelimiter: UInt8 = UInt8(ascii: ",")
    /// Member paths to read as documents (empty: all); archives are descended whatever it says.
    public var include: [MemberGlob] = []
    /// Member paths never read: documents and archives alike.
    public var exclude: [MemberGlob] = []
    public var metadata: MetadataOptions?

    public init() {}

    public func format(forExtension ext: String) -> MemberFormat? {
        FormatRegistry.handler(forExtension: ext, in: extensions)?.format
    }
}

/// A table beside the texts (`input.metadata`) whose rows give title, date and url of the text
/// member named in its key column.
public struct MetadataOptions: Sendable, Equatable {
    public var path: MemberGlob
    /// Candidate key columns: the first the header has holds the text's file name or stem.
    public var key = ["textid", "id", "file", "filename"]
    public var fields = FieldNames()
    /// nil: from the header line (a tab, else ";" when it has more of them than ",", else ",").
    public var delimiter: UInt8?

    public init(path: MemberGlob) {
        self.path = path
    }
}

public struct OutputOptions: Sendable, Equatable {
    public var partMaxRecords = 100_000
    public var compression = PartCompression.none
    public init() {}
}

/// A parsed, validated pipeline config (Pipelines/*.yaml).
public struct PipelineConfig: Sendable {
    public var file: String
    /// The YAML as read: a checkpoint made under another config is not resumed.
    public var text = ""
    public var input = InputOptions()
    public var output = OutputOptions()
    public var stages: [any Stage] = []
    /// State folder kept across runs (`state:`); `--state` overrides it.
    public var state: String?
    public var stageNames: [String] { stages.map(\.name) }

    public static func load(path: String) throws(ConfigError) -> PipelineConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, keyPath: "", message: "cannot read the config: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String) throws(ConfigError) -> PipelineConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError(file: file, line: nil, keyPath: "", message: "not valid YAML: \(error)")
        }
        var config = PipelineConfig(file: file)
        config.text = yaml
        let top = try ConfigSection(file: file, path: "", node: root)
        try top.allowOnly(["version", "input", "stages", "output", "state"])
        if top.node("state") != nil {
            let state = try top.string("state", default: "")
            if state.isEmpty { throw top.error("state", "expected the path of a state folder") }
            config.state = state
        }
        let version = try top.int("version", default: 1, range: 1...1)
        _ = version

        let input = try top.section("input")
        try input.allowOnly([
            "max_member_bytes", "max_archive_depth", "extensions", "txt", "fields", "csv", "include", "exclude", "metadata",
        ])
        config.input.maxMemberBytes = try input.int("max_member_bytes", default: config.input.maxMemberBytes, range: 1...(1 << 40))
        config.input.maxArchiveDepth = try input.int("max_archive_depth", default: config.input.maxArchiveDepth, range: 0...16)
        let extensions = try input.section("extensions")
        try extensions.allowOnly(FormatRegistry.extensionKeys)
        for key in FormatRegistry.extensionKeys {
            config.input.extensions[key] = try extensions.stringList(key, default: config.input.extensions[key] ?? []).map {
                $0.lowercased()
            }
        }
        let txt = try input.section("txt")
        try txt.allowOnly(["headline"])
        config.input.txtHeadline = try txt.bool("headline", default: true)
        let fields = try input.section("fields")
        try fields.allowOnly(["text", "title", "date", "url", "html"])
        config.input.fields.text = try fields.stringList("text", default: config.input.fields.text)
        config.input.fields.title = try fields.stringList("title", default: config.input.fields.title)
        config.input.fields.date = try fields.stringList("date", default: config.input.fields.date)
        config.input.fields.url = try fields.stringList("url", default: config.input.fields.url)
        config.input.fields.html = FieldMarkup(
            rawValue: try fields.choice(
                "html", default: FieldMarkup.auto.rawValue,
                allowed: FieldMarkup.allCases.map(\.rawValue)))!
        let csv = try input.section("csv")
        try csv.allowOnly(["delimiter"])
        let delimiter = try csv.choice("delimiter", default: ",", allowed: [",", ";", "\t", "|"])
        config.input.csvDelimiter = delimiter.utf8.first!
        config.input.include = try globs(input, "include")
        config.input.exclude = try globs(input, "exclude")
        if input.node("metadata") != nil {
            config.input.metadata = try metadataOptions(input.section("metadata"), fields: config.input.fields)
        }

        let output = try top.section("output")
        try output.allowOnly(["part_max_records", "compression", "compression_level"])
        config.output.partMaxRecords = try output.int("part_max_records", default: config.output.partMaxRecords, range: 1...Int(Int32.max))
        let codec = PartCompression.Codec(
            rawValue: try output.choice("compression", default: "none", allowed: PartCompression.Codec.allCases.map(\.rawValue)))!
        if codec == .none && output.node("compression_level") != nil {
            throw output.error("compression_level", "only for compressed parts; set compression to zstd or gzip, or leave the level out")
        }
        config.output.compression = PartCompression(
            codec: codec, level: try output.int("compression_level", default: codec.defaultLevel, range: codec.levels))

        config.stages = try parseStages(top: top, file: file)
        return config
    }

    private static func globs(_ section: ConfigSection, _ key: String) throws(ConfigError) -> [MemberGlob] {
        var globs: [MemberGlob] = []
        // `include: []` says "everything", as leaving the key out does.
        if section.node(key)?.sequence?.isEmpty == true { return [] }
        for pattern in try section.stringList(key, default: []) {
            do {
                globs.append(try MemberGlob(pattern))
            } catch {
                throw section.error(key, "bad glob '\(pattern)': \(error.message)")
            }
        }
        return globs
    }

    private static func metadataOptions(_ section: ConfigSection, fields defaults: FieldNames) throws(ConfigError) -> MetadataOptions {
        try section.allowOnly(["path", "key", "fields", "delimiter"])
        let pattern = try section.string("path", default: "")
        if pattern.isEmpty { throw section.error("path", "missing; a glob of the member holding the metadata, e.g. '**/metadata.csv'") }
        var options: MetadataOptions
        do {
            options = MetadataOptions(path: try MemberGlob(pattern))
        } catch {
            throw section.error("path", "bad glob '\(pattern)': \(error.message)")
        }
        options.key = try section.stringList("key", default: options.key)
        let fields = try section.section("fields")
        try fields.allowOnly(["title", "date", "url"])
        options.fields.title = try fields.stringList("title", default: defaults.title)
        options.fields.date = try fields.stringList("date", default: defaults.date)
        options.fields.url = try fields.stringList("url", default: defaults.url)
        let delimiter = try section.choice("delimiter", default: "auto", allowed: ["auto", ",", ";", "\t", "|"])
        options.delimiter = delimiter == "auto" ? nil : delimiter.utf8.first!
        return options
    }

    private static func parseStages(top: ConfigSection, file: String) throws(ConfigError) -> [any Stage] {
        guard let node = top.node("stages") else {
            throw top.error("stages", "missing; list the stages to run, e.g. [normalize, stats, exact_dedup]")
        }
        guard let sequence = node.sequence else { throw top.error("stages", "expected a list of stages") }
        var stages: [any Stage] = []
        var lines: [Int?] = []
        for (index, item) in sequence.enumerated() {
            let path = "stages[\(index)]"
            let name: String
            let options: ConfigSection
            switch item {
            case .scalar(let scalar):
                name = scalar.string
                options = try ConfigSection(file: file, path: "\(path).\(name)", node: nil)
            case .mapping(let mapping) where mapping.count == 1:
                let (keyNode, value) = mapping.first!
                guard let key = keyNode.string else {
                    throw ConfigError(file: file, line: item.mark?.line, keyPath: path, message: "a stage name must be a string")
                }
                name = key
                options = try ConfigSection(file: file, path: "\(path).\(name)", node: value)
            default:
                throw ConfigError(
                    file: file, line: item.mark?.line, keyPath: path,
                    message: "expected a stage name or 'name: {options}'")
            }
            if stages.contains(where: { $0.name == name }) {
                throw ConfigError(file: file, line: item.mark?.line, keyPath: path, message: "stage '\(name)' is listed twice")
            }
            stages.append(try StageRegistry.make(name: name, options: options))
            lines.append(item.mark?.line)
        }
        // A stage that changes what an earlier one read would leave that one's output stale
        // (offsets into an older text, speakers resolved against no entities).
        if let problem = StageOrder.check(stages) {
            throw ConfigError(file: file, line: lines[problem.index], keyPath: "stages[\(problem.index)]", message: problem.message)
        }
        return stages
    }
}

extension PipelineConfig {
    public static let defaultPath = "Pipelines/default.yaml"

    /// The same pipeline as Pipelines/default.yaml, for runs outside the repository.
    public static func builtInDefault() throws(ConfigError) -> PipelineConfig {
        try parse(
            yaml: """
                version: 1
                stages:
                  - normalize
                  - boilerplate
                  - lead
                  - language
                  - stats
                  - dates
                  - numbers
                  - entities
                  - quotes
                  - exact_dedup:
                      mode: mark
                  - near_dedup
                """, file: "(built-in default)")
    }
}
