/// A file of an earlier submission and a file of the later submission being examined, between
/// which seeds are collected.
struct ReuseFilePair: Sendable, Hashable, Comparable {
    /// The earlier submission's index in recording order.
    let source: Int
    /// The earlier file's index among the source's readable files.
    let earlierFile: Int
    /// The later file's index among the later submission's readable files.
    let laterFile: Int

    static func < (left: ReuseFilePair, right: ReuseFilePair) -> Bool {
        (left.laterFile, left.source, left.earlierFile) < (right.laterFile, right.source, right.earlierFile)
    }
}
