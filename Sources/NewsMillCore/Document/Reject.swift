/// Why a member, row or input could not become a document.
public enum RejectCode: String, Sendable, CaseIterable {
    case inputMissing = "input_missing"
    case inputUnreadable = "input_unreadable"
    case archiveCorrupt = "archive_corrupt"
    case archiveTooDeep = "archive_too_deep"
    case memberCorrupt = "member_corrupt"
    case memberTooLarge = "member_too_large"
    case memberEmpty = "member_empty"
    case memberBinary = "member_binary"
    case notUTF8 = "not_utf8"
    case badEncoding = "bad_encoding"
    case jsonInvalid = "json_invalid"
    case csvInvalid = "csv_invalid"
    case rowWithoutText = "row_without_text"
    case emptyText = "empty_text"
}

public struct Reject: Sendable, Error {
    public var origin: Origin
    public var code: RejectCode
    public var message: String

    public init(_ origin: Origin, _ code: RejectCode, _ message: String) {
        self.origin = origin
        self.code = code
        self.message = message
    }
}
