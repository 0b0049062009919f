/// A fingerprint shared by an earlier and a later file: the positions of its k-gram in each.
struct ReuseSeed: Sendable, Hashable, Comparable {
    let earlier: Int
    let later: Int

    /// Later position first, then earlier: the order in which seeds are chained.
    static func < (left: ReuseSeed, right: ReuseSeed) -> Bool {
        (left.later, left.earlier) < (right.later, right.earlier)
    }
}
