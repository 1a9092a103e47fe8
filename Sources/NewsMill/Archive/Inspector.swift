/// Lists what a run would read, member by member, without decoding documents: the reader's own
/// decisions (patterns, formats, metadata tables read ahead, the sniff of a .txt member's first
/// KB for CoNLL-U and tables), never the charset detection or the stages.
public enum Inspector {
    public struct Entry: Sendable {
        public var origin: Origin
        /// Format name, or "skip:<reason>" / "reject:<code>".
        public var kind: String
        public var bytes: Int
        public var records: Int
        public var message: String?
    }

    public static func list(inputs: [String], options: InputOptions) -> [Entry] {
        let plan = InputPlan.expand(inputs)
        var entries: [Entry] = plan.problems.map {
            Entry(origin: $0.origin, kind: "reject:\($0.code.rawValue)", bytes: 0, records: 0, message: $0.message)
        }
        let reader = SourceReader(options: options, progress: ProgressCounter()) { item in
            switch item {
            case .member(let member):
                entries.append(
                    Entry(
                        origin: member.origin, kind: member.format.rawValue, bytes: member.bytes.count, records: 1,
                        message: member.metadata.map { _ in "metadata row joined" }))
            case .rows(let chunk):
                let records = FormatRegistry.handler(for: chunk.format).records(in: chunk)
                if let last = entries.last, last.origin == chunk.origin, last.kind == chunk.format.rawValue {
                    entries[entries.count - 1].bytes += chunk.bytes.count
                    entries[entries.count - 1].records += records
                } else {
                    entries.append(
                        Entry(
                            origin: chunk.origin, kind: chunk.format.rawValue,
                            bytes: chunk.bytes.count + (chunk.header?.count ?? 0), records: records))
                }
            case .reject(let reject):
                entries.append(
                    Entry(origin: reject.origin, kind: "reject:\(reject.code.rawValue)", bytes: 0, records: 0, message: reject.message))
            }
        }
        reader.onSkip = { origin, reason, message in
            entries.append(Entry(origin: origin, kind: "skip:\(reason)", bytes: 0, records: 0, message: message))
        }
        reader.read(plan)
        return entries
    }
}
