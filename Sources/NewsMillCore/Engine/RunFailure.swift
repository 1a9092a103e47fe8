/// A run that could not finish: bad config, unwritable output, and the like.
public struct RunFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
