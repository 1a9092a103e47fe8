import Foundation
import Glibc

/// What the sequence task decided, for the write tasks and the report.
struct SequenceTally: Codable {
    var written = 0
    var parts = 0
    var partMaxRecords = 0
    var rejectsByCode: [String: Int] = [:]
    var droppedByReason: [String: Int] = [:]
    /// What the ordered halves counted, per pipeline stage.
    var stageCounts: [[String: Int]] = []
    /// The state's sections this run commits, and the state's identity before and after.
    var sections: [String: StateFolder.Section] = [:]
    var stateBefore: String?
    var stateAfter: String?
    var documents = 0
    var seconds = 0.0
}

/// The sequence task: reads the map tasks' sketches in the order of the whole input (the slices
/// of a shared input taken back unit by unit, by their residues), runs the ordered halves (dedup, against the
/// state folder of earlier runs when there is one), and writes per part file the decisions the
/// write tasks need: where each record is and the blocks that go into it. It never reads text.
enum SequenceTask {
    static let tally = "tally.json"
    static let rejects = "rejects.jsonl"
    static func decisions(_ part: Int) -> String { "decisions-\(RunFolder.number(part)).bin" }

    @discardableResult
    static func run(folder: RunFolder) throws(RunFailure) -> Bool {
        let spec = try folder.loadSpec()
        let done = folder.sequence
        if FileManager.default.fileExists(atPath: "\(done)/\(tally)") { return false }
        let config = try spec.config()
        // The pass is timed from here: loading the config (the NER model, with `entities`) is not its work.
        let started = Date()
        let stages = try ShardedStages(config.stages)
        let shards = spec.plan.shards
        var tallies: [ShardTally] = []
        for shard in 0..<shards { tallies.append(try folder.load(ShardTally.self, from: "\(folder.shard(shard))/\(MapTask.tally)")) }
        let partial = "\(done).partial"
        try? FileManager.default.removeItem(atPath: partial)
        do { try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true) } catch {
            throw RunFailure("cannot create \(partial): \(error.localizedDescription)", kind: .writeFailed)
        }

        let state = try spec.state.map { path throws(RunFailure) in try StateFolder(path: path) }
        let sequencers = stages.sequenced.map { (index: $0.index, stage: $0.stage, sequencer: $0.stage.makeSequencer()!) }
        if let state { for entry in sequencers { try entry.sequencer.restore(from: state) } }
        var result = SequenceTally()
        result.partMaxRecords = config.output.partMaxRecords
        result.stateBefore = state?.identity
        var counts = config.stages.map { _ in StageCounts() }
        let blocks = RecordSerializer.standard.blocks(of: stages.held)
        let rejects = try FileSink(path: "\(partial)/\(rejects)")
        var decisions: FileSink?
        var decision = ByteWriter()

        func document(_ entry: inout ByteReader, shard: Int) throws(RunFailure) {
            let id = try entry.readString()
            let hasArchive = try entry.read(UInt8.self) == 1
            let archive = try entry.readString()
            let member = try entry.readString()
            let row = try entry.read(Int64.self)
            let offset = try entry.read(UInt64.self)
            let length = try entry.read(UInt32.self)
            let slots = try entry.readUInt32s()
            var document = Document(
                id: id, origin: Origin(archive: hasArchive ? archive : nil, member: member, row: row < 0 ? nil : Int(row)), format: .txt,
                sourceBytes: 0, encoding: "", text: "")
            for entry2 in stages.sequenced { try entry2.stage.readSketch(from: &entry, into: &document) }
            result.documents += 1
            var verdict = Verdict.keep
            for entry in sequencers {
                verdict = entry.sequencer.sequence(&document, counts: &counts[entry.index])
                if verdict != .keep { break }
            }
            switch verdict {
            case .keep:
                let part = result.written / max(1, result.partMaxRecords)
                if part == result.parts {
                    try decisions?.close()
                    decisions = try FileSink(path: "\(partial)/\(Self.decisions(part))")
                    result.parts += 1
                }
                decision.reset()
                decision.append(UInt32(shard))
                decision.append(offset)
                decision.append(length)
                decision.append(UInt32(slots.count))
                for (slot, block) in zip(slots, blocks) {
                    let patch = RecordSerializer.patch(document, block: block)
                    decision.append(slot)
                    decision.append(UInt32(patch.count))
                    decision.append(raw: patch)
                }
                try decisions!.write(decision.bytes)
                result.written += 1
            case .drop(let reason):
                result.droppedByReason[reason, default: 0] += 1
            case .reject(let code, let message):
                result.rejectsByCode[code.rawValue, default: 0] += 1
                var json = JSONWriter(capacity: 256)
                RecordSerializer.write(Reject(document.origin, code, message), into: &json)
                try rejects.write(json.bytes)
            }
        }

        var streams: [EntryStream] = []
        for shard in 0..<shards { streams.append(try EntryStream(path: "\(folder.shard(shard))/\(MapTask.sketches)")) }
        /// Takes one unit's entries from a shard's stream.
        func unit(from shard: Int) throws(RunFailure) {
            while true {
                guard var entry = try streams[shard].next() else {
                    throw RunFailure("map task \(shard)'s sketches end before the units its tally counts")
                }
                switch MapTask.Entry(rawValue: try entry.read(UInt8.self)) {
                case .unitEnd: return
                case .reject:
                    _ = try entry.readString()
                    let line = try entry.readBytes(Int(try entry.read(UInt32.self)))
                    try rejects.write(Array(line))
                case .document: try document(&entry, shard: shard)
                case nil: throw RunFailure("map task \(shard)'s sketches are damaged")
                }
            }
        }

        for _ in 0..<tallies[0].problemUnits { try unit(from: 0) }
        // Where each input's pieces are: (shard, piece, units).
        var piecesOf = [[(shard: Int, piece: ShardPlan.Piece, units: Int)]](repeating: [], count: spec.files.count)
        for shard in 0..<shards {
            for (index, piece) in spec.plan.pieces[shard].enumerated() {
                guard index < tallies[shard].pieceUnits.count else { throw RunFailure("map task \(shard)'s tally does not match the plan") }
                piecesOf[piece.file].append((shard, piece, tallies[shard].pieceUnits[index]))
            }
        }
        for pieces in piecesOf where !pieces.isEmpty {
            if pieces.count == 1 {
                for _ in 0..<pieces[0].units { try unit(from: pieces[0].shard) }
                continue
            }
            // Unit u of a shared input is in the piece whose residues hold u modulo the modulus.
            var owner = [Int](repeating: 0, count: pieces[0].piece.modulus)
            for entry in pieces {
                for residue in entry.piece.first..<entry.piece.first + entry.piece.count { owner[residue] = entry.shard }
            }
            let total = pieces.reduce(0) { $0 + $1.units }
            for unitIndex in 0..<total { try unit(from: owner[unitIndex % owner.count]) }
        }
        for shard in 0..<shards where try streams[shard].next() != nil {
            throw RunFailure("map task \(shard)'s sketches hold more units than its tally counts")
        }

        if let state {
            for entry in sequencers { try entry.sequencer.persist(to: state) }
            result.sections = state.pendingSections
            result.stateAfter = state.identity(with: result.sections)
        }
        try decisions?.close()
        try rejects.close()
        result.stageCounts = counts.map(\.values)
        result.seconds = Date().timeIntervalSince(started)
        try folder.save(result, to: "\(partial)/\(tally)")
        try? FileManager.default.removeItem(atPath: done)
        guard rename(partial, done) == 0 else { throw RunFailure.write("publish", done, errno: errno) }
        return true
    }
}

/// Reads the length-prefixed entries of a sketches file in order, a few MB at a time.
final class EntryStream {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false

    init(path: String) throws(RunFailure) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RunFailure.write("open", path, errno: errno) }
        buffer = [UInt8](repeating: 0, count: 4 << 20)
    }

    deinit { close(fd) }

    private func fill(_ count: Int) throws(RunFailure) -> Bool {
        while end - start < count {
            if eof { return false }
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + start, end - start)
                }
                end -= start
                start = 0
            }
            if count > buffer.count { buffer += [UInt8](repeating: 0, count: count - buffer.count) }
            let n = buffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress! + end, raw.count - end) }
            if n < 0 { throw RunFailure.write("read", path, errno: errno) }
            if n == 0 { eof = true } else { end += n }
        }
        return true
    }

    /// The next entry, nil at the end of the file.
    func next() throws(RunFailure) -> ByteReader? {
        guard try fill(4) else {
            if end > start { throw RunFailure("\(path) is damaged: it ends inside an entry") }
            return nil
        }
        let length = buffer.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: start, as: UInt32.self))) }
        guard try fill(4 + length) else { throw RunFailure("\(path) is damaged: it ends inside an entry") }
        let entry = ByteReader(Array(buffer[start + 4..<start + 4 + length]))
        start += 4 + length
        return entry
    }
}
