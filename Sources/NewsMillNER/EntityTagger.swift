/// Finds named entities with `NERModel`: razdel tokens → word and shape ids → convolutional
/// encoder → tag scores → CRF (Viterbi) → BIO spans. Pure function of the text, so any thread
/// may run it and the result never depends on which one did (nor on what its word cache held).
public struct EntityTagger: Sendable {
    /// Rows of the first layer's word part kept per worker (`WordProjectionCache`): 48 MB each for
    /// the news model. On the 30k-document benchmark 8,192 rows reuse 68% of the rows a text needs,
    /// 16,384 84%, 32,768 99% for another 46 MB a worker (docs/performance.md).
    public static let defaultCachedWords = 16_384

    let model: NERModel
    /// Tokens encoded at once; longer texts go in windows that overlap by the encoder's reach, so
    /// memory stays bounded and every token's scores are exactly what one pass would give.
    let window: Int
    let caches: WordProjectionCaches

    /// `cachedWords` bounds each worker's cache of first-layer word rows (0: none).
    public init(model: NERModel, window: Int = 2048, cachedWords: Int = defaultCachedWords) {
        self.model = model
        self.window = window
        caches = WordProjectionCaches(
            vocabularySize: model.words.count, width: model.kernel * model.first.outputs, capacity: cachedWords)
    }

    public func entities(in text: String) -> [EntityMention] {
        var usage = WordProjectionUsage()
        return entities(in: text, usage: &usage)
    }

    /// The same, adding to `usage` how many first-layer word rows came from the cache.
    public func entities(in text: String, usage: inout WordProjectionUsage) -> [EntityMention] {
        let scalars = Array(text.unicodeScalars)
        let tokens = WordTokenizer.tokenize(scalars)
        guard !tokens.isEmpty else { return [] }
        let (words, shapes) = encode(tokens, scalars)
        let tagCount = model.tags.count
        var scores = [Float](repeating: 0, count: tokens.count * tagCount)
        let reach = model.first.padding + model.rest.reduce(0) { $0 + $1.padding }
        let cache = caches.borrow()
        defer { caches.giveBack(cache) }
        var trace: [[Float]]? = nil
        var start = 0
        while start < tokens.count {
            let end = min(tokens.count, start + window)
            let lower = max(0, start - reach), upper = min(tokens.count, end + reach)
            let chunk = emissions(words[lower..<upper], shapes[lower..<upper], cache: cache, usage: &usage, trace: &trace)
            scores.replaceSubrange(
                (start * tagCount)..<(end * tagCount),
                with: chunk[((start - lower) * tagCount)..<((end - lower) * tagCount)])
            start = end
        }
        let tags = CRFDecoder.decode(scores, tagCount: tagCount, transitions: model.transitions)
        return OrganisationComplements.join(spans(tags, tokens, scalars), scalars)
    }

    /// Word ids (lower-cased lookup, unknown words share one id) and shape ids per token.
    func encode(_ tokens: [WordTokenizer.Token], _ scalars: [Unicode.Scalar]) -> (words: [Int32], shapes: [Int32]) {
        var words = [Int32](repeating: model.unknownWord, count: tokens.count)
        var shapes = [Int32](repeating: 0, count: tokens.count)
        var lowered: [UInt8] = []
        lowered.reserveCapacity(64)
        for (index, token) in tokens.enumerated() {
            let slice = scalars[token.start..<token.end]
            shapes[index] = model.shapes[WordShape.of(slice)] ?? 0
            lowered.removeAll(keepingCapacity: true)
            if !Self.lowercaseFast(slice, into: &lowered) {
                lowered.removeAll(keepingCapacity: true)
                lowered.append(contentsOf: String(String.UnicodeScalarView(slice)).lowercased().utf8)
            }
            words[index] = lowered.withUnsafeBufferPointer { model.words.id(of: $0) } ?? model.unknownWord
        }
        return (words, shapes)
    }

    /// Lower-cases ASCII and basic Cyrillic as UTF-8; false when the token holds anything else,
    /// which then goes through the full Unicode mapping.
    @inline(__always)
    static func lowercaseFast(_ token: ArraySlice<Unicode.Scalar>, into out: inout [UInt8]) -> Bool {
        for scalar in token {
            var v = scalar.value
            if v < 0x80 {
                if v >= 0x41 && v <= 0x5A { v += 0x20 }
                out.append(UInt8(v))
            } else if v >= 0x400 && v <= 0x45F {
                if v <= 0x40F { v += 0x50 } else if v <= 0x42F { v += 0x20 }
                out.append(UInt8(0xC0 | (v >> 6)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                return false
            }
        }
        return true
    }

    /// Tag scores for a run of tokens, zero-padded at both ends (token × tag, row-major); a
    /// non-nil `trace` collects every layer's output (token × channel, no padding rows), for tests
    /// against the reference implementation.
    func emissions(_ words: ArraySlice<Int32>, _ shapes: ArraySlice<Int32>, trace: inout [[Float]]?) -> [Float] {
        let cache = caches.borrow()
        defer { caches.giveBack(cache) }
        var usage = WordProjectionUsage()
        return emissions(words, shapes, cache: cache, usage: &usage, trace: &trace)
    }

    func emissions(
        _ words: ArraySlice<Int32>, _ shapes: ArraySlice<Int32>, cache: WordProjectionCache, usage: inout WordProjectionUsage,
        trace: inout [[Float]]?
    ) -> [Float] {
        let n = words.count
        let first = model.first
        let outputs = first.outputs
        let kernel = model.kernel
        let wide = kernel * outputs

        // First layer, word part: the cached rows, and each distinct word the cache lacks once.
        var sources: [Int32] = []
        sources.reserveCapacity(n)
        var misses: [Int32] = []
        cache.lookUp(words, sources: &sources, misses: &misses, usage: &usage)
        let dimension = model.wordDimension
        var vectors = [Float](repeating: 0, count: misses.count * dimension)
        let width = model.subvectorWidth
        model.codes.withUnsafeBufferPointer { codes in
            model.indexes.withUnsafeBufferPointer { indexes in
                for (u, word) in misses.enumerated() {
                    let row = Int(word) * model.subvectors
                    for q in 0..<model.subvectors {
                        let code = (q * model.centroids + Int(indexes[row + q])) * width
                        for j in 0..<width { vectors[u * dimension + q * width + j] = codes[code + j] }
                    }
                }
            }
        }
        var projected = [Float](repeating: 0, count: misses.count * wide)
        if !misses.isEmpty {
            vectors.withUnsafeBufferPointer { a in
                projected.withUnsafeMutableBufferPointer { c in
                    MatrixMultiply.multiply(
                        a.baseAddress!, lda: dimension, rows: misses.count, first.window, into: c.baseAddress!, ldc: wide)
                }
            }
        }

        // First layer output, laid out with the zero rows the next convolution pads with.
        var padding = model.rest.first?.padding ?? 0
        var channels = outputs
        var hidden = [Float](repeating: 0, count: (n + 2 * padding) * channels)
        let vectorized = outputs % 16 == 0
        projected.withUnsafeBufferPointer { p in
            model.firstShapeTable.withUnsafeBufferPointer { shapeTable in
                hidden.withUnsafeMutableBufferPointer { h in
                    var sum = [Float](repeating: 0, count: outputs)
                    sum.withUnsafeMutableBufferPointer { sum in
                        for t in 0..<n {
                            for f in 0..<outputs { sum[f] = first.bias[f] }
                            for k in 0..<kernel {
                                let position = t + k - first.padding
                                guard position >= 0 && position < n else { continue }
                                let word = cache.row(sources[position], missRows: p.baseAddress) + k * outputs
                                let shape = shapeTable.baseAddress! + (Int(shapes[shapes.startIndex + position]) * kernel + k) * outputs
                                if vectorized {
                                    Self.accumulate(sum.baseAddress!, word, shape, count: outputs)
                                } else {
                                    for f in 0..<outputs { sum[f] += word[f] + shape[f] }
                                }
                            }
                            let out = (t + padding) * channels
                            for f in 0..<outputs { h[out + f] = max(sum[f], 0) * first.scale[f] + first.shift[f] }
                        }
                    }
                }
            }
        }

        projected.withUnsafeBufferPointer { cache.store(misses, missRows: $0.baseAddress) }

        trace?.append(Array(hidden[(padding * channels)..<((n + padding) * channels)]))
        for (index, block) in model.rest.enumerated() {
            let nextPadding = index + 1 < model.rest.count ? model.rest[index + 1].padding : 0
            var next = [Float](repeating: 0, count: (n + 2 * nextPadding) * block.outputs)
            hidden.withUnsafeBufferPointer { a in
                next.withUnsafeMutableBufferPointer { c in
                    let out = c.baseAddress! + nextPadding * block.outputs
                    MatrixMultiply.multiply(a.baseAddress!, lda: channels, rows: n, block.window, into: out, ldc: block.outputs)
                    for t in 0..<n {
                        let row = out + t * block.outputs
                        for f in 0..<block.outputs {
                            row[f] = max(row[f] + block.bias[f], 0) * block.scale[f] + block.shift[f]
                        }
                    }
                }
            }
            hidden = next
            channels = block.outputs
            padding = nextPadding
            trace?.append(Array(hidden[(padding * channels)..<((n + padding) * channels)]))
        }

        let tagCount = model.tags.count
        var scores = [Float](repeating: 0, count: n * tagCount)
        hidden.withUnsafeBufferPointer { a in
            scores.withUnsafeMutableBufferPointer { c in
                MatrixMultiply.multiply(a.baseAddress!, lda: channels, rows: n, model.projection, into: c.baseAddress!, ldc: tagCount)
            }
        }
        for t in 0..<n {
            for j in 0..<tagCount { scores[t * tagCount + j] += model.projectionBias[j] }
        }
        return scores
    }

    /// sum += a + b over `count` floats, 16 at a time.
    @inline(__always)
    static func accumulate(_ sum: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        let s = UnsafeMutableRawPointer(sum), x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        var offset = 0
        while offset < count * 4 {
            let v =
                s.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                + (x.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                    + y.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
            s.storeBytes(of: v, toByteOffset: offset, as: SIMD16<Float>.self)
            offset += 64
        }
    }

    /// BIO tags to spans: B opens a span, I extends the open one (whatever type it names), O
    /// closes it; an I with no open span is dropped.
    func spans(_ tags: [Int], _ tokens: [WordTokenizer.Token], _ scalars: [Unicode.Scalar]) -> [EntityMention] {
        var result: [EntityMention] = []
        var open: (type: EntityType, start: Int, end: Int)?
        func close() {
            if let span = open {
                result.append(
                    EntityMention(
                        type: span.type, text: String(String.UnicodeScalarView(scalars[span.start..<span.end])),
                        start: span.start, end: span.end))
            }
            open = nil
        }
        for (token, tag) in zip(tokens, tags) {
            switch model.tagParts[tag] {
            case .outside:
                close()
            case .begin(let type):
                close()
                open = (type, token.start, token.end)
            case .inside:
                open?.end = token.end
            case .other:
                break
            }
        }
        close()
        return result
    }
}

enum TagPart: Sendable, Equatable {
    case outside
    case begin(EntityType)
    case inside
    /// A tag that is neither (the vocabulary's padding tag): leaves the open span as it is.
    case other

    init(_ tag: String) {
        if tag == "O" {
            self = .outside
        } else if tag.hasPrefix("B-"), let type = EntityType(rawValue: String(tag.dropFirst(2))) {
            self = .begin(type)
        } else if tag.hasPrefix("I-") {
            self = .inside
        } else {
            self = .other
        }
    }
}
