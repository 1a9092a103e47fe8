import Foundation

@testable import NewsMill
@testable import NewsMillCore

/// One libFuzzer binary, many targets: `NEWSMILL_FUZZ_TARGET` names the one to run (Scripts/fuzz.sh
/// sets it). Besides "does not crash", every target checks what the pipeline promises of its output:
/// a decoder yields documents with text or a reject with a code; mentions point at exactly their
/// text; a stage that changes text keeps it valid and never empty without saying so.
enum FuzzTarget: String, CaseIterable {
    case decode, txt, html, jsonl, json, csv, normalize, extract, entities

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["NEWSMILL_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
            FileHandle.standardError.write(Data("set NEWSMILL_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()
}

enum Pipelines {
    /// The built-in default pipeline (it needs the NER model files: Scripts/fuzz.sh names them).
    static let builtIn: [any Stage] = {
        do {
            return try PipelineConfig.builtInDefault().stages
        } catch {
            FileHandle.standardError.write(Data("fuzz pipeline: \(error)\n".utf8))
            exit(2)
        }
    }()

    static let normalize = builtIn.filter { $0.name == "normalize" }
    static let extract = builtIn.filter { $0.name != "entities" }
    static let entities = builtIn.filter { ["normalize", "entities", "quotes"].contains($0.name) }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("INVARIANT BROKEN: \(message)\n".utf8))
    abort()
}

/// A mention's offsets count Unicode scalars of `text`, end exclusive, and slice out its own text.
func checkSpan(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int, _ expected: String, _ what: String) {
    guard 0 <= start, start <= end, end <= scalars.count else {
        fail("\(what) [\(start), \(end)) outside a text of \(scalars.count) scalars")
    }
    var slice = String.UnicodeScalarView()
    slice.append(contentsOf: scalars[start..<end])
    if String(slice) != expected {
        fail("\(what) [\(start), \(end)) slices \(String(slice).debugDescription), says \(expected.debugDescription)")
    }
}

/// A quotation the narrator cut: its parts lie in order from `start` to `end`, and its text is
/// their slices joined by a space (after a full stop where one was added).
func checkParts(_ scalars: [Unicode.Scalar], _ quote: QuoteMention) {
    guard quote.parts.count >= 2, quote.parts.first?.start == quote.start, quote.parts.last?.end == quote.end else {
        fail("quote [\(quote.start), \(quote.end)) has parts \(quote.parts) that do not run from its start to its end")
    }
    // Compared scalar by scalar: a part may start with a mark that combines with the space before it.
    let text = Array(quote.text.unicodeScalars)
    var at = 0
    var previousEnd = quote.start
    for (k, part) in quote.parts.enumerated() {
        guard part.start >= previousEnd, part.start < part.end, part.end <= scalars.count else {
            fail("quote part [\(part.start), \(part.end)) out of order or outside the text")
        }
        previousEnd = part.end
        if k > 0 {
            if at < text.count && text[at] == "." { at += 1 }
            if at < text.count && text[at] == " " { at += 1 }
        }
        let slice = scalars[part.start..<part.end]
        guard at + slice.count <= text.count, text[at..<(at + slice.count)].elementsEqual(slice) else {
            fail("quote text \(quote.text.debugDescription) lacks its part at [\(part.start), \(part.end))")
        }
        at += slice.count
    }
    if at != text.count { fail("quote text \(quote.text.debugDescription) goes on past its parts") }
}

func checkMentions(_ document: Document) {
    let scalars = Array(document.text.unicodeScalars)
    for date in document.dates ?? [] { checkSpan(scalars, date.start, date.end, date.text, "date") }
    for number in document.numbers ?? [] {
        checkSpan(scalars, number.start, number.end, number.text, "number")
        if !number.value.isFinite { fail("number \(number.text.debugDescription) has value \(number.value)") }
    }
    for entity in document.entities ?? [] { checkSpan(scalars, entity.start, entity.end, entity.text, "entity") }
    for quote in document.quotes ?? [] {
        if quote.parts.isEmpty {
            checkSpan(scalars, quote.start, quote.end, quote.text, "quote")
        } else {
            checkParts(scalars, quote)
        }
        if let speaker = quote.speaker { checkSpan(scalars, speaker.start, speaker.end, speaker.text, "speaker") }
        if let source = quote.source { checkSpan(scalars, source.start, source.end, source.text, "quote source") }
    }
    if let stats = document.stats, stats.chars != scalars.count { fail("stats.chars \(stats.chars) != \(scalars.count)") }
}

func run(_ stages: [any Stage], on document: Document) {
    var document = document
    var counts = StageCounts()
    for stage in stages {
        switch stage.process(&document, counts: &counts) {
        case .keep: continue
        case .drop, .reject: return
        }
    }
    checkMentions(document)
}

func origin(_ name: String) -> Origin { Origin(archive: "fuzz.tar", member: name) }

func decodeMember(_ bytes: [UInt8], format: MemberFormat, name: String) -> [Outcome] {
    let decoder = MemberDecoder(options: InputOptions())
    let outcomes = decoder.decode(.member(RawMember(origin: origin(name), format: format, bytes: bytes)))
    for outcome in outcomes {
        switch outcome {
        case .document(let document):
            if document.text.isEmpty && document.title == nil { fail("\(format) decoder made a document with no text") }
        case .reject(let reject):
            if reject.message.isEmpty { fail("reject without a message") }
        case .dropped:
            break
        }
    }
    return outcomes
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM gives an executable its own `main`, so libFuzzer's is not linked: start its driver here.
@main
enum FuzzMain {
    static func main() {
        _ = FuzzTarget.current
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzOneInput(data, size) }))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    switch FuzzTarget.current {
    case .decode:
        if case .success(let decoded) = TextDecoding.decode(bytes), decoded.text.isEmpty {
            fail("decoded to empty text without an empty reject")
        }
    case .txt: _ = decodeMember(bytes, format: .txt, name: "a.txt")
    case .html: _ = decodeMember(bytes, format: .html, name: "a.html")
    case .jsonl: _ = decodeMember(bytes, format: .jsonl, name: "a.jsonl")
    case .json: _ = decodeMember(bytes, format: .json, name: "a.json")
    case .csv: _ = decodeMember(bytes, format: .csv, name: "a.csv")
    case .normalize, .extract, .entities:
        let text = String(decoding: bytes, as: UTF8.self)
        let document = Document(origin: origin("a.txt"), format: .txt, sourceBytes: size, encoding: "utf-8", text: text)
        let stages =
            FuzzTarget.current == .normalize
            ? Pipelines.normalize
            : FuzzTarget.current == .extract ? Pipelines.extract : Pipelines.entities
        run(stages, on: document)
        if FuzzTarget.current == .normalize {
            // Normalizing twice changes nothing: the stage reaches a fixed point in one pass.
            var once = document
            var counts = StageCounts()
            _ = stages[0].process(&once, counts: &counts)
            var twice = once
            _ = stages[0].process(&twice, counts: &counts)
            // Entities are decoded one level, by design: "&amp;lt;" is the text "&lt;", which a
            // second pass reads as "<". Only texts without such leftovers must be fixed points.
            // And typography may set a » after a capital Г, Р or С ("Г\"Г\"" gives "Г»Г»"), which
            // on a text of a few characters the second pass's mojibake repair reads as cp1251 for
            // "ûû"; in a real text the rest of it outweighs such a pair. Not counted either.
            let repairedOnlyTwice = twice.mojibakeRepairedFrom != nil && once.mojibakeRepairedFrom == nil
            if once.text != twice.text && HTMLEntities.decode(once.text) == once.text && !repairedOnlyTwice {
                fail("normalize is not idempotent: \(once.text.debugDescription) -> \(twice.text.debugDescription)")
            }
        }
    }
    return 0
}
