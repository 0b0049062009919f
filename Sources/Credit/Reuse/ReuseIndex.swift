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

/// A source file read for reuse detection: its normalised tokens, the hash of every k-gram,
/// the fingerprints winnowing selects among them, and which tokens are the starting kit's.
struct ReuseDocument: Sendable {
    let path: String
    let tokens: [SourceTokenizer.Token]
    /// Element i hashes tokens i ..< i + k.
    let hashes: [UInt64]
    let fingerprints: [WinnowingFingerprint]
    /// Element i tells whether token i lies in a k-gram that the starting kit also has.
    let fromKit: [Bool]
    /// The number of tokens starting on each line that has any.
    let tokensPerLine: [Int: Int]

    /// Reads the code of `file` (``SourceTokenizer/codeByLine(in:path:spelled:)``: lines of
    /// literals only left out), or returns `nil` when it holds none.
    /// - Parameter kit: The hashes of the starting kit's k-grams (empty to read the kit itself).
    init?(file: SourceFile, parameters: WinnowingParameters, kit: Set<UInt64> = []) {
        guard let lines = SourceTokenizer.codeByLine(in: file.text, path: file.path, spelled: false) else { return nil }
        let tokens = lines.flatMap { $0 }
        guard !tokens.isEmpty else { return nil }
        path = file.path
        self.tokens = tokens
        hashes = Winnowing.kGramHashes(of: tokens, kGramLength: parameters.kGramLength)
        fingerprints = Winnowing.fingerprints(of: tokens, hashes: hashes, parameters: parameters)
        var fromKit = [Bool](repeating: false, count: tokens.count)
        var coveredUntil = 0
        for (position, hash) in hashes.enumerated() where kit.contains(hash) {
            let end = position + max(1, parameters.kGramLength)
            for token in max(position, coveredUntil)..<end { fromKit[token] = true }
            coveredUntil = end
        }
        self.fromKit = fromKit
        tokensPerLine = tokens.reduce(into: [:]) { counts, token in counts[token.line, default: 0] += 1 }
    }
}

/// Where a fingerprint occurs: a submission (its index in recording order), one of its
/// readable files (index among them) and the k-gram's position in that file.
struct ReuseOccurrence: Sendable, Hashable {
    let submission: Int
    let file: Int
    let position: Int
}

/// A fingerprint shared by an earlier and a later file: the positions of its k-gram in each.
struct ReuseSeed: Sendable, Hashable, Comparable {
    let earlier: Int
    let later: Int

    /// Later position first, then earlier: the order in which seeds are chained.
    static func < (left: ReuseSeed, right: ReuseSeed) -> Bool {
        (left.later, left.earlier) < (right.later, right.earlier)
    }
}

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
