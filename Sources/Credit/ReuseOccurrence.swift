/// Where a fingerprint occurs: a submission (its index in recording order), one of its
/// readable files (index among them) and the k-gram's position in that file.
struct ReuseOccurrence: Sendable, Hashable {
    let submission: Int
    let file: Int
    let position: Int
}
