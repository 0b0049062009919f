import Dispatch
import Foundation
import Synchronization

/// Splits independent work over the machine's cores (internal).
enum ParallelWork {
    /// Number of worker threads to use: the active processor count.
    static var workerCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `body` on consecutive sub-ranges of `0..<count`, in parallel when there is more
    /// than one range. Rethrows the error of the lowest failing range, so failures are
    /// deterministic.
    static func forEachRange(
        count: Int, minimumRangeSize: Int = 1, _ body: @Sendable (Range<Int>) throws -> Void
    ) throws {
        guard count > 0 else { return }
        let maximumRanges = workerCount == 1 ? 1 : workerCount * 4
        let rangeCount = max(1, min(maximumRanges, count / max(1, minimumRangeSize)))
        if rangeCount == 1 {
            try body(0..<count)
            return
        }
        let failures = Mutex<[Int: any Error]>([:])
        DispatchQueue.concurrentPerform(iterations: rangeCount) { rangeIndex in
            let lower = count * rangeIndex / rangeCount
            let upper = count * (rangeIndex + 1) / rangeCount
            do {
                try body(lower..<upper)
            } catch {
                failures.withLock { $0[rangeIndex] = error }
            }
        }
        let firstFailure = failures.withLock { failed in
            failed.keys.min().flatMap { failed[$0] }
        }
        if let firstFailure { throw firstFailure }
    }

    /// Computes `transform(index)` for every index of `0..<count`, in parallel.
    static func map<Value: Sendable>(
        count: Int, minimumRangeSize: Int = 1, placeholder: Value,
        _ transform: @Sendable (Int) throws -> Value
    ) throws -> [Value] {
        let results = SharedArray(repeating: placeholder, count: count)
        try forEachRange(count: count, minimumRangeSize: minimumRangeSize) { range in
            for index in range { results[index] = try transform(index) }
        }
        return results.values
    }
}

/// A fixed-size array that parallel workers write to at disjoint indices (internal).
///
/// Each index must be written by at most one worker at a time and read only after the
/// parallel section has finished; ``ParallelWork`` guarantees both for its ranges.
final class SharedArray<Element>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Element>

    /// Creates an array of `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        storage = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
        storage.initialize(repeating: value)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    /// The element at `index`.
    subscript(index: Int) -> Element {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// The elements, copied into an array.
    var values: [Element] { Array(storage) }
}

/// A pointer that parallel workers write through at disjoint positions (internal).
///
/// The memory must outlive the parallel section; each position must be written by one
/// worker only and read after the section has finished (``ParallelWork`` ranges are disjoint).
struct SharedPointer<Element>: @unchecked Sendable {
    /// The shared memory.
    let pointer: UnsafeMutablePointer<Element>

    /// Wraps `pointer`.
    init(_ pointer: UnsafeMutablePointer<Element>) {
        self.pointer = pointer
    }
}
