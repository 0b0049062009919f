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

    /// Reads `file` in the language its extension names, as Python when it names none (code
    /// can hide in `impl.txt`), or returns `nil` when it holds data
    /// (``SourceTokenizer/looksLikeData(_:)``).
    /// - Parameter kit: The hashes of the starting kit's k-grams (empty to read the kit itself).
    init?(file: SourceFile, parameters: WinnowingParameters, kit: Set<UInt64> = []) {
        let tokens = SourceTokenizer.tokens(in: file.text, language: SourceTokenizer.Language(path: file.path) ?? .python)
        guard !SourceTokenizer.looksLikeData(tokens) else { return nil }
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
