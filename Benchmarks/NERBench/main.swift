import Foundation
import NewsMillNER

/// The NER model alone on one thread, as natasha's tagger runs in Benchmarks/natasha-ner.py: JSON
/// lines with a "text" on stdin, entities found in each, then articles per second of CPU time and
/// how often the word cache held a row the text needed.
///
///     zcat CORPUS/jsonl/*.jsonl.gz | newsmill-nerbench MODELS_DIR [WORD_CACHE] [N_DOCS]
let arguments = Array(CommandLine.arguments.dropFirst())
guard (1...3).contains(arguments.count) else {
    FileHandle.standardError.write(Data("usage: newsmill-nerbench MODELS_DIR [WORD_CACHE] [N_DOCS] < texts.jsonl\n".utf8))
    exit(2)
}
let model = try NERModel(directory: arguments[0])
let capacity = arguments.count > 1 ? Int(arguments[1]) ?? EntityTagger.defaultCachedWords : EntityTagger.defaultCachedWords
let limit = arguments.count > 2 ? Int(arguments[2]) ?? Int.max : Int.max

var texts: [String] = []
while texts.count < limit, let line = readLine() {
    guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let text = object["text"] as? String
    else { continue }
    texts.append(text)
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

let tagger = EntityTagger(model: model, cachedWords: capacity)
var usage = WordProjectionUsage()
var spans = 0
let started = cpuSeconds()
for text in texts { spans += tagger.entities(in: text, usage: &usage).count }
let seconds = cpuSeconds() - started
let rows = usage.reused + usage.computed
print(
    "newsmill NER (word_cache \(capacity)): \(texts.count) documents, \(spans) spans, "
        + String(format: "%.2f CPU s, %.1f articles/s per core, ", seconds, Double(texts.count) / seconds)
        + String(format: "word rows reused %.1f%% (%d of %d)", rows > 0 ? 100 * Double(usage.reused) / Double(rows) : 0, usage.reused, rows)
)
