/// What a run did, as counts: written to report.json and summarized on stderr.
public struct RunReport: Sendable {
    public struct StageTiming: Sendable {
        public var name: String
        public var seconds: Double

        public init(name: String, seconds: Double) {
            self.name = name
            self.seconds = seconds
        }
    }

    /// The pipeline config's path (set by whoever ran it).
    public var pipeline = ""
    public var jobs: Int
    public var read = ReadStats()
    public var documentsRead = 0
    public var written = 0
    public var rejectsByCode: [String: Int] = [:]
    public var droppedByReason: [String: Int] = [:]
    /// Statuses of the documents written, as the last dedup stage counted them.
    public var dedupStatus: [String: Int] = [:]
    public var repairs = DecodeRepairs()
    public var textBytes = 0
    public var output = OutputSummary(records: 0)
    public var seconds = 0.0
    public var stageTimings: [StageTiming] = []
    /// What each stage counted, in stage order (parallel to `stageTimings`).
    public var stageCounts: [StageCounts] = []
    /// With a state folder: the run's id there, and the input ledger's decisions by kind.
    public var run: Int?
    public var ledger: [String: Int] = [:]
    /// Documents a killed run had done when this run resumed it from its checkpoint.
    public var resumedAfter: Int?
    /// This process only committed and published a run that had finished writing when it was killed.
    public var completedFinishedRun = false

    /// The counts of a report.json, for a run completed from what a killed process left.
    public init(recovered json: JSONValue) {
        jobs = json["jobs"]?.int ?? 1
        pipeline = json["pipeline"]?.string ?? ""
        run = json["run"]?.int
        documentsRead = json["documents"]?["read"]?.int ?? 0
        written = json["documents"]?["written"]?.int ?? 0
        func counts(_ value: JSONValue?) -> [String: Int] {
            guard case .object(let members)? = value else { return [:] }
            return Dictionary(members.compactMap { key, value in value.int.map { (key, $0) } }) { a, _ in a }
        }
        rejectsByCode = counts(json["rejects"])
        droppedByReason = counts(json["dropped"])
        dedupStatus = counts(json["dedup"])
        if case .array(let parts)? = json["output"]?["parts"] {
            output = OutputSummary(files: parts.compactMap(\.string), records: written)
        }
        seconds = json["timing"]?["seconds"]?.double ?? 0
        textBytes = Int((json["timing"]?["text_mb"]?.double ?? 0) * 1_000_000)
    }

    public init(jobs: Int) {
        self.jobs = jobs
    }

    public var parts: [String] { output.files }
    public var rejected: Int { rejectsByCode.values.reduce(0, +) }
    public var dropped: Int { droppedByReason.values.reduce(0, +) }

    public func json() -> JSONValue {
        func counts(_ dictionary: [String: Int]) -> JSONValue {
            .object(dictionary.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) })
        }
        func number(_ value: Double) -> JSONValue {
            .number(String(format3(value)))
        }
        let mb = Double(textBytes) / 1_000_000
        var inputs: [(String, JSONValue)] = [
            ("files", .number(String(read.files))),
            ("archives", .number(String(read.archives))),
            ("members", .number(String(read.members))),
            ("skipped", counts(read.skipped)),
            ("bytes", .number(String(read.bytesRead))),
        ]
        if !ledger.isEmpty { inputs.append(("ledger", counts(ledger))) }
        if read.metadataRows + read.metadataUnmatched > 0 {
            inputs.append(
                ("metadata", counts(["rows": read.metadataRows, "joined": read.metadataJoined, "unmatched": read.metadataUnmatched])))
        }
        var files: [(String, JSONValue)] = [
            ("parts", .array(output.files.map { .string($0) })),
            ("records", .number(String(written))),
            ("bytes", .number(String(output.bytes))),
            ("compression", .string(output.compression.codec.rawValue)),
        ]
        if output.compression.codec != .none {
            files.append(("compression_level", .number(String(output.compression.level))))
        }
        files.append(("compressed_bytes", .number(String(output.compressedBytes))))
        var run: [(key: String, value: JSONValue)] = self.run.map { [("run", .number(String($0)))] } ?? []
        if let resumedAfter { run.append(("resumed_after_documents", .number(String(resumedAfter)))) }
        return .object(
            [("schema", .number("1"))] + run + [
                ("pipeline", .string(pipeline)),
                ("jobs", .number(String(jobs))),
                ("inputs", .object(inputs)),
                (
                    "documents",
                    .object([
                        ("read", .number(String(documentsRead))),
                        ("written", .number(String(written))),
                        ("rejected", .number(String(rejected))),
                        ("dropped", .number(String(dropped))),
                    ])
                ),
                ("rejects", counts(rejectsByCode)),
                ("dropped", counts(droppedByReason)),
                ("dedup", counts(dedupStatus)),
                ("decoding", repairs.json()),
                ("stages", .object(zip(stageTimings, stageCounts).filter { !$1.values.isEmpty }.map { ($0.name, counts($1.values)) })),
                ("output", .object(files)),
                (
                    "timing",
                    .object([
                        ("seconds", number(seconds)),
                        ("documents_per_second", number(seconds > 0 ? Double(documentsRead) / seconds : 0)),
                        ("text_mb", number(mb)),
                        ("text_mb_per_second", number(seconds > 0 ? mb / seconds : 0)),
                        ("stages", .object(stageTimings.map { ($0.name, number($0.seconds)) })),
                    ])
                ),
            ])
    }

    private func format3(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
    }
}

/// Documents decoded as UTF-8 with bad bytes repaired, counted as they are decoded (before any
/// stage may reject or drop them), so no repair goes uncounted.
public struct DecodeRepairs: Codable, Sendable, Equatable {
    public var documents = 0
    public var bytes = 0
    /// Of those, documents with a legacy run decoded in its charset.
    public var mixedCharset = 0

    public init(documents: Int = 0, bytes: Int = 0, mixedCharset: Int = 0) {
        self.documents = documents
        self.bytes = bytes
        self.mixedCharset = mixedCharset
    }

    mutating func add(_ document: Document) {
        guard document.invalidBytes > 0 else { return }
        documents += 1
        bytes += document.invalidBytes
        if document.mixedCharset != nil { mixedCharset += 1 }
    }

    func json() -> JSONValue {
        .object([
            ("invalid_utf8_documents", .number(String(documents))),
            ("invalid_utf8_bytes", .number(String(bytes))),
            ("mixed_charset_documents", .number(String(mixedCharset))),
        ])
    }

    public mutating func merge(_ other: DecodeRepairs) {
        documents += other.documents
        bytes += other.bytes
        mixedCharset += other.mixedCharset
    }
}

extension JSONValue {
    /// Indented JSON for files people read (report.json, the record schema). `inlineScalarArrays`
    /// keeps an array of plain values on one line.
    public func pretty(indent: String = "", inlineScalarArrays: Bool = false) -> String {
        let inner = indent + "  "
        switch self {
        case .object(let members):
            if members.isEmpty { return "{}" }
            let body = members.map { key, value in
                var json = JSONWriter()
                json.string(key)
                return
                    "\(inner)\(String(decoding: json.bytes, as: UTF8.self)): \(value.pretty(indent: inner, inlineScalarArrays: inlineScalarArrays))"
            }
            return "{\n\(body.joined(separator: ",\n"))\n\(indent)}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if inlineScalarArrays && items.allSatisfy(\.isScalar) {
                return "[\(items.map { $0.pretty() }.joined(separator: ", "))]"
            }
            return
                "[\n\(items.map { inner + $0.pretty(indent: inner, inlineScalarArrays: inlineScalarArrays) }.joined(separator: ",\n"))\n\(indent)]"
        case .string(let s):
            var json = JSONWriter()
            json.string(s)
            return String(decoding: json.bytes, as: UTF8.self)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }
}
