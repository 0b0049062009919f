/// A share of a submission's credit given to an earlier submission it builds on.
public struct CreditShare: Sendable, Equatable {
    /// The credited submission: its index in the submission order (oldest first); it must be
    /// earlier than the submission giving the credit.
    public var submission: Int
    /// The fraction of the giver's credit passed on, in [0, 1].
    public var fraction: Double

    /// Creates a credit share.
    public init(submission: Int, fraction: Double) {
        self.submission = submission
        self.fraction = fraction
    }
}
