/// The fingerprints of the submissions examined so far, by hash; each hash's occurrences are
/// in recording order, so the first one is the earliest submission that has it.
struct ReuseIndex: Sendable {
    private var table: [UInt64: [ReuseOccurrence]] = [:]

    /// The occurrences of `hash`, earliest submission first.
    func occurrences(of hash: UInt64) -> [ReuseOccurrence] {
        table[hash] ?? []
    }

    /// Adds the fingerprints of a submission's documents, except those in `ignored` (the
    /// starting kit's k-grams). Submissions must be added in recording order.
    mutating func add(_ documents: [ReuseDocument], submission: Int, ignoring ignored: Set<UInt64>) {
        for (file, document) in documents.enumerated() {
            for fingerprint in document.fingerprints where !ignored.contains(fingerprint.hash) {
                table[fingerprint.hash, default: []].append(
                    ReuseOccurrence(submission: submission, file: file, position: fingerprint.position))
            }
        }
    }
}
