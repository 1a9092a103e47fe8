/// Turns a source item into documents according to its format. Pure: runs on worker threads.
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
            if let row = member.metadata, let metadata = options.metadata {
                // A title from the table makes guessing one from the first line pointless.
                let headline = options.txtHeadline && MetadataJoin.title(in: row, fields: metadata.fields) == nil
                let decoded = member.format == .txt ? [TxtFormat.decode(member, headline: headline)] : decode(.member(RawMember(origin: member.origin, format: member.format, bytes: member.bytes)))
                return MetadataJoin.apply(row, to: decoded, fields: metadata.fields)
            }
            switch member.format {
            case .txt: return [TxtFormat.decode(member, headline: options.txtHeadline)]
            case .html: return [HTMLFormat.decode(member)]
            case .json: return DumpFormat(fields: options.fields, maxRecordBytes: options.maxMemberBytes).decodeJSONDocument(member)
            case .jsonl, .csv: return DumpFormat(fields: options.fields, maxRecordBytes: options.maxMemberBytes).decode(RowChunk(origin: member.origin, format: member.format, header: nil, bytes: member.bytes, firstRow: 1))
            }
        case .rows(let chunk):
            return DumpFormat(fields: options.fields, maxRecordBytes: options.maxMemberBytes, csvDelimiter: options.csvDelimiter).decode(chunk)
        }
    }
}
