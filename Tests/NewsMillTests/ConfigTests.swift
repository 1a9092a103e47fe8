import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

@Suite struct ConfigTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func defaultPipelineParsesAndMatchesBuiltIn() throws {
        let config = try PipelineConfig.load(path: "\(Self.packageRoot)/Pipelines/default.yaml")
        #expect(
            config.stageNames == [
                "normalize", "boilerplate", "lead", "language", "stats", "dates", "numbers", "entities", "quotes", "exact_dedup",
                "near_dedup",
            ])
        #expect(config.stageNames == (try PipelineConfig.builtInDefault()).stageNames)
        #expect(config.input == InputOptions())
        #expect(config.output == OutputOptions())
    }

    @Test func everyShippedPipelineIsValid() throws {
        let folder = "\(Self.packageRoot)/Pipelines"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 2)
        for file in files {
            #expect(throws: Never.self) { try PipelineConfig.load(path: "\(folder)/\(file)") }
        }
    }

    func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try PipelineConfig.parse(yaml: yaml, file: "test.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownKeyNamesFileLineKeyAndAllowed() {
        let e = error("version: 1\nstages:\n  - exact_dedup:\n      mood: mark\n")
        #expect(e?.description == "test.yaml:4: stages[0].exact_dedup.mood: unknown key; allowed keys: mode")
    }

    @Test func badValueNamesAllowedValues() {
        let e = error("stages:\n  - exact_dedup: {mode: dropp}\n")
        #expect(e?.description.contains("stages[0].exact_dedup.mode: 'dropp' is not allowed; expected one of: mark, drop") == true)
    }

    @Test(arguments: [
        ("stages: [normalise]", "unknown stage 'normalise'"),
        ("stages: [stats, stats]", "listed twice"),
        ("version: 2\nstages: [stats]", "out of range"),
        ("input: {max_member_bytes: lots}\nstages: [stats]", "input.max_member_bytes: expected an integer"),
        ("input: {max_archive_depth: 99}\nstages: [stats]", "input.max_archive_depth: 99 is out of range"),
        ("stages: [stats]\noutputs: {}", "outputs: unknown key"),
        ("version: 1", "stages: missing"),
        ("stages: [stats\n", "not valid YAML"),
        ("input: {csv: {delimiter: x}}\nstages: [stats]", "expected one of"),
        (
            "stages: [dates, boilerplate]",
            "stages[1]: 'boilerplate' changes the text after 'dates' read it; list 'boilerplate' before 'dates'"
        ),
        ("stages: [quotes, entities]", "stages[1]: 'entities' writes entities after 'quotes' read it; list 'entities' before 'quotes'"),
        ("stages: [near_dedup, exact_dedup]", "stages[1]: 'exact_dedup' writes dedup after 'near_dedup' read it"),
        ("stages: [numbers, dates]", "stages[1]: 'dates' writes dates after 'numbers' read it"),
        ("output: {compression: lz4}\nstages: [stats]", "output.compression: 'lz4' is not allowed; expected one of: none, zstd, gzip"),
        (
            "output: {compression: zstd, compression_level: 20}\nstages: [stats]",
            "output.compression_level: 20 is out of range; allowed: 1...19"
        ),
        (
            "output: {compression: gzip, compression_level: 0}\nstages: [stats]",
            "output.compression_level: 0 is out of range; allowed: 1...9"
        ),
        (
            "output: {compression: zstd, compression_level: max}\nstages: [stats]",
            "output.compression_level: expected an integer in 1...19, got 'max'"
        ),
        (
            "output: {compression_level: 3}\nstages: [stats]",
            "test.yaml:1: output.compression_level: only for compressed parts; set compression to zstd or gzip, or leave the level out"
        ),
    ])
    func configErrorsAreSpecific(yaml: String, expected: String) {
        let e = error(yaml)
        #expect(e != nil)
        #expect(e?.description.contains(expected) == true, "\(e?.description ?? "no error")")
    }

    @Test func optionsAreApplied() throws {
        let config = try PipelineConfig.parse(
            yaml: """
                input:
                  max_member_bytes: 1_000
                  txt: {headline: false}
                  fields: {text: [article_body]}
                  csv: {delimiter: ";"}
                stages: [normalize, {exact_dedup: {mode: drop}}]
                output: {part_max_records: 10}
                """, file: "t.yaml")
        #expect(config.input.maxMemberBytes == 1000)
        #expect(config.input.txtHeadline == false)
        #expect(config.input.fields.text == ["article_body"])
        #expect(config.input.csvDelimiter == UInt8(ascii: ";"))
        #expect(config.output.partMaxRecords == 10)
        #expect((config.stages[1] as? ExactDedupStage)?.mode == .drop)
        #expect(config.output.compression == .none)
    }

    @Test func compressionTakesItsLevelOrTheCodecsDefault() throws {
        func compression(_ output: String) throws -> PartCompression {
            try PipelineConfig.parse(yaml: "stages: [stats]\noutput: \(output)", file: "t.yaml").output.compression
        }
        #expect(try compression("{compression: none}") == .none)
        #expect(try compression("{compression: zstd}") == PartCompression(codec: .zstd, level: 3))
        #expect(try compression("{compression: gzip}") == PartCompression(codec: .gzip, level: 6))
        #expect(try compression("{compression: zstd, compression_level: 19}") == PartCompression(codec: .zstd, level: 19))
        #expect(try compression("{compression: gzip, compression_level: 1}") == PartCompression(codec: .gzip, level: 1))
    }
}
