import Foundation

/// A sharded run's fixed division of the input plan: which inputs, or which slices of an input,
/// each of N map tasks reads. The plan's bytes are laid end to end and cut into N equal shares; an
/// input that a cut falls in is shared by the shards its bytes fall in, in proportion, to a
/// twentieth: a slice takes the input's units (members, chunks of dump rows) whose number modulo
/// 20 falls in its range of residues. No unit count is needed beforehand, every slice keeps the
/// input's order, and the sequence task takes the units back in order by their residues.
public struct ShardPlan: Codable, Sendable, Equatable {
    public struct Piece: Codable, Sendable, Equatable {
        /// Index into the plan's files.
        public var file: Int
        /// The residues `first ..< first + count` modulo `modulus` of the units this piece takes.
        public var first: Int
        public var count: Int
        public var modulus: Int

        public var isWhole: Bool { count == modulus }

        public func takes(unit: Int) -> Bool {
            let residue = unit % modulus
            return residue >= first && residue < first + count
        }
    }

    /// How finely a shared input is divided between its shards.
    public static let modulus = 20

    public var shards: Int
    /// Per shard, its pieces in the order of the whole plan.
    public var pieces: [[Piece]]

    public init(files sizes: [Int64], shards: Int) {
        precondition(shards >= 1)
        self.shards = shards
        pieces = Array(repeating: [], count: shards)
        let total = sizes.reduce(0, +)
        var before: Int64 = 0
        for (file, size) in sizes.enumerated() {
            // The shard of byte b is b * shards / total: shares differ by a byte at most.
            func shard(_ byte: Int64) -> Int { total == 0 ? 0 : Int(min(Int64(shards - 1), byte * Int64(shards) / total)) }
            guard size > 0, shard(before) != shard(before + size - 1) else {
                pieces[shard(before)].append(Piece(file: file, first: 0, count: 1, modulus: 1))
                before += size
                continue
            }
            // Each shard's part of the input's bytes, in residues (rounded, at least the largest keeps one).
            var parts: [(shard: Int, count: Int)] = []
            var start = before
            for owner in shard(before)...shard(before + size - 1) {
                let end = owner == shards - 1 ? before + size : ((Int64(owner) + 1) * total + Int64(shards) - 1) / Int64(shards)
                let bytes = max(0, min(end, before + size) - start)
                parts.append((owner, Int((bytes * Int64(Self.modulus) + size / 2) / size)))
                start = end
            }
            parts = parts.filter { $0.count > 0 }
            let assigned = parts.reduce(0) { $0 + $1.count }
            if let largest = parts.indices.max(by: { parts[$0].count < parts[$1].count }) {
                parts[largest].count += Self.modulus - assigned
            }
            if parts.count <= 1 {
                pieces[parts.first?.shard ?? shard(before)].append(Piece(file: file, first: 0, count: 1, modulus: 1))
            } else {
                var first = 0
                for part in parts {
                    pieces[part.shard].append(Piece(file: file, first: first, count: part.count, modulus: Self.modulus))
                    first += part.count
                }
            }
            before += size
        }
    }
}

/// Everything the tasks of a sharded run need, in the run folder (`run.json`), so that a cluster
/// node needs only the binary and the model files: the config's text, the input plan (after the
/// input ledger chose what is new), the division into shards and the output and state paths.
public struct ShardedRunSpec: Codable, Sendable {
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var modified: Int64
        public var root: String?
        public var relative: String
    }

    public struct Problem: Codable, Sendable, Equatable {
        public var input: String
        public var code: String
        public var message: String
    }

    public var format = "newsmill-sharded-run"
    public var version = 1
    public var configFile: String
    public var configText: String
    public var output: String
    public var state: String?
    public var rerun: [String]
    /// The run's inputs as given, and folders never read: the finish task expands them again for
    /// the input ledger, which counts the inputs skipped as well as those taken.
    public var inputs: [String]
    public var excluded: [String]
    public var jobsPerTask: Int
    public var compression: PartCompression
    public var started: String
    public var files: [File]
    public var problems: [Problem]
    public var plan: ShardPlan

    var inputPlan: InputPlan {
        InputPlan(
            files: files.map { InputPlan.File(path: $0.path, size: $0.size, modified: $0.modified, root: $0.root, relative: $0.relative) },
            problems: problems.map {
                Reject(Origin(archive: nil, member: $0.input), RejectCode(rawValue: $0.code) ?? .inputUnreadable, $0.message)
            })
    }

    init(config: PipelineConfig, options: RunOptions, plan: InputPlan, shards: Int, started: Date) {
        configFile = config.file
        configText = config.text
        output = InputPlan.absolute(options.output)
        state = (options.state ?? config.state).map(InputPlan.absolute)
        rerun = options.rerun.map(\.pattern)
        inputs = options.inputs
        excluded = [options.output] + ((options.state ?? config.state).map { [$0] } ?? [])
        jobsPerTask = options.jobs
        compression = config.output.compression
        self.started = RunHistory.timestamp(started)
        files = plan.files.map { File(path: $0.path, size: $0.size, modified: $0.modified, root: $0.root, relative: $0.relative) }
        problems = plan.problems.map { Problem(input: $0.origin.member, code: $0.code.rawValue, message: $0.message) }
        self.plan = ShardPlan(files: plan.files.map(\.size), shards: shards)
    }

    func config() throws(RunFailure) -> PipelineConfig {
        do { return try PipelineConfig.parse(yaml: configText, file: configFile) } catch {
            throw RunFailure("the run folder's config does not load here: \(error)")
        }
    }
}

/// The run folder of a sharded run, `.NAME.run` beside the output: the spec, each task's results
/// (written under a temporary name and renamed, so a task run twice leaves one result), and the
/// Slurm scripts and logs.
public struct RunFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The run folder of the output `output`.
    public init(output: String) {
        let url = URL(fileURLWithPath: InputPlan.absolute(output))
        self.init(path: "\(url.deletingLastPathComponent().path)/.\(url.lastPathComponent).run")
    }

    public var specFile: String { "\(path)/run.json" }
    public func shard(_ index: Int) -> String { "\(path)/map/\(Self.number(index))" }
    public var sequence: String { "\(path)/sequence" }
    public func written(_ part: Int) -> String { "\(path)/write/\(Self.number(part)).json" }
    public var logs: String { "\(path)/logs" }

    static func number(_ value: Int) -> String { String(value).leftPadded(to: 5) }

    public func loadSpec() throws(RunFailure) -> ShardedRunSpec {
        guard let data = FileManager.default.contents(atPath: specFile) else {
            throw RunFailure("\(path) is not a sharded run's folder: no run.json")
        }
        do { return try JSONDecoder().decode(ShardedRunSpec.self, from: data) } catch {
            throw RunFailure("\(specFile) does not load: \(error)")
        }
    }

    func save<T: Encodable>(_ value: T, to file: String) throws(RunFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(value) } catch { throw RunFailure("cannot encode \(file): \(error)") }
        try FileSink.replace(file, with: Array(data) + [0x0A])
    }

    func load<T: Decodable>(_ type: T.Type, from file: String) throws(RunFailure) -> T {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RunFailure("\(file) is missing: its task has not finished")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch { throw RunFailure("\(file) does not load: \(error)") }
    }
}
