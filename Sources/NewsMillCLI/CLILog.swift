import Foundation
import Logging
import NewsMill
import Synchronization

/// How the CLI's log lines look on stderr: `human` lines (a terminal, a mail from cron), or `json`,
/// one object a line for journald and log shippers (`--log-format json`).
enum LogFormat: String, CaseIterable, Sendable {
    case human, json
}

/// swift-log's handler for the CLI: everything goes to stderr, data never does.
struct CLILogHandler: LogHandler {
    static let format = Mutex(LogFormat.human)

    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let line: String
        switch Self.format.withLock({ $0 }) {
        case .human:
            // Info lines are the run's summary, printed as they are; the rest say who speaks.
            var text = event.level == .info ? "\(event.message)" : "newsmill: \(event.message)"
            if !merged.isEmpty && event.level != .info {
                text += " (" + merged.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
            }
            line = text
        case .json:
            var json = JSONWriter(capacity: 256)
            json.beginObject()
            json.key("time")
            json.string(Self.timestamp())
            json.key("level")
            json.string(event.level.rawValue)
            json.key("message")
            json.string("\(event.message)")
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                json.key(key)
                if case .string(let text) = value, let number = Int(text) { json.int(number) } else { json.string("\(value)") }
            }
            json.endObject()
            line = String(decoding: json.bytes, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &time)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", time.tm_year + 1900, time.tm_mon + 1, time.tm_mday, time.tm_hour, time.tm_min,
            time.tm_sec, now.tv_nsec / 1_000_000)
    }
}

enum Log {
    static let logger: Logger = {
        LoggingSystem.bootstrap { CLILogHandler(label: $0) }
        return Logger(label: "newsmill")
    }()

    static func info(_ message: String, metadata: Logger.Metadata? = nil) {
        logger.info("\(message)", metadata: metadata)
    }

    static func error(_ message: String, metadata: Logger.Metadata? = nil) {
        logger.error("\(message)", metadata: metadata)
    }
}
