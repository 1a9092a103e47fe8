import Foundation

/// Compresses frames on threads of its own and hands them back in the order they were sent.
/// On the writer's thread, compression would add its whole CPU time to the run's wall time
/// (on the foundation pipeline, zstd -3: +80%; gzip -6: ten times as long); here it runs
/// beside the workers. Frames are independent, so which thread makes one never shows in its bytes.
final class FrameCompressor {
    private let work = BlockingQueue<(sequence: Int, input: [UInt8])>()
    private let done = ReorderBuffer<Result<[UInt8], RunFailure>>()
    private let capacity: Int
    private var sent = 0
    private var received = 0

    var inFlight: Int { sent - received }

    init(compression: PartCompression, threads: Int) {
        // Two frames per thread keep every thread busy while the writer takes the oldest one back.
        capacity = 2 * threads
        for _ in 0..<threads {
            Thread.detachNewThread { [work, done] in
                // Each thread owns its encoder: a compression context serves one thread at a time.
                let encoder = Result { () throws(RunFailure) in try compression.makeEncoder()! }
                while let job = work.pop() {
                    done.put(job.sequence, encoder.flatMap { encoder in Result { () throws(RunFailure) in try encoder.encode(job.input) } })
                }
            }
        }
    }

    deinit {
        // Lets the threads end once the frames sent so far are done, even when nobody takes them.
        work.close()
    }

    /// Whether the caller should take a frame back before sending another: bounds the memory held
    /// by frames in flight.
    var isFull: Bool { inFlight >= capacity }

    func send(_ input: [UInt8]) {
        work.push((sent, input))
        sent += 1
    }

    /// The oldest frame sent and not yet taken, compressed; waits for it.
    func next() throws(RunFailure) -> [UInt8] {
        precondition(inFlight > 0, "no frame in flight")
        let result = done.take(received)!
        received += 1
        return try result.get()
    }
}
