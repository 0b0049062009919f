/// How one submission's credit is shared among the submissions whose code it holds: measured
/// shares (whose code tokens these are) and declared credit (what its `Credit:` trailers give
/// of its own share).
public struct LineageShares: Sendable, Equatable {
    /// The submission's key (`team/name`).
    public let key: String
    /// Measured shares: the fraction of the submission's credited code tokens that each
    /// submission (the starting kit included) introduced, its own key included (its own share,
    /// possibly 0). They sum to 1; a submission without credited code keeps everything:
    /// `[key: 1]`. They are floors: no declaration lowers them.
    public let measured: [String: Double]
    /// The submission's credited code tokens by the key of the submission that introduced them.
    public let tokenCounts: [String: Int]
    /// Declared credit: the fraction of the submission's own measured share that each valid
    /// `Credit:` trailer gives to an earlier submission it could see; at most 1 in all; empty
    /// without valid trailers.
    public let declared: [String: Double]

    /// Creates shares.
    public init(key: String, measured: [String: Double], tokenCounts: [String: Int], declared: [String: Double] = [:]) {
        self.key = key
        self.measured = measured
        self.tokenCounts = tokenCounts
        self.declared = declared
    }

    /// The number of credited code tokens in the submission's tree.
    public var creditedTokenCount: Int { tokenCounts.values.reduce(0, +) }

    /// The submission's own measured share.
    public var ownMeasuredShare: Double { measured[key] ?? 0 }

    /// What the submission keeps after its declarations: its own measured share less what it
    /// declares to others.
    public var selfShare: Double { ownMeasuredShare * max(0, 1 - declared.values.reduce(0, +)) }

    /// The share of the submission's credit that goes to each submission directly: measured
    /// shares, plus the declared fractions of the own share; the submission's own entry is
    /// ``selfShare``. They sum to 1.
    public var fractions: [String: Double] {
        var fractions = measured
        fractions[key] = selfShare
        for (receiver, fraction) in declared { fractions[receiver, default: 0] += ownMeasuredShare * fraction }
        return fractions
    }

    /// Measured shares from token counts: each owner's tokens over all tokens; everything to
    /// the submission itself when it has no credited tokens.
    static func fromTokens(key: String, tokenCounts: [String: Int]) -> LineageShares {
        let total = tokenCounts.values.reduce(0, +)
        guard total > 0 else {
            return LineageShares(key: key, measured: [key: 1], tokenCounts: tokenCounts)
        }
        var measured = tokenCounts.mapValues { Double($0) / Double(total) }
        if measured[key] == nil { measured[key] = 0 }
        return LineageShares(key: key, measured: measured, tokenCounts: tokenCounts)
    }

    /// The same measured shares with `declared` credit.
    func declaring(_ declared: [String: Double]) -> LineageShares {
        LineageShares(key: key, measured: measured, tokenCounts: tokenCounts, declared: declared)
    }
}
