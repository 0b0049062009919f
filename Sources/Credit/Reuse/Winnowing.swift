/// Document fingerprinting by winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local
/// algorithms for document fingerprinting", SIGMOD 2003).
///
/// Every k-gram (run of k consecutive tokens) is hashed; of every window of w consecutive
/// k-gram hashes the minimum is selected, the rightmost one on ties as in the paper, and each
/// selected k-gram is recorded once. Selection only depends on the window, so a passage
/// shared by two documents yields the same fingerprints in both wherever it appears.
public enum Winnowing {
    /// The hash of every k-gram of `tokens`, in order: element i hashes tokens i ..< i + k.
    /// Empty when there are fewer than k tokens.
    public static func kGramHashes(of tokens: [SourceTokenizer.Token], kGramLength: Int) -> [UInt64] {
        let length = max(1, kGramLength)
        guard tokens.count >= length else { return [] }
        let codes = tokens.map { WinnowingHash.code(of: $0.text) }
        return (0...(tokens.count - length)).map { WinnowingHash.combine(codes[$0..<($0 + length)]) }
    }

    /// The positions winnowing selects in `hashes`: the rightmost minimum of every window of
    /// `windowLength` consecutive hashes, each position once, in increasing order. Fewer
    /// hashes than a window make one window, so a short document still has a fingerprint.
    public static func selectedPositions(in hashes: [UInt64], windowLength: Int) -> [Int] {
        guard !hashes.isEmpty else { return [] }
        let window = min(max(1, windowLength), hashes.count)
        var selected: [Int] = []
        var minimum = -1
        for end in (window - 1)..<hashes.count {
            let start = end - window + 1
            if minimum < start {
                // The previous minimum left the window: scan the whole window again.
                minimum = start
                for position in start...end where hashes[position] <= hashes[minimum] {
                    minimum = position
                }
                selected.append(minimum)
            } else if hashes[end] <= hashes[minimum] {
                minimum = end
                selected.append(minimum)
            }
        }
        return selected
    }

    /// The winnowed fingerprints of `tokens`, in order of position.
    public static func fingerprints(
        of tokens: [SourceTokenizer.Token], parameters: WinnowingParameters = WinnowingParameters()
    ) -> [WinnowingFingerprint] {
        let hashes = kGramHashes(of: tokens, kGramLength: parameters.kGramLength)
        return fingerprints(of: tokens, hashes: hashes, parameters: parameters)
    }

    /// The fingerprints selected among precomputed k-gram `hashes` of `tokens`.
    static func fingerprints(
        of tokens: [SourceTokenizer.Token], hashes: [UInt64], parameters: WinnowingParameters
    ) -> [WinnowingFingerprint] {
        let length = max(1, parameters.kGramLength)
        return selectedPositions(in: hashes, windowLength: parameters.windowLength).map { position in
            WinnowingFingerprint(
                hash: hashes[position], position: position,
                lines: tokens[position].line...tokens[position + length - 1].line)
        }
    }
}

/// One fingerprint of a document: the hash of a k-gram selected by winnowing and where that
/// k-gram is.
public struct WinnowingFingerprint: Sendable, Hashable, Codable {
    /// The stable 64-bit hash of the k-gram's normalised tokens (see ``Winnowing``).
    public var hash: UInt64
    /// The index, in the document's token stream, of the k-gram's first token (which is also
    /// the k-gram's own index).
    public var position: Int
    /// The 1-based source lines from the k-gram's first token to its last.
    public var lines: ClosedRange<Int>

    /// Creates a fingerprint.
    public init(hash: UInt64, position: Int, lines: ClosedRange<Int>) {
        self.hash = hash
        self.position = position
        self.lines = lines
    }
}

/// The stable hashes winnowing uses, identical on every run and platform (unlike Swift's
/// randomly seeded `Hasher`), so that fingerprints can be compared and stored.
enum WinnowingHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a 64 of a token's UTF-8 text.
    static func code(of text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }

    /// The hash of a k-gram: FNV-1a 64 over the little-endian bytes of its tokens' codes,
    /// finished with MurmurHash3's 64-bit finaliser so that the minimum of a window falls
    /// anywhere in it with equal chance.
    static func combine(_ codes: ArraySlice<UInt64>) -> UInt64 {
        var hash = offsetBasis
        for code in codes {
            var value = code
            for _ in 0..<8 {
                hash = (hash ^ (value & 0xFF)) &* prime
                value >>= 8
            }
        }
        return finalize(hash)
    }

    /// MurmurHash3's `fmix64`.
    static func finalize(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}

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
