/// How one submission shares its credit among the submissions it builds on, itself included.
public struct LineageShares: Sendable, Equatable {
    /// Where the fractions come from.
    public enum Origin: Sendable, Equatable {
        /// Counted from the lines of the submission's credited files.
        case lineage
        /// Given by valid `Credit:` trailers of the submission's commit.
        case trailers
    }

    /// The submission's key (`team/name`).
    public let key: String
    /// Fractions of the submission's credit by owning submission key, its own key included
    /// (its self share, possibly 0). They sum to 1 (up to rounding); a submission without
    /// credited lines and without trailers keeps everything: `[key: 1]`.
    public let fractions: [String: Double]
    /// The submission's credited lines by the key of the submission owning the commit that
    /// introduced them (counted even when trailers replace the fractions).
    public let lineCounts: [String: Int]
    /// Whether ``fractions`` come from the lines or from trailers.
    public let origin: Origin

    /// Creates shares.
    public init(key: String, fractions: [String: Double], lineCounts: [String: Int], origin: Origin) {
        self.key = key
        self.fractions = fractions
        self.lineCounts = lineCounts
        self.origin = origin
    }

    /// The number of credited lines in the submission's tree.
    public var creditedLineCount: Int { lineCounts.values.reduce(0, +) }

    /// The fraction the submission keeps for itself.
    public var selfShare: Double { fractions[key] ?? 0 }

    /// Shares computed from line counts: each owner's lines over all lines; everything to the
    /// submission itself when it has no credited lines.
    static func fromLines(key: String, lineCounts: [String: Int]) -> LineageShares {
        let total = lineCounts.values.reduce(0, +)
        guard total > 0 else {
            return LineageShares(key: key, fractions: [key: 1], lineCounts: lineCounts, origin: .lineage)
        }
        var fractions = lineCounts.mapValues { Double($0) / Double(total) }
        if fractions[key] == nil { fractions[key] = 0 }
        return LineageShares(key: key, fractions: fractions, lineCounts: lineCounts, origin: .lineage)
    }
}
