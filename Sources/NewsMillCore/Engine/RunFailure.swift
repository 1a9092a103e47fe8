import Glibc

/// A run that could not finish: bad config, unwritable output, and the like.
public struct RunFailure: Error, Sendable, CustomStringConvertible {
    /// Why, as far as an operator's next step differs (the exit status tells them apart).
    public enum Kind: Sendable, Equatable {
        /// Bad config, input or state: fix something and run again.
        case failed
        /// Writing the output or the state failed (disk full, I/O error): make room and run again.
        case writeFailed
        /// Another run holds the state or output folder: try again later.
        case busy
    }

    public var message: String
    public var kind: Kind

    public init(_ message: String, kind: Kind = .failed) {
        self.message = message
        self.kind = kind
    }

    /// A failed write, with the path and the system's reason.
    public static func write(_ verb: String, _ path: String, errno code: Int32) -> RunFailure {
        RunFailure("cannot \(verb) \(path): \(String(cString: strerror(code)))", kind: .writeFailed)
    }

    public var description: String { message }
}
