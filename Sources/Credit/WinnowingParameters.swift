/// The two parameters of winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local
/// algorithms for document fingerprinting", SIGMOD 2003), counted in normalised tokens (see
/// ``SourceTokenizer``).
///
/// A shared run of fewer than ``kGramLength`` tokens is never detected (the paper's noise
/// threshold k); a shared run of at least ``guaranteeThreshold`` tokens (t = w + k − 1) always
/// is, because every window of ``windowLength`` consecutive k-grams contributes a fingerprint.
public struct WinnowingParameters: Sendable, Hashable, Codable {
    /// k: the number of consecutive tokens hashed together. Default 12, the minimum token
    /// match JPlag uses for Python: about one to two lines of Python, long enough that
    /// one-line idioms (`self.model.fit(X, y)`) are not fingerprints on their own. Values
    /// below 1 are raised to 1.
    public var kGramLength: Int {
        didSet { kGramLength = max(1, kGramLength) }
    }
    /// w: the number of consecutive k-gram hashes among which the minimum is selected.
    /// Default 8: a guarantee threshold of 19 tokens (two to three lines of Python) and a
    /// density of about 2 / (w + 1) ≈ 22% of the k-grams kept. Values below 1 are raised
    /// to 1.
    public var windowLength: Int {
        didSet { windowLength = max(1, windowLength) }
    }

    /// Creates winnowing parameters; values below 1 are raised to 1.
    public init(kGramLength: Int = 12, windowLength: Int = 8) {
        self.kGramLength = max(1, kGramLength)
        self.windowLength = max(1, windowLength)
    }

    /// t = w + k − 1: the length, in tokens, from which a shared run is always detected.
    public var guaranteeThreshold: Int {
        windowLength + kGramLength - 1
    }
}
