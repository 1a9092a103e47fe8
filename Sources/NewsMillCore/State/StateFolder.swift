import Foundation
import Glibc

/// What stages remember between runs (`--state DIR`): data files that only grow, and one
/// manifest, `state.json`, naming how many bytes of each file are committed. A run appends to
/// the files and replaces the manifest (write, fsync, rename) only at its very end, so a run that
/// is killed leaves the manifest of the run before: the bytes it appended beyond the committed
/// lengths are cut off when the next run opens the state. One run at a time holds the folder
/// (an exclusive lock on `DIR/lock`).
public final class StateFolder {
    public static let format = "newsmill-state"
    public static let version = 1

    /// One stage's committed state: bytes per data file, a document count, and the parameters the
    /// data was built with (a run with other parameters could not use it).
    public struct Section: Codable, Equatable, Sendable {
        public var files: [String: UInt64]
        public var documents: Int
        public var parameters: [String: String]

        public init(files: [String: UInt64], documents: Int, parameters: [String: String]) {
            self.files = files
            self.documents = documents
            self.parameters = parameters
        }
    }

    struct Manifest: Codable {
        var format: String
        var version: Int
        var runs: Int
        var updated: String
        var sections: [String: Section]
    }

    public let path: String
    private var lockDescriptor: Int32 = -1
    private(set) var manifest: Manifest
    private var pending: [String: Section] = [:]

    /// Opens (or creates) a state folder for a run; `forReading` only inspects it, without the lock.
    public init(path: String, forReading: Bool = false) throws(RunFailure) {
        self.path = path
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard !forReading else { throw RunFailure("state folder \(path) does not exist") }
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw RunFailure("cannot create state folder \(path): \(error.localizedDescription)")
            }
        } else if !isFolder.boolValue {
            throw RunFailure("state path \(path) is a file, not a folder")
        }
        manifest = Manifest(format: Self.format, version: Self.version, runs: 0, updated: "", sections: [:])
        if !forReading {
            lockDescriptor = open("\(path)/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard lockDescriptor >= 0 else { throw RunFailure("cannot open \(path)/lock: \(String(cString: strerror(errno)))") }
            if flock(lockDescriptor, LOCK_EX | LOCK_NB) != 0 {
                close(lockDescriptor)
                throw RunFailure("state folder \(path) is in use by another newsmill run", kind: .busy)
            }
        }
        let manifestPath = "\(path)/state.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            if FileManager.default.fileExists(atPath: manifestPath) { throw RunFailure("cannot read \(manifestPath)") }
            let others = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0 != "lock" && !$0.hasPrefix(".") }
            // A folder with data files but no manifest was never committed: its files are leftovers.
            if forReading && others.isEmpty { throw RunFailure("\(path) holds no NewsMill state (no state.json)") }
            return
        }
        let decoded: Manifest
        do {
            decoded = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw RunFailure(
                "state folder \(path) is damaged: state.json cannot be read (\(error)); restore it from a backup or start a new state folder"
            )
        }
        guard decoded.format == Self.format else {
            throw RunFailure("\(path)/state.json is not a NewsMill state manifest (format '\(decoded.format)')")
        }
        guard decoded.version == Self.version else {
            throw RunFailure(
                "state folder \(path) has state version \(decoded.version); this NewsMill reads version \(Self.version): use the NewsMill that wrote it, or start a new state folder"
            )
        }
        for (name, section) in decoded.sections {
            for (file, committed) in section.files {
                let size = Self.size(of: "\(path)/\(file)")
                guard let size, size >= committed else {
                    throw RunFailure(
                        "state folder \(path) is damaged: \(file) (section \(name)) has \(size.map(String.init) ?? "no") bytes, the manifest commits \(committed)"
                    )
                }
            }
        }
        manifest = decoded
    }

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    public var runs: Int { manifest.runs }
    public var sections: [String: Section] { manifest.sections }

    public func section(_ name: String) -> Section? { resumed[name] ?? manifest.sections[name] }

    /// Sections a killed run had made durable at its last checkpoint: the run resuming it reads
    /// the data files up to these lengths instead of the committed ones.
    private var resumed: [String: Section] = [:]

    public func resume(sections: [String: Section]) throws(RunFailure) {
        for (name, section) in sections {
            for (file, length) in section.files {
                guard let size = Self.size(of: filePath(file)), size >= length else {
                    throw RunFailure("the checkpoint's \(file) (section \(name)) is shorter than it recorded")
                }
            }
        }
        resumed = sections
    }

    /// Sections staged since the last commit (what a checkpoint records).
    public var pendingSections: [String: Section] { pending }

    /// Names the committed data (not the run history): a checkpoint taken over other data is void.
    public var identity: String { identity(with: [:]) }

    /// The identity the state will have once `sections` are committed.
    public func identity(with sections: [String: Section]) -> String {
        manifest.sections.merging(sections) { $1 }.filter { $0.key != "runs" }.sorted { $0.key < $1.key }
            .map { name, section in
                "\(name):" + section.files.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            }
            .joined(separator: ";")
    }

    public func filePath(_ name: String) -> String { "\(path)/\(name)" }

    /// A data file opened for reading and appending, cut back to its committed length (bytes a
    /// killed run appended are dropped). Returns the descriptor.
    public func openData(_ name: String, committed: UInt64) throws(RunFailure) -> Int32 {
        let file = filePath(name)
        if lockDescriptor < 0 {
            // Read only: a run may be appending to the file right now.
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 || committed > 0 else { return open("/dev/null", O_RDONLY | O_CLOEXEC) }
            guard fd >= 0 else { throw RunFailure("cannot open \(file): \(String(cString: strerror(errno)))") }
            return fd
        }
        let fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunFailure("cannot open \(file): \(String(cString: strerror(errno)))") }
        guard ftruncate(fd, off_t(committed)) == 0 else {
            close(fd)
            throw RunFailure("cannot truncate \(file): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Sections to commit, as a finished run recorded them before it was killed.
    public func stage(sections: [String: Section]) {
        pending.merge(sections) { $1 }
    }

    /// A stage's new section, committed with the others by `commit()`.
    public func stage(_ name: String, section: Section) {
        pending[name] = section
    }

    /// Writes the manifest for this run: a temporary file, fsync, rename, fsync of the folder.
    /// `only`: commit just these staged sections, not counting a run (a failed run's history line).
    public func commit(only: Set<String>? = nil) throws(RunFailure) {
        guard lockDescriptor >= 0 else { throw RunFailure("state folder \(path) was opened for reading") }
        var next = manifest
        for (name, section) in pending where only?.contains(name) ?? true { next.sections[name] = section }
        if only == nil { next.runs += 1 }
        next.updated = ISO8601DateFormatter().string(from: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(next) } catch { throw RunFailure("cannot encode the state manifest: \(error)") }
        try FileSink.replace("\(path)/state.json", with: Array(data) + [0x0A])
        manifest = next
        pending = [:]
    }

    public static func size(of file: String) -> UInt64? {
        var info = stat()
        guard stat(file, &info) == 0 else { return nil }
        return UInt64(info.st_size)
    }
}

/// Appends to a state data file and reads it back, with the syscalls' failures as run failures.
public enum StateIO {
    public static func append(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64, file: String) throws(RunFailure) {
        if let code = POSIXFile.writeAll(fd, bytes, at: offset) {
            throw RunFailure.write("write", file, errno: code)
        }
    }

    public static func read(_ fd: Int32, count: Int, at offset: UInt64, file: String) throws(RunFailure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw RunFailure("cannot read \(file): \(n < 0 ? String(cString: strerror(errno)) : "unexpected end")") }
            done += n
        }
        return out
    }

    public static func sync(_ fd: Int32, file: String) throws(RunFailure) {
        if fsync(fd) != 0 && errno != EINVAL { throw RunFailure.write("sync", file, errno: errno) }
    }
}

/// Buffered appends to one state data file, from its committed length on.
public final class StateAppender {
    public let name: String
    public let descriptor: Int32
    public private(set) var length: UInt64
    private var buffer: [UInt8] = []

    public init(state: StateFolder, name: String) throws(RunFailure) {
        self.name = name
        length = state.section(Self.sectionName(of: name))?.files[name] ?? 0
        descriptor = try state.openData(name, committed: length)
        buffer.reserveCapacity(1 << 16)
    }

    /// Files are named "<section>.<what>.bin"; the section is the stage's name.
    public static func sectionName(of file: String) -> String {
        String(file.prefix { $0 != "." })
    }

    deinit { close(descriptor) }

    /// The first failed write; appends go on into the buffer, and `sync` reports it.
    private var failure: RunFailure?

    public func append<T>(_ value: T) {
        withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) }
        length += UInt64(MemoryLayout<T>.size)
        flushIfLarge()
    }

    public func append(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        length += UInt64(bytes.count)
        flushIfLarge()
    }

    public func append(contentsOf values: [UInt32]) {
        values.withUnsafeBytes { buffer.append(contentsOf: $0) }
        length += UInt64(values.count * 4)
        flushIfLarge()
    }

    private func flushIfLarge() {
        guard buffer.count >= 1 << 20, failure == nil else { return }
        do { try flush() } catch { failure = error }
    }

    /// The committed records of `size` bytes, read in blocks of a few MB (a large state is never
    /// held in memory whole), handed to `body` a block at a time. False when the committed
    /// length is not a whole number of records.
    public func readRecords(size: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws(RunFailure) -> Bool {
        guard length % UInt64(size) == 0 else { return false }
        let block = max(1, (4 << 20) / size) * size
        var offset: UInt64 = 0
        while offset < length {
            let count = Int(min(UInt64(block), length - offset))
            let bytes = try StateIO.read(descriptor, count: count, at: offset, file: name)
            bytes.withUnsafeBytes { body($0) }
            offset += UInt64(count)
        }
        return true
    }

    public func flush() throws(RunFailure) {
        guard !buffer.isEmpty else { return }
        let start = length - UInt64(buffer.count)
        let failure: RunFailure? = buffer.withUnsafeBytes { raw in
            do throws(RunFailure) {
                try StateIO.append(descriptor, raw, at: start, file: name)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        buffer.removeAll(keepingCapacity: true)
    }

    public func sync() throws(RunFailure) {
        if let failure { throw failure }
        try flush()
        try StateIO.sync(descriptor, file: name)
    }
}
