/// A whole member to decode as one document (or one JSON array).
public struct RawMember: Sendable {
    public var origin: Origin
    public var format: MemberFormat
    public var bytes: [UInt8]
    /// The row of `input.metadata` that names this member, when there is one.
    public var metadata: [(key: String, value: String)]?

    public init(origin: Origin, format: MemberFormat, bytes: [UInt8], metadata: [(key: String, value: String)]? = nil) {
        self.origin = origin
        self.format = format
        self.bytes = bytes
        self.metadata = metadata
    }
}

/// Consecutive whole records of a JSON Lines or CSV dump. Dumps are cut into chunks as they
/// stream, so a dump of any size runs in bounded memory and its rows are decoded in parallel.
public struct RowChunk: Sendable {
    public var origin: Origin
    public var format: MemberFormat
    /// The CSV header record, repeated with every chunk of its member.
    public var header: [UInt8]?
    public var bytes: [UInt8]
    /// Row number of the first record in `bytes` (1-based; JSON Lines count lines, CSV counts
    /// records after the header).
    public var firstRow: Int
}

/// What the reader hands to the workers, in the fixed order.
public enum SourceItem: Sendable {
    case member(RawMember)
    case rows(RowChunk)
    case reject(Reject)

    var approximateBytes: Int {
        switch self {
        case .member(let m): return m.bytes.count
        case .rows(let r): return r.bytes.count + (r.header?.count ?? 0)
        case .reject: return 256
        }
    }
}
