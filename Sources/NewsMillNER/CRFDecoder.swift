/// The most likely tag sequence under a linear-chain CRF (Viterbi), for tag scores per token
/// and transition scores `transitions[from · tagCount + to]`.
enum CRFDecoder {
    static func decode(_ scores: [Float], tagCount: Int, transitions: [Float]) -> [Int] {
        let count = scores.count / tagCount
        guard count > 0 else { return [] }
        var best = Array(scores[0..<tagCount])
        var next = [Float](repeating: 0, count: tagCount)
        var history = [UInt8](repeating: 0, count: count * tagCount)
        for t in 1..<count {
            for to in 0..<tagCount {
                // Summed in slovnet's order, (score + transition) + emission, so near ties break
                // the same way; the first maximum wins, as numpy's argmax.
                let emission = scores[t * tagCount + to]
                var top = (best[0] + transitions[to]) + emission
                var from = 0
                for candidate in 1..<tagCount {
                    let value = (best[candidate] + transitions[candidate * tagCount + to]) + emission
                    if value > top {
                        top = value
                        from = candidate
                    }
                }
                next[to] = top
                history[t * tagCount + to] = UInt8(from)
            }
            swap(&best, &next)
        }
        var tag = 0
        for candidate in 1..<tagCount where best[candidate] > best[tag] { tag = candidate }
        var tags = [Int](repeating: 0, count: count)
        tags[count - 1] = tag
        var t = count - 1
        while t > 0 {
            tag = Int(history[t * tagCount + tag])
            t -= 1
            tags[t] = tag
        }
        return tags
    }
}
