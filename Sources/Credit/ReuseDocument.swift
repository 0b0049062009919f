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
