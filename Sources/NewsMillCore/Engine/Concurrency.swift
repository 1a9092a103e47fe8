import Foundation
import Synchronization

/// Bytes read so far, shared between the reader and the progress display.
public final class ProgressCounter: Sendable {
    private let readBytes = Atomic<Int64>(0)
    private let documentCount = Atomic<Int>(0)

    public init() {}

    public var bytes: Int64 { readBytes.load(ordering: .relaxed) }
    public var documents: Int { documentCount.load(ordering: .relaxed) }

    public func setBytes(_ value: Int64) {
        readBytes.store(value, ordering: .relaxed)
    }

    func addDocuments(_ count: Int) {
        documentCount.add(count, ordering: .relaxed)
    }
}

/// A blocking FIFO between threads; `pop` returns nil once the queue is closed and drained.
final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Taken slots are set to nil at once, so a consumed batch is freed when it is taken.
    private var items: [Element?] = []
    private var head = 0
    private var closed = false

    func push(_ item: Element) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head >= 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}

/// Results arrive from workers in any order; the writer takes them back in sequence order.
final class ReorderBuffer<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Element] = [:]
    private var total: Int?

    func put(_ sequence: Int, _ element: Element) {
        condition.lock()
        ready[sequence] = element
        condition.broadcast()
        condition.unlock()
    }

    /// No sequence number at or above `count` will arrive.
    func finish(count: Int) {
        condition.lock()
        total = count
        condition.broadcast()
        condition.unlock()
    }

    func take(_ sequence: Int) -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while ready[sequence] == nil {
            if let total, sequence >= total { return nil }
            condition.wait()
        }
        return ready.removeValue(forKey: sequence)
    }
}
