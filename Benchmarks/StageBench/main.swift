// newsmill-stagebench: times every decoder and every stage of a pipeline on generated
// pathological inputs at doubling sizes, and fails when a row's time grows more than 2.3x per
// doubling of the input (a super-linear stage stalls a worker on one hostile member, and with it
// a nightly run). Also prints the peak memory each one takes beyond what it was given, per byte
// of input. See Benchmarks/README.md ("Linear time").
import Foundation
import NewsMill

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var sizes: [Double] = [1, 2, 4, 8]
    var reps = 3
    var filter: [String] = []
    var pipeline = "Pipelines/default.yaml"
    var maxGrowth = 2.3
    /// Doublings whose larger time is below this are noise, not growth.
    var floorSeconds = 0.005
    /// One run longer than this stops the larger sizes of that row (and fails it).
    var budgetSeconds = 30.0
    var memory = true

    static func parse(_ args: [String]) -> Options {
        var o = Options()
        var i = 0
        func value() -> String {
            i += 1
            guard i < args.count else { usage("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--sizes": o.sizes = value().split(separator: ",").compactMap { Double($0) }
            case "--reps": o.reps = max(1, Int(value()) ?? 3)
            case "--filter": o.filter = value().split(separator: ",").map(String.init)
            case "--pipeline": o.pipeline = value()
            case "--max-growth": o.maxGrowth = Double(value()) ?? 2.3
            case "--budget": o.budgetSeconds = Double(value()) ?? 30
            case "--no-memory": o.memory = false
            case "-h", "--help": usage(nil)
            default: usage("unknown option \(args[i])")
            }
            i += 1
        }
        if o.sizes.count < 2 { usage("--sizes needs two sizes or more") }
        return o
    }

    static func usage(_ error: String?) -> Never {
        if let error { FileHandle.standardError.write(Data("newsmill-stagebench: \(error)\n".utf8)) }
        out(
            """
            usage: newsmill-stagebench [--sizes 1,2,4,8] [--reps 3] [--filter WORD,...] [--pipeline FILE]
                                       [--max-growth 2.3] [--budget SECONDS] [--no-memory]
            Sizes are MB (10^6 bytes), each twice the one before. --filter keeps the rows whose target
            or input name contains one of the words ("quotes", "html", "dialogue").
            Exit status 1 when a row grows more than --max-growth per doubling.
            """)
        exit(error == nil ? 0 : 2)
    }
}

/// Unbuffered, so a long run shows each row as it is measured.
func out(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

// MARK: Inputs

/// Repeats `unit(i)` for i = 0, 1, … until the text reaches `bytes`.
func repeated(_ bytes: Int, _ unit: (Int) -> String) -> String {
    var s = ""
    s.reserveCapacity(bytes + 256)
    var i = 0
    while s.utf8.count < bytes {
        s += unit(i)
        i += 1
    }
    return s
}

/// `open` repeated, one middle, `close` repeated: the same number of each, about `bytes` in all.
func nested(_ bytes: Int, open: String, middle: String, close: String) -> String {
    let n = max(1, (bytes - middle.utf8.count) / (open.utf8.count + close.utf8.count))
    return String(repeating: open, count: n) + middle + String(repeating: close, count: n)
}

let months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]

func sentence(_ i: Int) -> String {
    switch i % 4 {
    case 0:
        return
            "Министр финансов Антон Силуанов заявил \(i % 28 + 1) \(months[i % 12]) 2024 года, что доходы бюджета выросли на \(i % 97),3 млрд рублей. "
    case 1: return "В Москве открылась выставка «Русский авангард», её посетили \(i % 900 + 100) человек. "
    case 2: return "«Мы готовы продолжать работу», — сказал глава компании «Ростех» Сергей Чемезов. "
    default: return "По словам экспертов, в \(1990 + i % 30)-х годах цены выросли на \(i % 50)%. "
    }
}

/// Texts for the txt decoder and for every stage.
let textInputs: [(name: String, make: (Int) -> String)] = [
    ("open-quotes", { n in String(repeating: "«", count: n / 2) }),
    ("close-quotes", { n in String(repeating: "»", count: n / 2) }),
    ("straight-quotes", { n in String(repeating: "\"", count: n) }),
    ("nested-open-quotes", { n in repeated(n) { _ in "«а „б " } }),
    ("quoted-names", { n in repeated(n) { i in i % 2 == 0 ? "«Газпром» и " : "«Роснефть», " } }),
    ("dashes", { n in repeated(n) { _ in "— " } }),
    ("dash-lines", { n in repeated(n) { _ in "— Да, — сказал он.\n" } }),
    ("dash-list", { n in repeated(n) { i in "— пункт \(i);\n" } }),
    ("dialogue", { n in repeated(n) { _ in "«Мы готовы к переговорам», — сказал министр. — «Но не сегодня», — добавил он. " } }),
    ("colon-lines", { n in repeated(n) { _ in "Министр сказал:\n" } }),
    ("paragraph", { n in repeated(n, sentence) }),
    ("paragraphs", { n in repeated(n) { i in sentence(i) + "\n" } }),
    ("tiny-paragraphs", { n in repeated(n) { _ in "а\n" } }),
    ("long-line", { n in repeated(n) { _ in "абвгдежзийклмнопрстуфхцчшщэюя" } }),
    ("digits", { n in repeated(n) { _ in "0123456789" } }),
    ("spaced-digits", { n in repeated(n) { i in "\(i % 10) " } }),
    ("number-words", { n in repeated(n) { _ in "сто двадцать три тысячи " } }),
    ("date-run", { n in repeated(n) { i in "с \(i % 28 + 1) по \(i % 28 + 1) \(months[i % 12]) " } }),
    ("uppercase", { n in repeated(n) { _ in "ПРЕЗИДЕНТ ЗАЯВИЛ СЕГОДНЯ В МОСКВЕ " } }),
    ("punctuation", { n in repeated(n) { _ in ".,;:!?()-…" } }),
    ("words-no-punctuation", { n in repeated(n) { i in ["заявил ", "министр ", "что ", "по ", "словам ", "и "][i % 6] } }),
]

/// windows-1251 bytes of Russian text (letters, ASCII; ё is not used by `sentence`'s words here).
func cp1251(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { scalar -> UInt8 in
        switch scalar.value {
        case 0x410...0x44F: return UInt8(scalar.value - 0x410 + 0xC0)
        case 0..<0x80: return UInt8(scalar.value)
        default: return 0x20
        }
    }
}

/// Damaged bytes for the txt decoder: UTF-8 with stray bytes, cut sequences, legacy paragraphs,
/// and bytes that are no charset at all (the charset repair and detection paths).
let byteInputs: [(name: String, make: (Int) -> [UInt8])] = [
    (
        "stray-bytes",
        { n in
            var bytes = Array(repeated(n, sentence).utf8)
            for i in stride(from: 97, to: bytes.count, by: 101) where bytes[i] == 0x20 || bytes[i] < 0x80 { bytes[i] = 0x92 }
            return bytes
        }
    ),
    ("cut-sequences", { n in Array(repeated(n) { _ in "слово \u{0}" }.utf8).map { $0 == 0 ? 0xD0 : $0 } }),
    (
        "mixed-cp1251",
        { n in
            var bytes: [UInt8] = []
            var i = 0
            while bytes.count < n {
                let paragraph = (0..<8).map { sentence(i + $0) }.joined()
                bytes += i % 2 == 0 ? Array(paragraph.utf8) : cp1251(paragraph)
                bytes.append(0x0A)
                i += 8
            }
            return bytes
        }
    ),
    (
        "high-bytes",
        { n in
            var seed: UInt64 = 7
            return (0..<n).map { _ in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(0x80 + (seed >> 57))
            }
        }
    ),
]

struct MemberInput {
    var name: String
    var format: MemberFormat
    var make: (Int) -> String
}

let memberInputs: [MemberInput] = [
    MemberInput(name: "deep-div", format: .html, make: { n in nested(n, open: "<div>", middle: "Текст.", close: "</div>") }),
    MemberInput(name: "deep-span", format: .html, make: { n in nested(n, open: "<span>", middle: "Текст.", close: "</span>") }),
    MemberInput(name: "unclosed-tags", format: .html, make: { n in repeated(n) { _ in "<b>Текст " } }),
    MemberInput(
        name: "stray-closing-tags", format: .html,
        make: { n in
            String(repeating: "<div>", count: n / 20) + repeated(n / 2) { _ in "</span>" }
        }),
    MemberInput(
        name: "paragraphs", format: .html,
        make: { n in
            "<html><head><title>Новости</title></head><body><article><h1>Заголовок</h1>"
                + repeated(n) { i in "<p>" + sentence(i) + "</p>\n" } + "</article></body></html>"
        }),
    MemberInput(name: "entities", format: .html, make: { n in "<p>" + repeated(n) { _ in "&laquo;&amp;&#8212;&nbsp;" } }),
    MemberInput(name: "less-than", format: .html, make: { n in repeated(n) { _ in "a < b " } }),
    MemberInput(name: "huge-attribute", format: .html, make: { n in "<p class=\"" + repeated(n) { _ in "share " } + "\">Текст.</p>" }),
    MemberInput(name: "comments", format: .html, make: { n in repeated(n) { _ in "<!-- c -->Текст " } }),
    MemberInput(name: "open-scripts", format: .html, make: { n in "<p>Текст.</p>" + repeated(n) { _ in "<script>" } }),
    MemberInput(
        name: "rows", format: .jsonl,
        make: { n in
            repeated(n) { i in "{\"title\": \"Заголовок \(i)\", \"text\": \"\(sentence(i))\", \"date\": \"2024-03-13\"}\n" }
        }),
    MemberInput(
        name: "nested-arrays", format: .jsonl,
        make: { n in
            "{\"text\": \"Текст.\", \"meta\": " + nested(n, open: "[", middle: "1", close: "]") + "}\n"
        }),
    MemberInput(
        name: "nested-objects", format: .jsonl,
        make: { n in
            "{\"text\": \"Текст.\", \"meta\": " + nested(n, open: "{\"a\": ", middle: "1", close: "}") + "}\n"
        }),
    MemberInput(name: "escaped-text", format: .jsonl, make: { n in "{\"text\": \"" + repeated(n) { _ in "\\u0430\\n\\\"" } + "\"}\n" }),
    MemberInput(
        name: "array", format: .json, make: { n in "[" + repeated(n) { i in "{\"text\": \"\(sentence(i))\"}," } + "{\"text\": \"конец\"}]" }
    ),
    MemberInput(
        name: "rows", format: .csv,
        make: { n in
            "url,title,text,date\n" + repeated(n) { i in "https://example.ru/\(i),Заголовок \(i),\"\(sentence(i))\",2024-03-13\n" }
        }),
    MemberInput(
        name: "quoted-field", format: .csv, make: { n in "title,text\nЗаголовок,\"" + repeated(n) { _ in "а \"\"б\"\" " } + "\"\n" }),
    MemberInput(name: "multiline-field", format: .csv, make: { n in "title,text\nЗаголовок,\"" + repeated(n) { _ in "а\n" } + "\"\n" }),
    MemberInput(name: "unclosed-quote", format: .csv, make: { n in "title,text\nЗаголовок,\"" + repeated(n) { _ in "а, б " } }),
    MemberInput(name: "many-columns", format: .csv, make: { n in "title,text\n" + repeated(n) { _ in "а," } + "\n" }),
]

// MARK: Measuring

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Written over before every timed run, so that each run starts with its input out of the
/// caches, as one document of a stream does: a small input timed again and again would stay in
/// the CPU caches, a large one not, and the difference would read as growth.
nonisolated(unsafe) var cacheFlush = [UInt8](repeating: 0, count: 96 << 20)

func flushCaches() {
    cacheFlush.withUnsafeMutableBufferPointer { b in
        var i = 0
        while i < b.count {
            b[i] &+= 1
            i += 64
        }
    }
}

/// Median seconds of the runs of `body`, each timed alone after `flushCaches`: `reps` runs, at
/// least 5 and as many as fill 0.2 s for short runs (other load on the machine disturbs them
/// most), one for runs of 2 s or more. With `memory`, the first run also gives the peak memory
/// it took beyond what was resident before it.
func measure(reps: Int, memory: Bool, _ body: () -> Void) -> (seconds: Double, peakExtraBytes: Int?) {
    func timed() -> Double {
        flushCaches()
        let t0 = now()
        body()
        return Double(now() - t0) / 1e9
    }
    var once = 0.0
    flushCaches()  // outside the memory measurement: the first flush makes its buffer resident
    let peak = peakExtraBytes(enabled: memory) {
        let t0 = now()
        body()
        once = Double(now() - t0) / 1e9
    }
    if once >= 2 { return (once, peak) }
    let runs = once < 0.1 ? min(200, max(reps, 5, Int(0.2 / max(once, 1e-6)))) : reps
    var times = (0..<runs).map { _ in timed() }
    times.sort()
    return (times[times.count / 2], peak)
}

/// Peak resident memory while `body` runs, beyond the resident memory before it (Linux: the
/// high-water mark is reset through /proc/self/clear_refs); nil where that is not possible.
func peakExtraBytes(enabled: Bool, _ body: () -> Void) -> Int? {
    func status(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
    guard enabled else { body(); return nil }
    #if canImport(Glibc)
        // Freed memory that malloc keeps resident would hide what the stage allocates anew
        // (glibc's malloc_trim; not in the Glibc module, so looked up).
        if let trim = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
        }
    #endif
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs"),
        (try? handle.write(contentsOf: Data("5".utf8))) != nil, let before = status("VmRSS")
    else {
        body()
        return nil
    }
    try? handle.close()
    body()
    guard let peak = status("VmHWM") else { return nil }
    return max(0, peak - before)
}

struct Row {
    var target: String
    var input: String
    var seconds: [Double?]
    var memoryRatio: Double?
    /// Time growth per doubling of the input: 2 to the slope of log time over log size, fitted
    /// over all sizes (least squares), so one noisy measurement does not decide; nil when even
    /// the largest input takes less than the noise floor.
    var growth: Double?
    /// The largest ratio of one size's time to the one before.
    var worstStep: Double?
    var stopped = false

    mutating func judge(sizes: [Int], floor: Double) {
        let points = zip(sizes, seconds).compactMap { size, t in t.map { (log2(Double(size)), log2(max($0, 1e-9))) } }
        guard points.count >= 2, let largest = seconds.compactMap({ $0 }).max(), largest >= floor else { return }
        let mx = points.map(\.0).reduce(0, +) / Double(points.count)
        let my = points.map(\.1).reduce(0, +) / Double(points.count)
        let sxy = points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +)
        let sxx = points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        growth = pow(2, sxy / sxx)
        for k in 1..<seconds.count {
            guard let a = seconds[k - 1], let b = seconds[k] else { continue }
            worstStep = max(worstStep ?? 0, b / max(a, 1e-9))
        }
    }

    func fails(_ limit: Double) -> Bool { stopped || (growth ?? 0) > limit }
}

func formatSeconds(_ s: Double?) -> String {
    guard let s else { return "–" }
    if s >= 1 { return String(format: "%.2f s", s) }
    if s >= 0.001 { return String(format: "%.1f ms", s * 1e3) }
    return String(format: "%.0f µs", s * 1e6)
}

#if canImport(Glibc)
    // glibc serves large blocks with fresh mmap pages and gives freed heap back to the system, but
    // not below thresholds that adapt to what was freed: a 1 MB text reuses warm memory and an
    // 8 MB one page-faults all of it again, a step of 5x at one doubling on this VM that says
    // nothing about the algorithm. Heap only and never trimmed, every size runs on reused memory,
    // as the documents of a long run do. (mallopt: not in the Glibc module, so looked up.)
    if let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
        let mallopt = unsafeBitCast(f, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(-1, Int32.max)  // M_TRIM_THRESHOLD
        _ = mallopt(-4, 0)  // M_MMAP_MAX
    }
#endif

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let config: PipelineConfig
do {
    config = try PipelineConfig.load(path: options.pipeline)
} catch {
    FileHandle.standardError.write(Data("newsmill-stagebench: \(error)\n".utf8))
    exit(2)
}
let decoder = MemberDecoder(options: config.input)

func selected(_ target: String, _ input: String) -> Bool {
    options.filter.isEmpty || options.filter.contains { target.contains($0) || input.contains($0) }
}

var rows: [Row] = []
let sizes = options.sizes.map { Int($0 * 1_000_000) }

func report(_ row: Row) {
    let times = row.seconds.map(formatSeconds).joined(separator: " | ")
    let growth = row.stopped ? "stopped" : row.growth.map { String(format: "%.2f×", $0) } ?? "< floor"
    let worst = row.worstStep.map { String(format: "%.2f×", $0) } ?? "–"
    let memory = row.memoryRatio.map { String(format: "%.1f×", $0) } ?? "–"
    let mark = row.fails(options.maxGrowth) ? " **FAIL**" : ""
    out("| \(row.target) | \(row.input) | \(times) | \(growth)\(mark) | \(worst) | \(memory) |")

}

out(
    "| stage or decoder | input | " + options.sizes.map { "\($0.formatted()) MB" }.joined(separator: " | ")
        + " | growth per doubling | worst doubling | peak RSS / input |")
out("|---|---|" + String(repeating: "---:|", count: options.sizes.count + 3))

func origin(_ name: String) -> Origin { Origin(archive: nil, member: name) }

// Decoders: txt over every text input, the others over their own inputs.
var decoderCases: [(target: String, input: String, format: MemberFormat, make: (Int) -> [UInt8])] =
    textInputs.map { input in ("decode txt", input.name, .txt, { Array(input.make($0).utf8) }) }
decoderCases += byteInputs.map { ("decode txt", $0.name, .txt, $0.make) }
decoderCases += memberInputs.map { input in ("decode \(input.format.rawValue)", input.name, input.format, { Array(input.make($0).utf8) }) }
for c in decoderCases where selected(c.target, c.input) {
    var row = Row(target: c.target, input: c.input, seconds: [])
    for (k, size) in sizes.enumerated() {
        guard !row.stopped else { row.seconds.append(nil); continue }
        let item = SourceItem.member(RawMember(origin: origin("bench.\(c.format.rawValue)"), format: c.format, bytes: c.make(size)))
        let (t, peak) = measure(reps: options.reps, memory: options.memory && k == sizes.count - 1) { _ = decoder.decode(item) }
        row.seconds.append(t)
        row.memoryRatio = peak.map { Double($0) / Double(size) }
        if t > options.budgetSeconds { row.stopped = true }
    }
    row.judge(sizes: sizes, floor: options.floorSeconds)
    report(row)
    rows.append(row)
}

// Stages: each one timed on the document as the stages before it left it.
let stages = config.stages
for input in textInputs {
    let wanted = stages.indices.filter { selected(stages[$0].name, input.name) }
    guard let lastWanted = wanted.last else { continue }
    var stageRows = wanted.map { Row(target: stages[$0].name, input: input.name, seconds: []) }
    for (k, size) in sizes.enumerated() {
        var document = Document(origin: origin("bench.txt"), format: .txt, sourceBytes: size, encoding: "utf-8", text: input.make(size))
        for i in 0...lastWanted {
            let stage = stages[i]
            if let r = wanted.firstIndex(of: i) {
                let before = document
                func once() {
                    var d = before
                    var counts = StageCounts()
                    let sequencer = stage.makeSequencer()
                    if stage.process(&d, counts: &counts) == .keep, let sequencer { _ = sequencer.sequence(&d) }
                }
                if stageRows[r].stopped {
                    stageRows[r].seconds.append(nil)
                } else {
                    let (t, peak) = measure(reps: options.reps, memory: options.memory && k == sizes.count - 1, once)
                    stageRows[r].seconds.append(t)
                    stageRows[r].memoryRatio = peak.map { Double($0) / Double(size) }
                    if t > options.budgetSeconds { stageRows[r].stopped = true }
                }
            }
            // The stages after it see what this one did, as in a run.
            var counts = StageCounts()
            _ = stage.process(&document, counts: &counts)
        }
    }
    for var row in stageRows {
        row.judge(sizes: sizes, floor: options.floorSeconds)
        report(row)
        rows.append(row)
    }
}

let failed = rows.filter { $0.fails(options.maxGrowth) }
if failed.isEmpty {
    out("\nall \(rows.count) rows grow ≤ \(options.maxGrowth)× per doubling")
} else {
    out(
        "\n\(failed.count) of \(rows.count) rows grow more than \(options.maxGrowth)× per doubling: "
            + failed.map { "\($0.target)/\($0.input)" }.joined(separator: ", "))
    exit(1)
}
