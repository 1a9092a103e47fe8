import CZlib
import CZstd
import Foundation
import Testing

@testable import NewsMillCore

/// Compressed part files: frames cut where the uncompressed bytes say, readable whole, and a
/// writer that re-created from its position writes the same bytes as one that never stopped.
@Suite struct PartCompressionTests {
    static let codecs: [PartCompression] = [.none, PartCompression(codec: .zstd), PartCompression(codec: .gzip)]

    /// JSON lines of uneven length (40 bytes to about 3 KB), the same on every call.
    static func lines(_ count: Int) -> [[UInt8]] {
        var seed: UInt64 = 7
        return (0..<count).map { n in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let words = (0..<Int(seed >> 56)).map { "слово\(($0 * 31 + n) % 97)" }
            return Array("{\"n\": \(n), \"text\": \"\(words.joined(separator: " "))\"}\n".utf8)
        }
    }

    /// Each frame (zstd) or member (gzip) of a file on its own, decompressed; a plain file is one.
    static func frames(_ bytes: [UInt8], _ codec: PartCompression.Codec) throws -> [[UInt8]] {
        switch codec {
        case .none: return [bytes]
        case .zstd: return try zstdFrames(bytes)
        case .gzip: return try gzipMembers(bytes)
        }
    }

    struct DecodeError: Error, CustomStringConvertible {
        var description: String
    }

    static func zstdFrames(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try bytes.withUnsafeBytes { raw in
            var frames: [[UInt8]] = []
            var offset = 0
            while offset < raw.count {
                let source = raw.baseAddress! + offset
                let size = ZSTD_findFrameCompressedSize(source, raw.count - offset)
                guard ZSTD_isError(size) == 0 else { throw DecodeError(description: "not a zstd frame at \(offset)") }
                let content = ZSTD_getFrameContentSize(source, size)
                guard content < ZSTD_CONTENTSIZE_ERROR else { throw DecodeError(description: "frame at \(offset) has no content size") }
                let frame = try [UInt8](unsafeUninitializedCapacity: Int(content)) { buffer, count in
                    count = ZSTD_decompress(buffer.baseAddress, Int(content), source, size)
                    guard ZSTD_isError(count) == 0 else {
                        count = 0
                        throw DecodeError(description: "bad zstd frame at \(offset)")
                    }
                }
                frames.append(frame)
                offset += size
            }
            return frames
        }
    }

    static func gzipMembers(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DecodeError(description: "inflateInit2")
        }
        defer { inflateEnd(&stream) }
        var members: [[UInt8]] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        try bytes.withUnsafeBufferPointer { input in
            var offset = 0
            while offset < input.count {
                var member: [UInt8] = []
                stream.next_in = input.baseAddress! + offset
                stream.avail_in = uInt(input.count - offset)
                var status = Z_OK
                while status != Z_STREAM_END {
                    status = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        return inflate(&stream, Z_NO_FLUSH)
                    }
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw DecodeError(description: "bad gzip member at \(offset): \(status)")
                    }
                    member += chunk[0..<(chunk.count - Int(stream.avail_out))]
                }
                offset = input.count - Int(stream.avail_in)
                members.append(member)
                inflateReset(&stream)
            }
        }
        return members
    }

    /// Writes `lines` into `folder` in one go; the files' bytes by name.
    static func writeStraight(
        _ lines: [[UInt8]], in dir: TempDir, folder: String, compression: PartCompression, maxRecords: Int, frameBytes: Int
    ) throws -> (files: [String: [UInt8]], writer: PartWriter) {
        try dir.makeFolder(folder)
        let writer = PartWriter(directory: dir.file(folder), maxRecords: maxRecords, compression: compression, frameBytes: frameBytes)
        for line in lines { try writer.write(line) }
        try writer.close()
        return (try files(writer.parts, in: dir, folder: folder), writer)
    }

    static func files(_ names: [String], in dir: TempDir, folder: String) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in names { files[name] = try dir.read("\(folder)/\(name)") }
        return files
    }

    @Test(arguments: codecs)
    func framesEndWhereTheUncompressedBytesSay(compression: PartCompression) throws {
        let dir = TempDir()
        let lines = Self.lines(700)
        let frameBytes = 8192
        let plain = try Self.writeStraight(lines, in: dir, folder: "plain", compression: .none, maxRecords: 300, frameBytes: frameBytes)
        let packed = try Self.writeStraight(
            lines, in: dir, folder: "packed", compression: compression, maxRecords: 300, frameBytes: frameBytes)
        let ext = compression.codec.fileExtension
        #expect(packed.writer.parts == ["part-00000\(ext)", "part-00001\(ext)", "part-00002\(ext)"])
        #expect(packed.writer.records == 700)
        #expect(packed.writer.bytes == lines.reduce(0) { $0 + $1.count })
        #expect(packed.writer.compressedBytes == packed.files.values.reduce(0) { $0 + $1.count })

        for (index, name) in plain.writer.parts.enumerated() {
            let frames = try Self.frames(packed.files[packed.writer.parts[index]]!, compression.codec)
            #expect(frames.reduce(into: []) { $0 += $1 } == plain.files[name]!, "\(name) decompressed")
            guard compression.codec != .none else { continue }
            // Expected cuts: after the record that brings the pending bytes to frameBytes.
            var expected: [Int] = []
            var pending = 0
            for line in lines[(index * 300)..<min(lines.count, (index + 1) * 300)] {
                pending += line.count
                if pending >= frameBytes {
                    expected.append(pending)
                    pending = 0
                }
            }
            if pending > 0 { expected.append(pending) }
            #expect(frames.map(\.count) == expected, "\(name) frame sizes")
            #expect(frames.allSatisfy { $0.last == UInt8(ascii: "\n") })
        }
        if compression.codec != .none {
            #expect(packed.writer.compressedBytes < packed.writer.bytes / 2)
        }
    }

    @Test func sameRecordsGiveTheSameBytesAndTheGzipHeaderHasNoTime() throws {
        let dir = TempDir()
        let lines = Self.lines(300)
        for compression in Self.codecs.dropFirst() {
            let a = try Self.writeStraight(
                lines, in: dir, folder: "a-\(compression.codec)", compression: compression, maxRecords: 1000, frameBytes: 4096)
            let b = try Self.writeStraight(
                lines, in: dir, folder: "b-\(compression.codec)", compression: compression, maxRecords: 1000, frameBytes: 4096)
            #expect(a.files == b.files)
        }
        let gzip = try dir.read("a-gzip/part-00000.jsonl.gz")
        // Magic, deflate, no flags (so no name), mtime 0, extra flags 0 at level 6, OS 3 (Unix).
        #expect(Array(gzip.prefix(10)) == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3])
        let zstd = try dir.read("a-zstd/part-00000.jsonl.zst")
        #expect(Array(zstd.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
    }

    @Test func levelsChangeTheBytesNotTheRecords() throws {
        let dir = TempDir()
        let lines = Self.lines(200)
        for codec in [PartCompression.Codec.zstd, .gzip] {
            let low = try Self.writeStraight(
                lines, in: dir, folder: "\(codec)-low", compression: PartCompression(codec: codec, level: 1), maxRecords: 1000,
                frameBytes: 1 << 20)
            let high = try Self.writeStraight(
                lines, in: dir, folder: "\(codec)-high", compression: PartCompression(codec: codec, level: 9), maxRecords: 1000,
                frameBytes: 1 << 20)
            let name = "part-00000\(codec.fileExtension)"
            #expect(low.files[name] != high.files[name])
            #expect(try Self.frames(low.files[name]!, codec) == Self.frames(high.files[name]!, codec))
        }
    }

    /// Straight through, versus `k` records, the position (through JSON, as a checkpoint file would
    /// keep it), a few more records that a crash then loses, and a writer re-created from the
    /// position that writes the rest: the same files, byte for byte, and the same counts.
    @Test(arguments: codecs, [0, 1, 57, 200, 201, 333, 400, 599, 600])
    func resumingFromAPositionWritesTheSameBytes(compression: PartCompression, k: Int) throws {
        let dir = TempDir()
        let lines = Self.lines(600)
        let frameBytes = 8192
        let straight = try Self.writeStraight(
            lines, in: dir, folder: "straight", compression: compression, maxRecords: 200, frameBytes: frameBytes)

        try dir.makeFolder("resumed")
        let folder = dir.file("resumed")
        var writer = PartWriter(directory: folder, maxRecords: 200, compression: compression, threads: 2, frameBytes: frameBytes)
        for line in lines[..<k] { try writer.write(line) }
        let taken = try writer.position()
        let position = try JSONDecoder().decode(PartWriter.Position.self, from: JSONEncoder().encode(taken))
        #expect(position == taken)
        #expect(position.records == k)
        #expect(position.finished.count + (position.current == nil ? 0 : 1) == (k + 199) / 200)
        if let current = position.current {
            #expect(try dir.read("resumed/\(current)").count == position.currentLength, "on disk: whole frames, synced")
        }
        if compression.codec == .none { #expect(position.pendingFile == nil) }
        // What a run that dies after the checkpoint leaves behind: frames, even a new part.
        for line in lines[k..<min(lines.count, k + 150)] { try writer.write(line) }
        _ = try writer.position()

        writer = try PartWriter(
            directory: folder, maxRecords: 200, compression: compression, frameBytes: frameBytes, resumingAt: position)
        for line in lines[k...] { try writer.write(line) }
        try writer.close()
        #expect(writer.parts == straight.writer.parts)
        #expect(writer.records == straight.writer.records)
        #expect(writer.bytes == straight.writer.bytes)
        #expect(writer.compressedBytes == straight.writer.compressedBytes)
        let resumed = try Self.files(writer.parts, in: dir, folder: "resumed")
        for name in straight.writer.parts {
            #expect(resumed[name] == straight.files[name], "\(name) after resuming at \(k)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == writer.parts, "no pending frame file is left")
    }

    @Test func resumingUnderAnotherCompressionOrFromAShortFileIsRefused() throws {
        let dir = TempDir()
        let writer = PartWriter(directory: dir.path, maxRecords: 10, compression: PartCompression(codec: .zstd), frameBytes: 64)
        for line in Self.lines(5) { try writer.write(line) }
        var position = try writer.position()
        #expect(throws: RunFailure.self) {
            try PartWriter(directory: dir.path, maxRecords: 10, compression: PartCompression(codec: .gzip), resumingAt: position)
        }
        position.currentLength += 1
        let error = #expect(throws: RunFailure.self) {
            try PartWriter(directory: dir.path, maxRecords: 10, compression: PartCompression(codec: .zstd), resumingAt: position)
        }
        #expect(error?.message.contains("fewer than the") == true)
    }

    /// The sink's position covers rejects.jsonl too: plain lines, cut back to the checkpoint.
    @Test(arguments: codecs)
    func sinkResumesPartsAndRejects(compression: PartCompression) throws {
        let dir = TempDir()
        let serializer = RecordSerializer(blocks: [])
        func document(_ n: Int) -> Document {
            Document(
                origin: Origin(archive: "a.zip", member: "\(n).txt"), format: .txt, sourceBytes: 10, encoding: "utf-8",
                text: String(repeating: "Текст номер \(n). ", count: n % 40 + 1))
        }
        func reject(_ n: Int) -> Reject { Reject(Origin(archive: "a.zip", member: "bad\(n).txt"), .memberBinary, "NUL bytes") }
        func feed(_ sink: JSONLinesSink, _ range: Range<Int>) throws {
            for n in range {
                if n % 9 == 4 { try sink.write(reject(n)) } else { try sink.write(document(n)) }
            }
        }
        try dir.makeFolder("straight")
        let straight = try JSONLinesSink(
            directory: dir.file("straight"), partMaxRecords: 120, compression: compression, serializer: serializer)
        try feed(straight, 0..<400)
        let straightSummary = try straight.close()

        try dir.makeFolder("resumed")
        let first = try JSONLinesSink(directory: dir.file("resumed"), partMaxRecords: 120, compression: compression, serializer: serializer)
        try feed(first, 0..<250)
        let position = try JSONDecoder().decode(JSONLinesSink.Position.self, from: JSONEncoder().encode(try first.position()))
        try feed(first, 250..<300)
        _ = try first.position()
        let second = try JSONLinesSink(
            directory: dir.file("resumed"), partMaxRecords: 120, compression: compression, serializer: serializer, resumingAt: position)
        try feed(second, 250..<400)
        let summary = try second.close()
        #expect(summary == straightSummary)
        for name in summary.files + ["rejects.jsonl"] {
            #expect(try dir.read("resumed/\(name)") == dir.read("straight/\(name)"), "\(name)")
        }
        #expect(try dir.read("straight/rejects.jsonl").split(separator: 0x0A).count == 44)
    }
}

extension PartCompression: CustomTestStringConvertible {
    public var testDescription: String { description }
}

extension PartCompressionTests {
    /// Checkpoints come one after another: each keeps the pending frame file the checkpoint before
    /// it names (it is on disk until the new checkpoint replaces it) and drops older ones, and a
    /// writer resumed from either of the last two positions writes the same bytes.
    @Test func pendingFrameFilesOfTheLastTwoPositionsStay() throws {
        let dir = TempDir()
        let lines = Self.lines(300)
        let compression = PartCompression(codec: .zstd)
        let straight = try Self.writeStraight(
            lines, in: dir, folder: "straight", compression: compression, maxRecords: 1000, frameBytes: 1 << 20)
        for resumeFrom in [0, 1] {
            let folder = "resumed-\(resumeFrom)"
            try dir.makeFolder(folder)
            let writer = PartWriter(directory: dir.file(folder), maxRecords: 1000, compression: compression, frameBytes: 1 << 20)
            var positions: [PartWriter.Position] = []
            for (n, line) in lines.enumerated() {
                try writer.write(line)
                if n % 50 == 49 { positions.append(try writer.position()) }
            }
            let hidden = try FileManager.default.contentsOfDirectory(atPath: dir.file(folder)).filter { $0.hasPrefix(".") }.sorted()
            #expect(hidden == positions.suffix(2).compactMap(\.pendingFile).sorted())
            let position = positions[positions.count - 2 + resumeFrom]
            let resumed = try PartWriter(
                directory: dir.file(folder), maxRecords: 1000, compression: compression, frameBytes: 1 << 20, resumingAt: position)
            for line in lines[position.records...] { try resumed.write(line) }
            try resumed.close()
            #expect(try Self.files(resumed.parts, in: dir, folder: folder) == straight.files)
        }
    }
}
