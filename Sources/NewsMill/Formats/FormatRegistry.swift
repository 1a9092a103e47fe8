/// The member formats NewsMill reads, one line each. The `input.extensions` keys, the format of a
/// member by its extension and the decoder's dispatch all come from this list. Where extension
/// lists overlap, the first format that takes an extension gets it. A new format is a handler, a
/// line here, and its name in `MemberFormat` and the record schema's `source.format`.
enum FormatRegistry {
    static let handlers: [any FormatHandler] = [
        TxtFormat(),
        HTMLFormat(),
        JSONFormat(),
        JSONLinesFormat(),
        CSVFormat(),
    ]

    private static let byFormat = Dictionary(uniqueKeysWithValues: handlers.map { ($0.format, $0) })

    /// Every `MemberFormat` has its handler (a test checks the list).
    static func handler(for format: MemberFormat) -> any FormatHandler {
        byFormat[format]!
    }

    /// `extensions`: lists of extensions by `input.extensions` key.
    static func handler(forExtension ext: String, in extensions: [String: [String]]) -> (any FormatHandler)? {
        handlers.first { extensions[$0.extensionsKey]?.contains(ext) == true && $0.takes(extension: ext) }
    }

    /// The `input.extensions` keys, in the order of the list.
    static let extensionKeys: [String] = handlers.reduce(into: []) { keys, handler in
        if !keys.contains(handler.extensionsKey) { keys.append(handler.extensionsKey) }
    }

    static let defaultExtensions: [String: [String]] = handlers.reduce(into: [:]) { lists, handler in
        lists[handler.extensionsKey, default: []] += handler.defaultExtensions
    }
}
