import CArchive

/// Reads the members of a model pack (an uncompressed tar, as slovnet and navec ship them; a
/// wheel, as the morphological dictionary comes) and gunzips its vocabularies, through the same
/// libarchive layer that reads news archives.
public enum PackedFiles {
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// Every regular member of the archive at `path`, by name.
    public static func members(of path: String) throws(Failure) -> [String: [UInt8]] {
        do {
            return try readAll(ArchiveHandle(source: .file(path), raw: false))
        } catch let failure as ArchiveFailure {
            throw Failure(message: "\(path): \(failure.message)")
        } catch let failure as Failure {
            throw Failure(message: "\(path): \(failure.message)")
        } catch {
            throw Failure(message: "\(path): \(error)")
        }
    }

    /// The content of gzip-compressed bytes.
    public static func gunzip(_ bytes: [UInt8], name: String) throws(Failure) -> [UInt8] {
        do {
            let archive = try ArchiveHandle(source: .memory(bytes), raw: true)
            guard let content = try readAll(archive).values.first else {
                throw Failure(message: "\(name) is empty")
            }
            return content
        } catch let failure as ArchiveFailure {
            throw Failure(message: "\(name): \(failure.message)")
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(message: "\(name): \(error)")
        }
    }

    private static func readAll(_ archive: ArchiveHandle) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            switch archive.nextHeader() {
            case .end:
                return files
            case .failed(let message):
                throw Failure(message: message)
            case .entry(let entry):
                let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
                var bytes: [UInt8] = []
                while true {
                    let n = try archive.readData(into: chunk)
                    if n == 0 { break }
                    bytes.append(contentsOf: chunk[0..<n])
                }
                files[name] = bytes
            }
        }
    }
}
