/// The part of a record one field's stage writes: its keys, where they go, and their JSON Schema.
/// A stage declares its blocks next to its code; `RecordSerializer` writes the blocks it is given
/// and `RecordSchema` assembles schema/record.schema.json from theirs.
public struct RecordBlock: Sendable {
    /// Where the block's keys go among the record's own (schema, id, source, url, title,
    /// published, text, meta): record readers see one key order, whatever the stage order.
    public enum Position: Sendable {
        case afterSource, afterTitle, end
    }

    public let field: Field
    public let position: Position
    /// The JSON Schema of the block's keys: an object of property schemas, in record order.
    public let schema: String
    /// Schemas the block's `schema` refers to more than once ("#/$defs/name"): an object of
    /// named schemas, added to the record schema's `$defs`.
    public let definitions: String
    /// Writes the block's keys and values when the document has them; nothing otherwise.
    public let write: @Sendable (Document, inout JSONWriter) -> Void

    public init(
        field: Field, position: Position, schema: String, definitions: String = "{}",
        write: @escaping @Sendable (Document, inout JSONWriter) -> Void
    ) {
        self.field = field
        self.position = position
        self.schema = schema
        self.definitions = definitions
        self.write = write
    }
}
