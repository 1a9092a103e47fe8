import ArchiveIO
import Foundation

/// The slovnet news NER model (word + shape embeddings, a stack of 1-d convolutions with ReLU and
/// batch norm, a linear projection to BIO tags, CRF transitions), read from the files the natasha
/// wheel ships and laid out for `EntityTagger`:
/// - the first convolution is split into a word part, applied to each distinct word's navec
///   vector, and a shape part, precomputed for every shape;
/// - later convolutions are packed matrices whose rows are the flattened kernel window, so a
///   window of consecutive token rows is one contiguous row of the multiplication.
public final class NERModel: Sendable {
    public struct Failure: Error, Sendable {
        public var message: String

        public init(message: String) {
            self.message = message
        }
    }

    /// One convolution (kernel 2·padding+1, "same" length) followed by ReLU and batch norm,
    /// the norm folded to a scale and a shift per channel.
    struct ConvBlock: Sendable {
        let inputs: Int
        let outputs: Int
        let padding: Int
        let window: PackedMatrix
        let bias: [Float]
        let scale: [Float]
        let shift: [Float]
    }

    public static let navecFile = "navec_news_v1_1B_250K_300d_100q.tar"
    public static let nerFile = "slovnet_ner_news_v1.tar"

    let words: WordVocabulary
    let unknownWord: Int32
    let shapes: [String: Int32]
    let tags: [String]
    let tagParts: [TagPart]

    /// navec's product quantization: per word one centroid index per subvector.
    let subvectors: Int
    let subvectorWidth: Int
    let centroids: Int
    let codes: [Float]
    let indexes: [UInt8]
    var wordDimension: Int { subvectors * subvectorWidth }

    /// First convolution: word part as a packed (word dim × kernel·outputs) matrix; shape part as
    /// a table of kernel·outputs values per shape.
    let first: ConvBlock
    let firstShapeTable: [Float]
    let kernel: Int
    let rest: [ConvBlock]
    let projection: PackedMatrix
    let projectionBias: [Float]
    let transitions: [Float]

    /// Loads both packs from `directory`; the error says which file is missing or malformed.
    public convenience init(directory: String) throws(Failure) {
        let navec = (directory as NSString).appendingPathComponent(Self.navecFile)
        let ner = (directory as NSString).appendingPathComponent(Self.nerFile)
        for path in [navec, ner] where !FileManager.default.fileExists(atPath: path) {
            throw Failure(message: "model file \(path) is missing")
        }
        try self.init(navecPack: navec, nerPack: ner)
    }

    init(navecPack: String, nerPack: String) throws(Failure) {
        let navecFiles: [String: [UInt8]]
        let nerFiles: [String: [UInt8]]
        do {
            navecFiles = try PackedFiles.members(of: navecPack)
            nerFiles = try PackedFiles.members(of: nerPack)
        } catch {
            throw Failure(message: error.message)
        }
        func member(_ files: [String: [UInt8]], _ name: String, _ pack: String) throws(Failure) -> [UInt8] {
            guard let bytes = files[name] else { throw Failure(message: "\(pack) has no \(name)") }
            return bytes
        }
        func vocabulary(_ name: String) throws(Failure) -> [UInt8] {
            do {
                return try PackedFiles.gunzip(try member(nerFiles, "vocabs/\(name).gz", nerPack), name: "\(nerPack): vocabs/\(name).gz")
            } catch let failure as PackedFiles.Failure {
                throw Failure(message: failure.message)
            } catch {
                throw error as! Failure
            }
        }

        let spec: [String: Any]
        do {
            let json = try member(nerFiles, "model.json", nerPack)
            guard let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
                throw Failure(message: "\(nerPack): model.json is not an object")
            }
            spec = object
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(message: "\(nerPack): model.json: \(error.localizedDescription)")
        }
        let reader = WeightReader(files: nerFiles, pack: nerPack)

        // Vocabularies.
        words = WordVocabulary(lines: try vocabulary("word"))
        guard let unknown = words.id(of: "<unk>") else { throw Failure(message: "\(nerPack): word vocabulary has no <unk>") }
        unknownWord = unknown
        let shapeLines = String(decoding: try vocabulary("shape"), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        shapes = Dictionary(shapeLines.enumerated().map { (String($0.element), Int32($0.offset)) }, uniquingKeysWith: { a, _ in a })
        tags = String(decoding: try vocabulary("tag"), as: UTF8.self).split(separator: "\n").map(String.init)
        tagParts = tags.map(TagPart.init)

        // navec: header (vectors, dim, qdim, centroids as uint32), indexes, codes.
        let pq = try member(navecFiles, "pq.bin", navecPack)
        guard pq.count >= 16 else { throw Failure(message: "\(navecPack): pq.bin is truncated") }
        let header: [Int] = (0..<4).map { i in
            pq[i * 4..<i * 4 + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        let (vectors, dimension, qdim, centroidCount) = (header[0], header[1], header[2], header[3])
        guard qdim > 0, dimension % qdim == 0, pq.count == 16 + vectors * qdim + dimension * centroidCount * 4 else {
            throw Failure(message: "\(navecPack): pq.bin has \(pq.count) bytes, not what its header (\(header)) says")
        }
        guard vectors == words.count else {
            throw Failure(
                message: "navec has \(vectors) vectors but the NER vocabulary \(words.count) words: the files do not belong together")
        }
        subvectors = qdim
        subvectorWidth = dimension / qdim
        centroids = centroidCount
        indexes = Array(pq[16..<16 + vectors * qdim])
        codes = WeightReader.floats(pq[(16 + vectors * qdim)...])

        // Embedding of shapes, convolutions, head.
        let emb = spec["emb"] as? [String: Any]
        let shapeEmbedding = try reader.weight(emb, "shape", "weight")
        guard shapeEmbedding.shape.count == 2, shapeEmbedding.shape[0] == shapes.count else {
            throw Failure(message: "\(nerPack): shape embedding \(shapeEmbedding.shape) does not match \(shapes.count) shapes")
        }
        let shapeDimension = shapeEmbedding.shape[1]
        guard let layers = (spec["encoder"] as? [String: Any])?["layers"] as? [[String: Any]], !layers.isEmpty else {
            throw Failure(message: "\(nerPack): model.json has no encoder layers")
        }
        var blocks: [ConvBlock] = []
        var firstWeights = WeightReader.Weight(shape: [], values: [])
        for (index, layer) in layers.enumerated() {
            let conv = try reader.weight(layer, "conv", "weight")
            guard conv.shape.count == 3 else { throw Failure(message: "\(nerPack): layer \(index) conv weight \(conv.shape)") }
            let (outputs, inputs, kernel) = (conv.shape[0], conv.shape[1], conv.shape[2])
            let padding = (layer["conv"] as? [String: Any])?["padding"] as? Int ?? -1
            guard kernel == 2 * padding + 1 else {
                throw Failure(
                    message:
                        "\(nerPack): layer \(index) has kernel \(kernel) with padding \(padding); only same-length convolutions are supported"
                )
            }
            let bias = try reader.weight(layer, "conv", "bias").values
            let norm = try ["weight", "bias", "mean", "std"].map { key throws(Failure) in try reader.weight(layer, "norm", key).values }
            let scale = (0..<outputs).map { norm[0][$0] / norm[3][$0] }
            let shift = (0..<outputs).map { norm[1][$0] - norm[2][$0] * norm[0][$0] / norm[3][$0] }
            let w = conv.values
            if index == 0 {
                guard inputs == dimension + shapeDimension else {
                    throw Failure(
                        message: "\(nerPack): first layer takes \(inputs) inputs, not word \(dimension) + shape \(shapeDimension)")
                }
                firstWeights = conv
                // Row i of the word part: column k·outputs + f holds W[f][i][k].
                let window = PackedMatrix(rows: dimension, columns: kernel * outputs) { i, column in
                    w[((column % outputs) * inputs + i) * kernel + column / outputs]
                }
                blocks.append(
                    ConvBlock(inputs: inputs, outputs: outputs, padding: padding, window: window, bias: bias, scale: scale, shift: shift))
            } else {
                guard inputs == blocks[index - 1].outputs else {
                    throw Failure(message: "\(nerPack): layer \(index) takes \(inputs) inputs after \(blocks[index - 1].outputs) outputs")
                }
                // Row k·inputs + i: the i-th channel of the k-th token of the window.
                let window = PackedMatrix(rows: kernel * inputs, columns: outputs) { row, f in
                    w[(f * inputs + row % inputs) * kernel + row / inputs]
                }
                blocks.append(
                    ConvBlock(inputs: inputs, outputs: outputs, padding: padding, window: window, bias: bias, scale: scale, shift: shift))
            }
        }
        first = blocks[0]
        kernel = 2 * first.padding + 1
        rest = Array(blocks.dropFirst())

        // Shape part of the first layer, per shape: Σ_i W[f][dim + i][k] · shape[s][i].
        let (outputs, inputs) = (first.outputs, first.inputs)
        var table = [Float](repeating: 0, count: shapes.count * kernel * outputs)
        for s in 0..<shapes.count {
            for k in 0..<kernel {
                for f in 0..<outputs {
                    var sum: Float = 0
                    for i in 0..<shapeDimension {
                        sum +=
                            firstWeights.values[(f * inputs + dimension + i) * kernel + k] * shapeEmbedding.values[s * shapeDimension + i]
                    }
                    table[(s * kernel + k) * outputs + f] = sum
                }
            }
        }
        firstShapeTable = table

        let head = spec["head"] as? [String: Any]
        let proj = try reader.weight(head, "proj", "weight")
        guard proj.shape.count == 2, proj.shape[0] == blocks.last!.outputs, proj.shape[1] == tags.count else {
            throw Failure(
                message: "\(nerPack): projection \(proj.shape) does not map \(blocks.last!.outputs) features to \(tags.count) tags")
        }
        let tagCount = tags.count
        projection = PackedMatrix(rows: proj.shape[0], columns: tagCount) { i, t in proj.values[i * tagCount + t] }
        projectionBias = try reader.weight(head, "proj", "bias").values
        transitions = try reader.weight(head, "crf", "transitions").values
        guard transitions.count == tagCount * tagCount else {
            throw Failure(message: "\(nerPack): CRF transitions are not \(tagCount)×\(tagCount)")
        }
    }

    /// The arrays of a slovnet pack: model.json names each weight's shape, dtype and file.
    struct WeightReader {
        struct Weight {
            var shape: [Int]
            var values: [Float]
        }

        let files: [String: [UInt8]]
        let pack: String

        func weight(_ parent: [String: Any]?, _ module: String, _ key: String) throws(Failure) -> Weight {
            guard let spec = (parent?[module] as? [String: Any])?[key] as? [String: Any],
                let shape = spec["shape"] as? [Int], let id = spec["array"] as? Int
            else {
                throw Failure(message: "\(pack): model.json has no \(module).\(key) array")
            }
            guard (spec["dtype"] as? String) == "float32" else {
                throw Failure(message: "\(pack): \(module).\(key) is \(spec["dtype"] ?? "?"), not float32")
            }
            guard let bytes = files["arrays/\(id).bin"] else { throw Failure(message: "\(pack) has no arrays/\(id).bin") }
            let count = shape.reduce(1, *)
            guard bytes.count == count * 4 else {
                throw Failure(message: "\(pack): arrays/\(id).bin has \(bytes.count) bytes for shape \(shape)")
            }
            return Weight(shape: shape, values: Self.floats(bytes[...]))
        }

        /// Little-endian float32s, as numpy's tobytes writes them on every platform slovnet ran on.
        static func floats(_ bytes: ArraySlice<UInt8>) -> [Float] {
            [Float](unsafeUninitializedCapacity: bytes.count / 4) { buffer, count in
                bytes.withUnsafeBytes { raw in
                    for i in 0..<bytes.count / 4 {
                        buffer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    }
                }
                count = bytes.count / 4
            }
        }
    }
}
