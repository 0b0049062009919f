/// One submission as historical contributivity sees it: its own contributivity and the shares
/// of its credit it gives to earlier submissions.
public struct CreditedSubmission: Sendable, Equatable {
    /// The submission's contributivity from blending (a fraction; all of them sum to 1).
    public var contributivity: Double
    /// Shares given to earlier submissions; the rest, `1 - sum of fractions`, is the
    /// submission's self share. A submission may appear more than once (its fractions add up).
    public var credits: [CreditShare]

    /// Creates a submission with its contributivity and credits.
    public init(contributivity: Double, credits: [CreditShare] = []) {
        self.contributivity = contributivity
        self.credits = credits
    }

    /// The fraction the submission keeps: one minus the fractions it gives away.
    public var selfShare: Double {
        1 - credits.reduce(0) { $0 + $1.fraction }
    }
}
