import Foundation
import Testing

@testable import NewsMill
@testable import NewsMillCore

/// The engine over in-memory sources and sinks, input plans cut into shards, stage contracts and
/// record blocks: the seams runs are built on.
@Suite struct EngineInMemoryTests {
    static func document(_ member: String, _ text: String) -> Document {
        Document(origin: Origin(archive: nil, member: member), format: .txt, sourceBytes: text.utf8.count, encoding: "utf-8", text: text)
    }

    static let stages: [any Stage] = [NormalizeStage(), StatsStage(), ExactDedupStage(), NearDedupStage()]

    /// 60 documents: stories, their exact copies and reprints with a paragraph changed, and a
    /// document normalize rejects.
    static func documents() -> [Document] {
        var documents: [Document] = []
        for story in 0..<20 {
            let paragraphs = Reprints.article(seed: UInt64(story), paragraphs: 10)
            var reprint = paragraphs
            reprint[9] = Reprints.article(seed: UInt64(story) + 1000, paragraphs: 1)[0]
            documents.append(document("story-\(story).txt", Reprints.text(paragraphs)))
            documents.append(document("copy-\(story).txt", Reprints.text(paragraphs)))
            documents.append(document("reprint-\(story).txt", Reprints.text(reprint)))
        }
        documents.insert(document("blank.txt", " \n\u{200B}\n "), at: 7)
        return documents
    }

    @Test func runsWithoutFilesAndKeepsTheInputOrder() throws {
        let sink = ArraySink()
        let report = try Engine.run(stages: Self.stages, source: ArraySource(Self.documents()), sink: sink, jobs: 2)
        #expect(sink.closed)
        #expect(sink.documents.map(\.origin.member) == Self.documents().map(\.origin.member).filter { $0 != "blank.txt" })
        #expect(sink.rejects.map(\.code) == [.emptyText])
        #expect(report.documentsRead == 61 && report.written == 60 && report.rejected == 1)
        #expect(sink.documents.allSatisfy { $0.stats != nil })
        let statuses = sink.documents.map { $0.dedup?.status }
        #expect(statuses.filter { $0 == .exact }.count == 20)
        #expect(statuses.filter { $0 == .near }.count == 20)
        // The dedup statuses come from the stages' own counters, not from the engine.
        #expect(report.stageCounts[2].values == ["unique": 40, "exact": 20])
        #expect(report.stageCounts[3].values == ["unique": 20, "exact": 20, "near": 20])
        #expect(Runner.dedupSummary(stages: Self.stages, counts: report.stageCounts) == ["unique": 20, "exact": 20, "near": 20])
    }

    @Test func outputIsTheSameForAnyThreadCount() throws {
        func records(jobs: Int) throws -> [UInt8] {
            let sink = ArraySink()
            _ = try Engine.run(stages: Self.stages, source: ArraySource(Self.documents()), sink: sink, jobs: jobs)
            var json = JSONWriter()
            for document in sink.documents { RecordSerializer.standard.write(document, into: &json) }
            return json.bytes
        }
        let one = try records(jobs: 1)
        #expect(!one.isEmpty)
        #expect(try records(jobs: 3) == one)
        #expect(try records(jobs: 8) == one)
    }

    @Test func dropsAndSourceRejectsAreCounted() throws {
        let sink = ArraySink()
        let missing = Reject(Origin(archive: "a.zip", member: "x.txt"), .memberCorrupt, "CRC mismatch")
        let outcomes: [Outcome] = [
            .document(Self.document("a.txt", "Один текст.")), .reject(missing),
            .document(Self.document("b.txt", "Один текст.")),
        ]
        let report = try Engine.run(stages: [ExactDedupStage(mode: .drop)], source: ArraySource(outcomes: outcomes), sink: sink, jobs: 1)
        #expect(sink.documents.map(\.origin.member) == ["a.txt"])
        #expect(sink.rejects.map(\.origin) == [missing.origin])
        #expect(report.droppedByReason == ["exact_duplicate": 1])
        #expect(report.rejectsByCode == ["member_corrupt": 1])
    }

    /// A stage written outside the registry: the engine runs it like any other, its counts reach
    /// the report and its block reaches the record.
    @Test func aNewStageNeedsOnlyItsOwnCode() throws {
        let sink = ArraySink()
        let stages: [any Stage] = [NormalizeStage(), ExclamationStage()]
        let report = try Engine.run(
            stages: stages, source: ArraySource([Self.document("a.txt", "Ура! Победа!"), Self.document("b.txt", "Тихо.")]),
            sink: sink, jobs: 2)
        #expect(sink.documents.map { $0[ExclamationStage.Key.self] } == [2, 0])
        #expect(report.stageCounts[1].values == ["exclaiming": 1])
        var json = JSONWriter()
        RecordSerializer(blocks: StageRegistry.recordBlocks + [ExclamationStage.block]).write(sink.documents[0], into: &json)
        #expect(String(decoding: json.bytes, as: UTF8.self).hasSuffix(#""text":"Ура! Победа!","exclamations":2}"# + "\n"))
        #expect(
            StageOrder.check([ExclamationStage(), NormalizeStage()])?.message
                == "'normalize' changes the text after 'exclamations' read it; list 'normalize' before 'exclamations'")
    }

    struct ExclamationStage: Stage {
        enum Key: DocumentKey { typealias Value = Int }
        static let block = RecordBlock(field: "exclamations", position: .end, schema: #"{"exclamations": {"type": "integer"}}"#) {
            document, json in
            guard let count = document[Key.self] else { return }
            json.key("exclamations"); json.int(count)
        }

        var name: String { "exclamations" }
        var contract: StageContract { StageContract(reads: [.text], writes: ["exclamations"]) }

        func process(_ document: inout Document, counts: inout StageCounts) -> Verdict {
            let count = document.text.unicodeScalars.filter { $0 == "!" }.count
            document[Key.self] = count
            if count > 0 { counts.add("exclaiming") }
            return .keep
        }
    }
}

@Suite struct StageContractTests {
    @Test func editorsOfTheTextMayRunInAnyOrder() {
        #expect(StageOrder.check([BoilerplateStage(), NormalizeStage(), DatesStage()]) == nil)
        #expect(StageOrder.check([NormalizeStage(), BoilerplateStage(), DatesStage()]) == nil)
        #expect(StageOrder.check([NormalizeStage(), DatesStage(), BoilerplateStage()])?.index == 2)
    }

    @Test func everyRegisteredStageDeclaresWhatItWrites() throws {
        let config = try PipelineConfig.parse(
            yaml: "stages: [\(StageRegistry.names.filter { $0 != "entities" }.joined(separator: ", "))]", file: "t.yaml")
        for stage in config.stages {
            let contract = stage.contract
            #expect(!contract.writes.union(contract.edits).isEmpty, "\(stage.name) declares no output")
        }
        // A block for each field a registered stage writes, except the record's own.
        let blockFields = Set(StageRegistry.recordBlocks.map(\.field))
        for stage in config.stages {
            for field in stage.contract.writes where ![Field.text, .title, .mojibake].contains(field) {
                #expect(blockFields.contains(field), "\(stage.name) writes \(field) but no block serializes it")
            }
        }
    }

    /// schema/record.schema.json is what the stages' schema fragments assemble to, so the
    /// reference cannot drift from the code: `newsmill schema > schema/record.schema.json`.
    @Test func theSchemaFileIsAssembledFromTheBlocks() throws {
        let file = try String(contentsOf: SchemaTests.schemaURL("record.schema.json"), encoding: .utf8)
        let assembled = try RecordSchema.text(blocks: StageRegistry.recordBlocks)
        #expect(assembled == file)
    }
}

@Suite struct InputPlanShardTests {
    static func plan(sizes: [Int64]) -> InputPlan {
        InputPlan(
            files: sizes.enumerated().map { i, size in
                InputPlan.File(path: "in/\(String(i).leftPadded(to: 3)).tar", size: size, root: "in", relative: "\(i).tar")
            }, problems: [Reject(Origin(archive: nil, member: "gone.zip"), .inputMissing, "no such file or folder")])
    }

    @Test(arguments: [1, 2, 3, 7, 40])
    func shardsPartitionThePlanInOrder(count: Int) {
        let plan = Self.plan(sizes: (0..<29).map { Int64(1 + ($0 * 7919) % 1000) })
        let shards = (0..<count).map { plan.shard($0, of: count) }
        #expect(shards.flatMap(\.files) == plan.files)
        #expect(shards[0].problems.count == 1 && shards.dropFirst().allSatisfy(\.problems.isEmpty))
    }

    @Test func shardsAreEvenInBytes() {
        let plan = Self.plan(sizes: Array(repeating: 100, count: 1000))
        let sizes = (0..<4).map { plan.shard($0, of: 4).totalBytes }
        #expect(sizes == [25_000, 25_000, 25_000, 25_000])
    }
}
