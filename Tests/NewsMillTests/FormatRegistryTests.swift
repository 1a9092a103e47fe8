import Testing

@testable import NewsMill

/// A member format is one handler and one line in `FormatRegistry`: its config key, extensions and
/// decoding come from there.
@Suite struct FormatRegistryTests {
    @Test func everyFormatHasOneHandler() {
        #expect(FormatRegistry.handlers.map(\.format.rawValue).sorted() == MemberFormat.allCases.map(\.rawValue).sorted())
    }

    @Test func eachHandlerIsFoundByItsExtensions() {
        let options = InputOptions()
        for handler in FormatRegistry.handlers {
            let own = (options.extensions[handler.extensionsKey] ?? []).filter {
                FormatRegistry.handler(forExtension: $0, in: options.extensions)?.format == handler.format
            }
            #expect(!own.isEmpty, "no extension reaches \(handler.format)")
            for ext in own { #expect(options.format(forExtension: ext) == handler.format) }
        }
        let byFormat = Dictionary(grouping: options.extensions.values.joined()) { options.format(forExtension: $0)! }
        #expect(
            byFormat.mapValues(Set.init) == [
                .txt: ["txt", "text"], .html: ["html", "htm", "xhtml"],
                .jsonl: ["jsonl", "ndjson"], .json: ["json"], .csv: ["csv"],
            ])
    }

    @Test func configKeysComeFromTheRegistry() throws {
        #expect(FormatRegistry.extensionKeys == ["txt", "html", "jsonl", "csv"])
        let config = try PipelineConfig.parse(
            yaml: """
                input:
                  extensions: {csv: [tsv, CSV], jsonl: [ndjson]}
                stages: [normalize]
                """, file: "test.yaml")
        #expect(config.input.format(forExtension: "tsv") == .csv && config.input.format(forExtension: "csv") == .csv)
        #expect(config.input.format(forExtension: "json") == nil && config.input.format(forExtension: "txt") == .txt)
    }

    /// The reader streams a dump in chunks; a whole dump made by hand is split the same way, its
    /// header included.
    @Test func aWholeDumpIsSplitAsTheReaderWould() {
        let member = RawMember(
            origin: Origin(archive: nil, member: "a.csv"), format: .csv,
            bytes: Array("title,text\nЗаголовок,Текст\n,\n".utf8))
        let outcomes = MemberDecoder(options: InputOptions()).decode(.member(member))
        guard outcomes.count == 2, case .document(let document) = outcomes[0], case .reject(let reject) = outcomes[1] else {
            Issue.record("expected a document and a reject, got \(outcomes)"); return
        }
        #expect(document.title == "Заголовок" && document.text == "Текст" && document.origin.row == 1)
        #expect(reject.code == .rowWithoutText && reject.origin.row == 2)
    }
}
