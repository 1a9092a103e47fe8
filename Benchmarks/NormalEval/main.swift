import Foundation
import NewsMillCore
import RussianMorphology

/// Normal forms of given mention spans, for Scripts/eval/normal-eval.sh (oracle mode of
/// ../shared/tools/normal_score.py): reads the gold spans it dumps and the articles' texts,
/// writes one prediction line per document.
///
///     newsmill-normaleval GOLD_SPANS.jsonl TEXTS_DIR WHEEL > predictions.jsonl
///     newsmill-normaleval --words WHEEL "PER:Николаса Мадуро" ...   (one mention a line)
let arguments = Array(CommandLine.arguments.dropFirst())
func kind(_ type: String) -> NameNormalizer.Kind { type == "PER" ? .person : type == "ORG" ? .organisation : .location }

if arguments.first == "--parses", arguments.count >= 2 {
    let dictionary = try RussianDictionary(wheel: arguments[1])
    for word in arguments.dropFirst(2) {
        for parse in dictionary.parses(of: word) {
            print(
                word, dictionary.lemma(parse), dictionary.grammemes.names(parse.tag).joined(separator: ","),
                parse.predicted ? "(guess)" : "")
        }
    }
    exit(0)
}
if arguments.first == "--words", arguments.count >= 2 {
    let normalizer = NameNormalizer(dictionary: try RussianDictionary(wheel: arguments[1]))
    for line in arguments.dropFirst(2) {
        let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
        print(line, "→", normalizer.normal(of: parts[1], kind: kind(parts[0])))
    }
    exit(0)
}
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: newsmill-normaleval GOLD_SPANS.jsonl TEXTS_DIR WHEEL\n".utf8))
    exit(2)
}
let normalizer = NameNormalizer(dictionary: try RussianDictionary(wheel: arguments[2]))
let lines = try String(contentsOfFile: arguments[0], encoding: .utf8).split(separator: "\n")
var out = ""
var normalSeconds = 0.0
var groupSeconds = 0.0
var mentionCount = 0
for line in lines {
    let document = try JSONParser.parse(Array(line.utf8))
    guard let id = document["doc_id"]?.string, let split = document["split"]?.string,
        case .array(let mentions)? = document["mentions"]
    else { continue }
    let text = Array(try String(contentsOfFile: "\(arguments[1])/\(split)/\(id).txt", encoding: .utf8).unicodeScalars)
    var spans: [(start: Int, end: Int, type: String)] = []
    var found: [NameGroups.Mention] = []
    for mention in mentions {
        guard let start = mention["start"]?.int, let end = mention["end"]?.int, let type = mention["type"]?.string else { continue }
        let context = NameNormalizer.Context(around: start, end, in: text)
        let started = DispatchTime.now().uptimeNanoseconds
        let normal = normalizer.normal(of: String(String.UnicodeScalarView(text[start..<end])), kind: kind(type), context: context)
        normalSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        mentionCount += 1
        spans.append((start, end, type))
        found.append(NameGroups.Mention(kind: kind(type), normal: normal))
    }
    let groupStarted = DispatchTime.now().uptimeNanoseconds
    let groups = NameGroups.assign(found)
    groupSeconds += Double(DispatchTime.now().uptimeNanoseconds - groupStarted) / 1e9
    let predictions: [JSONValue] = zip(spans, groups).map { span, group in
        .object([
            ("start", .number(String(span.start))), ("end", .number(String(span.end))), ("type", .string(span.type)),
            ("normal", .string(group.normal)), ("group", .number(String(group.group))), ("canonical", .string(group.canonical)),
        ])
    }
    out += JSONValue.object([("doc_id", .string(id)), ("mentions", .array(predictions))]).compactJSON + "\n"
}
FileHandle.standardOutput.write(Data(out.utf8))
FileHandle.standardError.write(
    Data(
        String(
            format: "%d mentions, %d documents: normal forms %.3f s (%.1f µs a mention), groups %.3f s\n", mentionCount, lines.count,
            normalSeconds, 1e6 * normalSeconds / Double(max(1, mentionCount)), groupSeconds
        ).utf8))
