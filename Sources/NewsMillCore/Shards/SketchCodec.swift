/// A stage whose ordered half can run in another process than its parallel half (a sharded run):
/// what `process` attached for the sequencer is written to bytes by the map task and read back
/// by the sequence task onto a document that has its id and origin but no text.
public protocol ShardableStage: Stage {
    func writeSketch(of document: Document, into bytes: inout ByteWriter)
    func readSketch(from bytes: inout ByteReader, into document: inout Document) throws(RunFailure)
}

/// Little-endian fixed-width values and length-prefixed strings, appended to a byte array.
public struct ByteWriter {
    public var bytes: [UInt8] = []

    @inlinable public init() {}

    @inlinable public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    @inlinable public mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable public mutating func append(_ values: [UInt32]) {
        append(UInt32(values.count))
        for value in values { append(value) }
    }

    @inlinable public mutating func append(_ string: String) {
        append(UInt32(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    @inlinable public mutating func append(raw: some Collection<UInt8>) {
        bytes.append(contentsOf: raw)
    }
}

/// Reads what a `ByteWriter` wrote; every read checks the bounds, so a damaged file is an error,
/// never a crash.
public struct ByteReader {
    public let bytes: [UInt8]
    public var offset: Int

    @inlinable public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    @inlinable public var atEnd: Bool { offset >= bytes.count }

    @usableFromInline static let damaged = RunFailure("a shard file is damaged: it ends inside a record")

    @inlinable public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(RunFailure) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw Self.damaged }
        let value = bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        offset += size
        return value
    }

    @inlinable public mutating func readUInt32s() throws(RunFailure) -> [UInt32] {
        let count = Int(try read(UInt32.self))
        guard offset + count * 4 <= bytes.count else { throw Self.damaged }
        var values = [UInt32](repeating: 0, count: count)
        values.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count * 4]))
            }
        }
        // The files are written little-endian; so is every machine Swift on Linux runs on.
        offset += count * 4
        return values
    }

    @inlinable public mutating func readString() throws(RunFailure) -> String {
        let count = Int(try read(UInt32.self))
        guard offset + count <= bytes.count else { throw Self.damaged }
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    @inlinable public mutating func readBytes(_ count: Int) throws(RunFailure) -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw Self.damaged }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}
