import ArchiveIO
import CArchive
import Glibc

/// Walks the input plan on one thread: files, archives, archives inside archives, compressed
/// files, member selection and metadata tables. Each member's bytes go to its format's handler
/// (`FormatRegistry`), which emits them whole or in chunks of records. Emits `SourceItem`s in the
/// fixed order; never throws: whatever cannot be read becomes a reject item in its place.
final class SourceReader {
    typealias ReadBytes = MemberBytes.Read

    let options: InputOptions
    private let emit: (SourceItem) -> Void
    private let progress: ProgressCounter
    private(set) var stats = ReadStats()
    /// Told about each member that is not read (inspect lists them).
    var onSkip: ((Origin, String, String?) -> Void)?
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    /// AE_IFREG: a C macro with a cast, which Swift does not import.
    static let regularFile: UInt32 = 0o100000

    init(options: InputOptions, progress: ProgressCounter, emit: @escaping (SourceItem) -> Void) {
        self.options = options
        self.progress = progress
        self.emit = emit
    }

    deinit {
        buffer.deallocate()
    }

    func read(_ plan: InputPlan) {
        if let metadata = options.metadata { readFolderMetadata(plan, options: metadata) }
        var done: Int64 = 0
        for file in plan.files {
            stats.files += 1
            readFile(file)
            done += file.size
            progress.setBytes(done)
        }
        stats.bytesRead = done
    }

    /// A sharded run's map task: the plan's files at `visits` (indexes into `plan.files`), with
    /// `beforeVisit` told each visit first. Folder tables are read for the whole plan (their rows
    /// counted when `countFolderMetadata`, by one task of the run); a visit for which `keepsStats`
    /// is false reads as usual but leaves the counts as they were, since another task counts
    /// that file.
    func read(
        _ plan: InputPlan, visits: [Int], countFolderMetadata: Bool, keepsStats: (Int) -> Bool, beforeVisit: (Int) -> Void
    ) {
        if let metadata = options.metadata {
            readFolderMetadata(plan, options: metadata)
            if !countFolderMetadata { stats.metadataRows = 0 }
        }
        var done: Int64 = 0
        for (visit, index) in visits.enumerated() {
            let before = stats
            beforeVisit(visit)
            stats.files += 1
            readFile(plan.files[index])
            if keepsStats(visit) { done += plan.files[index].size } else { stats = before }
            progress.setBytes(done)
        }
        stats.bytesRead = done
    }

    /// Whether a text found a row of `input.metadata`; `off` when the config asks for none.
    private enum Join {
        case off, missing, row(MetadataIndex.Row)
    }

    /// Metadata tables of each folder input, read before any of its files.
    private var folderMetadata: [String: MetadataIndex] = [:]

    private func readFolderMetadata(_ plan: InputPlan, options metadata: MetadataOptions) {
        for file in plan.files {
            guard let root = file.root, metadata.path.matches(member: file.relative[...]) else { continue }
            var index = folderMetadata[root] ?? MetadataIndex(options: metadata)
            let origin = Origin(archive: nil, member: file.path)
            let fd = open(file.path, O_RDONLY)
            if fd < 0 {
                index.fail(path: file.relative, Reject(origin, .inputUnreadable, String(cString: strerror(errno))))
            } else {
                defer { close(fd) }
                let result = readWhole(limit: options.maxMemberBytes) { out throws(ArchiveFailure) in
                    let n = Glibc.read(fd, out.baseAddress, out.count)
                    if n < 0 { throw ArchiveFailure(message: String(cString: strerror(errno))) }
                    return n
                }
                take(result, into: &index, path: file.relative, origin: origin)
            }
            folderMetadata[root] = index
        }
        stats.metadataRows += folderMetadata.values.reduce(0) { $0 + $1.rowCount }
    }

    /// The pre-pass over a top-level archive when the config asks for metadata: one more
    /// decompression of the archive, so that tables stored after their texts are known before
    /// the texts stream past. A damaged archive is reported by the main pass.
    private func readArchiveMetadata(_ path: String, options metadata: MetadataOptions) -> MetadataIndex {
        var index = MetadataIndex(options: metadata)
        guard let handle = try? ArchiveHandle(source: .file(path), raw: false) else { return index }
        while case .entry(let entry) = handle.nextHeader() {
            let name = MemberNames.name(of: entry)
            guard archive_entry_filetype(entry) == Self.regularFile, metadata.path.matches(member: name[...]) else {
                handle.skipData()
                continue
            }
            let result = readWhole(limit: options.maxMemberBytes) { out throws(ArchiveFailure) in try handle.readData(into: out) }
            take(result, into: &index, path: name, origin: Origin(archive: path, member: name))
        }
        stats.metadataRows += index.rowCount
        return index
    }

    private func take(_ result: Result<[UInt8]?, ArchiveFailure>, into index: inout MetadataIndex, path: String, origin: Origin) {
        switch result {
        case .failure(let failure):
            index.fail(path: path, Reject(origin, .memberCorrupt, "metadata table: \(failure.message)"))
        case .success(nil):
            index.fail(path: path, Reject(origin, .memberTooLarge, "metadata table exceeds max_member_bytes (\(options.maxMemberBytes))"))
        case .success(let bytes?):
            index.add(path: path, origin: origin, bytes: bytes)
        }
    }

    /// A metadata member met in order: its table was read ahead, so only its rejects and a
    /// count are left to give.
    private func metadataMember(_ origin: Origin, path: String, index: MetadataIndex?) {
        guard let index else {
            skip(
                origin, reason: "metadata_not_joined",
                message:
                    "a metadata table is joined only at the top of an archive or folder input, not in a nested archive or as a file by itself"
            )
            return
        }
        for reject in index.problems[path] ?? [] { emit(.reject(reject)) }
        if let summary = index.summaries[path] { skip(origin, reason: "metadata", message: summary) }
    }

    /// Exclusion, format, inclusion: nil when the member is skipped (and counted).
    private func decide(path: String, origin: Origin) -> MemberKind? {
        if let pattern = options.exclude.firstMatch(path[...]) {
            skip(origin, reason: "excluded", message: "matches input.exclude '\(pattern)'")
            return nil
        }
        let kind = MemberKind.classify(name: path, options: options)
        switch kind {
        case .skip(let reason):
            skip(origin, reason: reason)
            return nil
        case .document, .compressed:
            guard !options.include.isEmpty else { return kind }
            // feed.jsonl.gz is included by "*.jsonl" as well as by "*.gz".
            var candidates = [path[...]]
            if case .compressed(let inner) = kind, let slash = path.lastIndex(of: "/") {
                candidates.append((path[...slash] + inner)[...])
            } else if case .compressed(let inner) = kind {
                candidates.append(inner[...])
            }
            if !candidates.contains(where: { options.include.firstMatch($0) != nil }) {
                skip(origin, reason: "not_included", message: "matches no input.include pattern")
                return nil
            }
            return kind
        case .archive:
            return kind
        }
    }

    private func join(_ format: MemberFormat, path: String, index: MetadataIndex?) -> Join {
        guard options.metadata != nil, FormatRegistry.handler(for: format).joinsMetadata else { return .off }
        return index?.row(for: MemberGlob.matchPath(path[...])).map { .row($0) } ?? .missing
    }

    private func readFile(_ file: InputPlan.File) {
        let origin = Origin(archive: nil, member: file.path)
        if let metadata = options.metadata, metadata.path.matches(member: file.relative[...]) {
            metadataMember(origin, path: file.relative, index: file.root.flatMap { folderMetadata[$0] })
            return
        }
        guard let kind = decide(path: file.relative, origin: origin) else { return }
        if file.size == 0 {
            // libarchive opens an empty file as an archive with no entries: say so instead.
            stats.members += 1
            emit(.reject(Reject(origin, .memberEmpty, "the file is empty (0 bytes)")))
            return
        }
        switch kind {
        case .skip:
            return
        case .document(let format):
            let fd = open(file.path, O_RDONLY)
            guard fd >= 0 else {
                emit(.reject(Reject(origin, .inputUnreadable, String(cString: strerror(errno)))))
                return
            }
            defer { close(fd) }
            let join = join(format, path: file.relative, index: file.root.flatMap { folderMetadata[$0] })
            let digest = InputDigest(path: file.path)
            var offset: Int64 = 0
            consume(origin: origin, format: format, declaredSize: file.size, join: join) { out throws(ArchiveFailure) in
                let n = Glibc.read(fd, out.baseAddress, out.count)
                if n < 0 { throw ArchiveFailure(message: String(cString: strerror(errno))) }
                digest.didRead(UnsafeRawBufferPointer(rebasing: out[..<n]), at: offset)
                offset += Int64(n)
                return n
            }
            stats.digests[file.path] = digest.finish()
        case .archive, .compressed:
            let handle: ArchiveHandle
            let digest = InputDigest(path: file.path)
            defer { stats.digests[file.path] = digest.finish() }
            do {
                if case .compressed = kind {
                    handle = try ArchiveHandle(source: .observedFile(file.path, digest), raw: true)
                } else {
                    handle = try ArchiveHandle(source: .observedFile(file.path, digest), raw: false)
                }
            } catch {
                emit(.reject(Reject(origin, .archiveCorrupt, "\(file.path): \(error.message)")))
                return
            }
            var index: MetadataIndex?
            if case .archive = kind, let metadata = options.metadata {
                index = readArchiveMetadata(file.path, options: metadata)
            }
            let base = progress.bytes
            walk(handle, chain: file.path, depth: 1, rawInnerName: kindInnerName(kind), metadata: index) { [progress] in
                progress.setBytes(base + handle.compressedBytesRead)
            }
        }
    }

    private func skip(_ origin: Origin, reason: String, message: String? = nil) {
        stats.skipped[reason, default: 0] += 1
        onSkip?(origin, reason, message)
    }

    private func kindInnerName(_ kind: MemberKind) -> String? {
        if case .compressed(let inner) = kind { return inner }
        return nil
    }

    /// Reads every entry of an open archive. `rawInnerName` names the single entry of a
    /// compressed file (libarchive calls it "data").
    /// `metadata`: the tables of a top-level archive, read ahead.
    private func walk(
        _ handle: ArchiveHandle, chain: String, depth: Int, rawInnerName: String?, metadata: MetadataIndex? = nil,
        onEntry: () -> Void
    ) {
        stats.archives += 1
        var lastMember: String?
        while true {
            onEntry()
            let entry: OpaquePointer
            switch handle.nextHeader() {
            case .end:
                return
            case .failed(let message):
                let origin = Origin(archive: nil, member: chain)
                let place = lastMember.map { " after member \($0)" } ?? ""
                emit(.reject(Reject(origin, .archiveCorrupt, "\(chain): \(message)\(place); the rest of the archive is unreadable")))
                return
            case .entry(let e):
                entry = e
            }
            guard archive_entry_filetype(entry) == Self.regularFile else { continue }
            let name = rawInnerName ?? MemberNames.name(of: entry)
            lastMember = name
            let origin = Origin(archive: chain, member: name)
            let declaredSize: Int64? = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
            let kind: MemberKind
            if let rawInnerName {
                // The compressed file holding it was already matched against the patterns.
                kind = MemberKind.classify(name: rawInnerName, options: options)
            } else if let table = options.metadata, table.path.matches(member: name[...]) {
                metadataMember(origin, path: name, index: metadata)
                handle.skipData()
                continue
            } else if let decided = decide(path: name, origin: origin) {
                kind = decided
            } else {
                handle.skipData()
                continue
            }
            switch kind {
            case .skip(let reason):
                skip(origin, reason: reason)
                handle.skipData()
            case .document(let format):
                consume(origin: origin, format: format, declaredSize: declaredSize, join: join(format, path: name, index: metadata)) {
                    out throws(ArchiveFailure) in try handle.readData(into: out)
                }
            case .archive, .compressed:
                descend(into: handle, origin: origin, kind: kind, declaredSize: declaredSize, depth: depth)
            }
        }
    }

    private func descend(into parent: ArchiveHandle, origin: Origin, kind: MemberKind, declaredSize: Int64?, depth: Int) {
        let chain = "\(origin.archive!)!/\(origin.member)"
        guard depth < options.maxArchiveDepth else {
            emit(.reject(Reject(origin, .archiveTooDeep, "archive nested deeper than max_archive_depth (\(options.maxArchiveDepth))")))
            parent.skipData()
            return
        }
        let child: ArchiveHandle
        do {
            switch kind {
            case .archive(streamable: true), .compressed:
                child = try ArchiveHandle(source: .parent(parent), raw: kind != .archive(streamable: true))
            default:
                // zip and 7z keep their index at the end: hold the bytes, within the member limit.
                if let declaredSize, declaredSize > options.maxMemberBytes {
                    emit(
                        .reject(
                            Reject(
                                origin, .memberTooLarge,
                                "nested \(declaredSize)-byte archive exceeds max_member_bytes (\(options.maxMemberBytes)); zip and 7z inside archives are read in memory"
                            )))
                    parent.skipData()
                    return
                }
                switch readWhole(limit: options.maxMemberBytes, read: { out throws(ArchiveFailure) in try parent.readData(into: out) }) {
                case .failure(let failure):
                    emit(.reject(Reject(origin, .memberCorrupt, failure.message)))
                    return
                case .success(nil):
                    emit(.reject(Reject(origin, .memberTooLarge, "nested archive exceeds max_member_bytes (\(options.maxMemberBytes))")))
                    return
                case .success(let bytes?):
                    child = try ArchiveHandle(source: .memory(bytes), raw: false)
                }
            }
        } catch {
            emit(.reject(Reject(origin, .archiveCorrupt, "\(chain): \(error.message)")))
            return
        }
        let inner: String? = if case .compressed(let name) = kind { name } else { nil }
        walk(child, chain: chain, depth: depth + 1, rawInnerName: inner, metadata: nil) {}
    }

    /// Reads everything up to `limit` bytes; nil when the data is larger.
    private func readWhole(limit: Int, read: ReadBytes) -> Result<[UInt8]?, ArchiveFailure> {
        MemberBytes.whole(limit: limit, buffer: buffer, read: read)
    }

    /// Hands one member's bytes to its format, which emits the member whole or in chunks of records.
    private func consume(origin: Origin, format: MemberFormat, declaredSize: Int64?, join: Join, read: @escaping ReadBytes) {
        let member = MemberBytes(origin: origin, declaredSize: declaredSize, maxBytes: options.maxMemberBytes, buffer: buffer, read: read)
        let skipped = FormatRegistry.handler(for: format).split(member) { item in
            guard case .member(var whole) = item else { return emit(item) }
            switch join {
            case .off: break
            case .missing: stats.metadataUnmatched += 1
            case .row(let row):
                stats.metadataJoined += 1
                whole.metadata = row
            }
            emit(.member(whole))
        }
        // A member found not to be an article is counted as skipped, not as read.
        if let skipped {
            skip(origin, reason: skipped.reason, message: skipped.message)
        } else {
            stats.members += 1
        }
    }
}
