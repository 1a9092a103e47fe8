/// Turns a source item into documents through its format's handler. Pure: runs on worker threads.
public struct MemberDecoder: Sendable {
    let options: InputOptions

    public init(options: InputOptions) {
        self.options = options
    }

    public func decode(_ item: SourceItem) -> [Outcome] {
        switch item {
        case .reject(let reject):
            return [.reject(reject)]
        case .member(let member):
            let outcomes = FormatRegistry.handler(for: member.format).decode(member, options: options)
            guard let row = member.metadata, let metadata = options.metadata else { return outcomes }
            return MetadataJoin.apply(row, to: outcomes, fields: metadata.fields)
        case .rows(let chunk):
            return FormatRegistry.handler(for: chunk.format).decode(chunk, options: options)
        }
    }
}
