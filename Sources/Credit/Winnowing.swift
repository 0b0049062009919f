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
