import CArchive
import Foundation

/// Builds real archives with libarchive's writer, so the tests cover every format without
/// shipping binary fixtures or needing bsdtar.
enum ArchiveBuilder {
    enum Format {
        case tar, tarGz, tarBz2, tarXz, tarZst, zip, zip64, zipStored, sevenZip, cpio
        /// A zip whose names are stored in cp866, without the UTF-8 flag, as Windows tools do.
        case zipCP866
        /// One compressed file, no archive (feed.jsonl.gz).
        case rawGzip
    }

    struct Member {
        var name: String
        var bytes: [UInt8]

        init(_ name: String, _ text: String) {
            self.name = name
            bytes = Array(text.utf8)
        }

        init(_ name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    static let utf8Locale: Void = {
        setlocale(LC_CTYPE, "C.UTF-8")
    }()

    static func write(_ members: [Member], format: Format, to path: String) throws {
        _ = utf8Locale
        guard let a = archive_write_new() else { throw BuildError("archive_write_new failed") }
        defer { archive_write_free(a) }
        switch format {
        case .tar: archive_write_set_format_pax_restricted(a)
        case .tarGz: archive_write_set_format_pax_restricted(a); archive_write_add_filter_gzip(a)
        case .tarBz2: archive_write_set_format_pax_restricted(a); archive_write_add_filter_bzip2(a)
        case .tarXz: archive_write_set_format_pax_restricted(a); archive_write_add_filter_xz(a)
        case .tarZst: archive_write_set_format_pax_restricted(a); archive_write_add_filter_zstd(a)
        case .zip: archive_write_set_format_zip(a)
        case .zip64:
            archive_write_set_format_zip(a)
            archive_write_set_format_option(a, "zip", "zip64", "1")
        case .zipStored:
            archive_write_set_format_zip(a)
            archive_write_set_format_option(a, "zip", "compression", "store")
        case .zipCP866:
            archive_write_set_format_zip(a)
            archive_write_set_format_option(a, "zip", "hdrcharset", "CP866")
        case .sevenZip: archive_write_set_format_7zip(a)
        case .cpio: archive_write_set_format_cpio_newc(a)
        case .rawGzip: archive_write_set_format_raw(a); archive_write_add_filter_gzip(a)
        }
        guard archive_write_open_filename(a, path) == ARCHIVE_OK else {
            throw BuildError("cannot open \(path): \(String(cString: archive_error_string(a)))")
        }
        for member in members {
            let entry = archive_entry_new()
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname_utf8(entry, member.name)
            archive_entry_set_size(entry, la_int64_t(member.bytes.count))
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_set_perm(entry, 0o644)
            archive_entry_set_mtime(entry, 1_700_000_000, 0)
            guard archive_write_header(a, entry) == ARCHIVE_OK else {
                throw BuildError("write header \(member.name): \(String(cString: archive_error_string(a)))")
            }
            if !member.bytes.isEmpty {
                let written = member.bytes.withUnsafeBytes { archive_write_data(a, $0.baseAddress, $0.count) }
                guard written == member.bytes.count else { throw BuildError("write data \(member.name)") }
            }
        }
        guard archive_write_close(a) == ARCHIVE_OK else { throw BuildError("close \(path)") }
    }

    /// The archive as bytes, for nesting one inside another.
    static func bytes(_ members: [Member], format: Format) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "newsmill-nested-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(members, format: format, to: path)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    struct BuildError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// A temporary folder removed at the end of a test.
final class TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "newsmill-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func makeFolder(_ name: String) throws {
        try FileManager.default.createDirectory(atPath: file(name), withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        let full = file(name)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    func read(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }
}

/// Short original articles for the tests (written for this project).
enum Articles {
    static let rain = """
        Ливни затопили улицы Твери

        ТВЕРЬ, 3 июня. /корр./ – Сильный дождь в понедельник вечером затопил несколько улиц в центре Твери, движение транспорта было затруднено около трех часов.
        - Ливневая канализация не справилась с таким объемом воды, - заявил представитель городской администрации.
        По данным синоптиков, за два часа выпало 40 мм осадков, это почти месячная норма.
        """
    static let bridge = """
        В Рязани открыли пешеходный мост через Трубеж

        РЯЗАНЬ, 5 июня. /корр./ – Новый пешеходный мост длиной 120 метров соединил Кремлевский вал с набережной.
        Строительство обошлось бюджету в 310 млн рублей, сообщили в мэрии.
        """
    static let library = """
        Библиотека в Пскове продлит часы работы

        ПСКОВ, 7 июня. /корр./ – Областная библиотека с июля будет открыта до 22:00 по будням.
        «Читатели давно просили об этом», – отметила директор библиотеки.
        """
    static let english = """
        Harbour reopens after storm

        PORTSMOUTH, June 9 – The harbour reopened on Sunday after a two-day closure caused by gale-force winds.
        """
}
