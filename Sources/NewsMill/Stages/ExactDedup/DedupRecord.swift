/// The `dedup` block, written by exact_dedup and near_dedup alike: near dedup refines what exact
/// dedup decided.
extension Field {
    public static let dedup: Field = "dedup"
}

public enum DedupStatus: String, Sendable {
    case unique, exact, near
}

public struct DedupInfo: Sendable, Equatable {
    public var hash: Hash128
    public var status: DedupStatus
    /// Id of the document this one duplicates (nil when unique).
    public var of: String?
    public var similarity: Double?
    /// Id of the cluster's canonical document (the document's own id when unique).
    public var cluster: String
    /// Canonical ids of clusters this document merged into `cluster` (near dedup).
    public var merges: [String] = []
}

enum DedupKey: DocumentKey {
    typealias Value = DedupInfo
}

extension Document {
    public var dedup: DedupInfo? {
        get { self[DedupKey.self] }
        set { self[DedupKey.self] = newValue }
    }
}

extension RecordBlock {
    public static let dedup = RecordBlock(
        field: .dedup, position: .end,
        schema: #"""
            {
              "dedup": {
                "description": "Optional (written by the dedup stages). Duplicate decision for this document; decisions depend only on the fixed input order, never on timing.",
                "type": "object",
                "properties": {
                  "hash": {
                    "description": "128-bit MurmurHash3-x64-128 of the normalized text, 32 lowercase hex digits. Equal hashes mean exact duplicates.",
                    "type": "string",
                    "pattern": "^[0-9a-f]{32}$"
                  },
                  "status": {
                    "description": "unique: first of its kind; exact: same normalized text as an earlier document; near: MinHash/LSH near-duplicate of an earlier document.",
                    "enum": ["unique", "exact", "near"]
                  },
                  "of": {
                    "description": "Id of the earlier document this one duplicates; null when status is unique.",
                    "type": ["string", "null"],
                    "pattern": "^[0-9a-f]{24}$"
                  },
                  "similarity": {
                    "description": "Jaccard similarity of the word-shingle sets of this document and `of`, exact, rounded to 4 decimals (1.0 for exact duplicates); null when status is unique.",
                    "type": ["number", "null"],
                    "minimum": 0,
                    "maximum": 1
                  },
                  "cluster": {
                    "$ref": "#/$defs/docId",
                    "description": "Id of the canonical (earliest in the fixed order) document of the duplicate cluster as of this document; the document's own id when unique and the first of its cluster."
                  },
                  "merges": {
                    "description": "Empty unless this document joins clusters that were apart until now (it is near both): then the canonical ids of the clusters merged into `cluster`. Records written before keep their old `cluster`; the closure over (cluster, merges) is the final clustering.",
                    "type": "array",
                    "items": {
                      "$ref": "#/$defs/docId"
                    }
                  }
                },
                "required": ["hash", "status", "of", "similarity", "cluster", "merges"],
                "additionalProperties": false
              }
            }
            """#
    ) { document, json in
        guard let dedup = document.dedup else { return }
        json.key("dedup")
        json.beginObject()
        json.key("hash"); json.string(dedup.hash.hex)
        json.key("status"); json.string(dedup.status.rawValue)
        json.key("of"); json.string(dedup.of)
        json.key("similarity")
        if let similarity = dedup.similarity { json.double(similarity) } else { json.null() }
        json.key("cluster"); json.string(dedup.cluster)
        // Always present, so that tools inferring a schema from the data see the same columns.
        json.key("merges")
        json.beginArray()
        for merged in dedup.merges { json.string(merged) }
        json.endArray()
        json.endObject()
    }
}
