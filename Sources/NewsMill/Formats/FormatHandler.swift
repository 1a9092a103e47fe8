import ArchiveIO

/// One member format: what the config and the record call it, which members are its, how a
/// member's bytes become items for the workers (`split`, on the reader's thread), and how such an
/// item becomes documents (`decode`, pure, on worker threads). `FormatRegistry` lists them.
protocol FormatHandler: Sendable {
    var format: MemberFormat { get }
    /// The `input.extensions` key whose list names this format's members.
    var extensionsKey: String { get }
    /// That list's default; empty for a format that shares another's key.
    var defaultExtensions: [String] { get }
    /// Whether a member with an extension listed under `extensionsKey` is of this format.
    func takes(extension: String) -> Bool
    /// One member is one document, so a metadata row naming the member describes it.
    var joinsMetadata: Bool { get }
    /// Reads one member and emits it whole, or as chunks of whole records, or as rejects. Returns
    /// why the member is not read at all when it turns out not to be an article, before emitting anything.
    func split(_ member: MemberBytes, emit: (SourceItem) -> Void) -> MemberSkip?
    func decode(_ member: RawMember, options: InputOptions) -> [Outcome]
    func decode(_ chunk: RowChunk, options: InputOptions) -> [Outcome]
    /// The records in a chunk, for `inspect`.
    func records(in chunk: RowChunk) -> Int
}

extension FormatHandler {
    func takes(extension: String) -> Bool { true }

    /// A member held in memory, split and decoded as a run would (fuzzing, benchmarks).
    func decodeWhole(_ bytes: [UInt8], origin: Origin, options: InputOptions) -> [Outcome] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        let member = MemberBytes(
            origin: origin, declaredSize: Int64(bytes.count), maxBytes: options.maxMemberBytes,
            buffer: buffer
        ) { out throws(ArchiveFailure) in
            let n = min(out.count, bytes.count - offset)
            bytes.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + n])) }
            offset += n
            return n
        }
        let decoder = MemberDecoder(options: options)
        var outcomes: [Outcome] = []
        _ = split(member) { outcomes += decoder.decode($0) }
        return outcomes
    }
}

/// Why a member is passed over (`skipped` in the report, `skip:` in `inspect`).
struct MemberSkip: Equatable {
    var reason: String
    var message: String
}

/// A format whose member is one document, read whole.
protocol WholeMemberFormat: FormatHandler {
    /// Why a member read whole is not an article after all; nil to read it.
    func skip(_ bytes: [UInt8]) -> MemberSkip?
}

extension WholeMemberFormat {
    var joinsMetadata: Bool { true }

    func skip(_ bytes: [UInt8]) -> MemberSkip? { nil }

    func split(_ member: MemberBytes, emit: (SourceItem) -> Void) -> MemberSkip? {
        if member.rejectDeclaredSize(emit: emit) { return nil }
        switch member.whole() {
        case .failure(let failure):
            emit(.reject(Reject(member.origin, .memberCorrupt, failure.message)))
        case .success(nil):
            emit(.reject(Reject(member.origin, .memberTooLarge, "member exceeds max_member_bytes (\(member.maxBytes))")))
        case .success(let bytes?):
            if let skip = skip(bytes) { return skip }
            emit(.member(RawMember(origin: member.origin, format: format, bytes: bytes)))
        }
        return nil
    }

    /// The reader never cuts these members into records: a chunk made by hand is one member.
    func decode(_ chunk: RowChunk, options: InputOptions) -> [Outcome] {
        decode(RawMember(origin: chunk.origin, format: format, bytes: chunk.bytes), options: options)
    }

    func records(in chunk: RowChunk) -> Int { 1 }
}

/// A dump of records, streamed in chunks of whole records.
protocol RecordFormat: FormatHandler {
    var chunker: RecordChunker { get }
}

extension RecordFormat {
    var joinsMetadata: Bool { false }

    func split(_ member: MemberBytes, emit: (SourceItem) -> Void) -> MemberSkip? {
        chunker.stream(member, emit: emit)
        return nil
    }

    /// The reader never emits these members whole: one made by hand is split as the reader would.
    func decode(_ member: RawMember, options: InputOptions) -> [Outcome] {
        decodeWhole(member.bytes, origin: member.origin, options: options)
    }
}
