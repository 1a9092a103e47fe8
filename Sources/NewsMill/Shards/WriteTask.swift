import Foundation
import Glibc

/// A part file a write task finished.
struct WrittenPart: Codable {
    var file: String
    var records: Int
    var bytes: Int
    var compressedBytes: Int
}

/// Write task `i` of `n`: writes the part files `i`, `i + n`, … from the sequence task's
/// decisions: each record's bytes from its map task's records, with the blocks the ordered halves
/// wrote put in, compressed as the config says. A part is written under a temporary name and
/// renamed: a task run again redoes only the parts that are missing.
enum WriteTask {
    @discardableResult
    static func run(folder: RunFolder, task: Int, of tasks: Int? = nil, jobs: Int? = nil) throws(RunFailure) -> Int {
        let spec = try folder.loadSpec()
        let sequence = try folder.load(SequenceTally.self, from: "\(folder.sequence)/\(SequenceTask.tally)")
        let tasks = tasks ?? spec.plan.shards
        guard (0..<tasks).contains(task) else { throw RunFailure("write task \(task): the run has tasks 0 to \(tasks - 1)") }
        let directory = "\(folder.path)/write"
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw RunFailure("cannot create \(directory): \(error.localizedDescription)", kind: .writeFailed)
        }
        var records: [Int: Int32] = [:]
        defer { for fd in records.values { close(fd) } }
        var written = 0
        for part in stride(from: task, to: sequence.parts, by: tasks) where !FileManager.default.fileExists(atPath: folder.written(part)) {
            let partial = "\(directory)/\(RunFolder.number(part)).partial"
            try? FileManager.default.removeItem(atPath: partial)
            do { try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true) } catch {
                throw RunFailure("cannot create \(partial): \(error.localizedDescription)", kind: .writeFailed)
            }
            let writer = PartWriter(
                directory: partial, maxRecords: Int.max, compression: spec.compression, threads: jobs ?? spec.jobsPerTask, firstPart: part)
            let path = "\(folder.sequence)/\(SequenceTask.decisions(part))"
            guard let data = FileManager.default.contents(atPath: path) else { throw RunFailure("\(path) is missing") }
            var decisions = ByteReader(Array(data))
            var record = [UInt8]()
            var line = [UInt8]()
            while !decisions.atEnd {
                let shard = Int(try decisions.read(UInt32.self))
                let offset = try decisions.read(UInt64.self)
                let length = Int(try decisions.read(UInt32.self))
                let fd: Int32
                if let open = records[shard] {
                    fd = open
                } else {
                    let file = "\(folder.shard(shard))/\(MapTask.records)"
                    fd = open(file, O_RDONLY | O_CLOEXEC)
                    guard fd >= 0 else { throw RunFailure.write("open", file, errno: errno) }
                    records[shard] = fd
                }
                if record.count < length { record = [UInt8](repeating: 0, count: length) }
                let got = record.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(offset)) }
                guard got == length else { throw RunFailure("map task \(shard)'s records end before a record the decisions name") }
                line.removeAll(keepingCapacity: true)
                var copied = 0
                for _ in 0..<Int(try decisions.read(UInt32.self)) {
                    let slot = Int(try decisions.read(UInt32.self))
                    guard slot >= copied, slot <= length else { throw RunFailure("\(path) is damaged") }
                    line.append(contentsOf: record[copied..<slot])
                    line.append(contentsOf: try decisions.readBytes(Int(try decisions.read(UInt32.self))))
                    copied = slot
                }
                line.append(contentsOf: record[copied..<length])
                try writer.write(line)
            }
            try writer.close()
            let name = writer.parts.first ?? "part-\(RunFolder.number(part))\(spec.compression.codec.fileExtension)"
            if writer.parts.isEmpty { _ = try FileSink(path: "\(partial)/\(name)").close() }
            guard rename("\(partial)/\(name)", "\(directory)/\(name)") == 0 else { throw RunFailure.write("publish", name, errno: errno) }
            try? FileManager.default.removeItem(atPath: partial)
            try folder.save(
                WrittenPart(file: name, records: writer.records, bytes: writer.bytes, compressedBytes: writer.compressedBytes),
                to: folder.written(part))
            written += 1
        }
        return written
    }
}
