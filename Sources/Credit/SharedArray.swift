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
