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
