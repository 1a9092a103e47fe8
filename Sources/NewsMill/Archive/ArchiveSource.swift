/// The files of an input plan, archives descended, as a source: the reader walks them on the
/// engine's reader thread, the member decoder turns each item into documents on its workers.
public struct ArchiveSource: DocumentSource {
    public let plan: InputPlan
    public let options: InputOptions
    private let decoder: MemberDecoder

    public init(plan: InputPlan, options: InputOptions) {
        self.plan = plan
        self.options = options
        decoder = MemberDecoder(options: options)
    }

    public var totalBytes: Int64 { plan.totalBytes }

    public func read(progress: ProgressCounter, emit: (SourceItem) -> Void) -> ReadStats {
        for problem in plan.problems { emit(.reject(problem)) }
        // The reader keeps its emit callback, but never past this call.
        return withoutActuallyEscaping(emit) { emit in
            let reader = SourceReader(options: options, progress: progress, emit: emit)
            reader.read(plan)
            return reader.stats
        }
    }

    public func decode(_ item: SourceItem) -> [Outcome] {
        decoder.decode(item)
    }

    public func approximateBytes(of item: SourceItem) -> Int {
        item.approximateBytes
    }
}
