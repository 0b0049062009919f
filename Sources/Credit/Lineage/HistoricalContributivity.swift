/// Historical contributivity: credit flowing backwards along the submissions' lineage.
///
/// Two kinds of shares (DESIGN.md, "Credit"):
/// - measured shares (whose code a submission holds, from blame) pass a fraction of the
///   submission's contributivity to each originator, final: blame already reaches the
///   originator of each token, so credit received this way is not split again (splitting it
///   by the receiver's own shares would count the receiver's ancestors twice);
/// - declared shares (`Credit:` trailers) pass a fraction of the submission's own part, and
///   the receiver splits what it receives this way by its own declarations, recursively, as on
///   RAMP (source: ramp-board's `ramp-database`, `compute_historical_contributivity`; unlike
///   it, a submission credited twice by the same giver receives both fractions, where
///   ramp-board keeps only the latest credit).
public enum HistoricalContributivity {
    /// Tolerance on the sum of a submission's credit fractions above 1 (rounding of shares
    /// computed from line counts).
    public static let shareTolerance = 1e-9

    /// Distributes contributivity along the shares.
    ///
    /// Walking the submissions from newest to oldest, each one gives each originator of its
    /// code its measured fraction of its contributivity (final); its own part, plus the
    /// declared credit later submissions passed to it, it splits by its declarations, keeping
    /// the rest. The total is conserved (the sum of the results equals the sum of the
    /// contributivities, up to rounding).
    ///
    /// Example with declarations only (RAMP's): contributivities A 0.2, B 0.3, C 0.5; C credits
    /// B 50%; B credits A 50%; the result is A 0.475, B 0.275, C 0.25.
    ///
    /// Example with measured shares: kit 0, A 0.8 (its code: 78.6% its own, 21.4% the kit's),
    /// F 0.2 (a fork of A changing a little: 2.4% its own, 76% A's, 21.6% the kit's); the
    /// result is kit 0.8 x 0.214 + 0.2 x 0.216 = 0.2144, A 0.8 x 0.786 + 0.2 x 0.76 = 0.7808,
    /// F 0.2 x 0.024 = 0.0048.
    /// - Parameter submissions: in submission order, oldest first.
    /// - Returns: the historical contributivity of each submission, same order and units as
    ///   the contributivities.
    /// - Throws: ``CreditError`` when a submission credits itself, a later submission or an
    ///   unknown index, when an amount is negative or not finite, or when a submission's
    ///   fractions add up to more than 1 (beyond ``shareTolerance``).
    public static func distribute(_ submissions: [CreditedSubmission]) throws -> [Double] {
        try validate(submissions)
        var declaredHeld = [Double](repeating: 0, count: submissions.count)
        var result = [Double](repeating: 0, count: submissions.count)
        for giver in submissions.indices.reversed() {
            let submission = submissions[giver]
            let measuredGiven = submission.measured.reduce(0) { $0 + $1.fraction }
            for share in submission.measured {
                result[share.submission] += submission.contributivity * share.fraction
            }
            let own = submission.contributivity * max(0, 1 - measuredGiven) + declaredHeld[giver]
            let declaredGiven = submission.credits.reduce(0) { $0 + $1.fraction }
            for share in submission.credits {
                declaredHeld[share.submission] += own * share.fraction
            }
            result[giver] += own * max(0, 1 - declaredGiven)
        }
        return result
    }

    /// Checks indices, amounts and fraction totals.
    private static func validate(_ submissions: [CreditedSubmission]) throws {
        for (giver, submission) in submissions.enumerated() {
            guard submission.contributivity.isFinite, submission.contributivity >= 0 else {
                throw CreditError.invalidAmount(submission: giver, value: submission.contributivity)
            }
            for shares in [submission.measured, submission.credits] {
                var total = 0.0
                for share in shares {
                    guard share.submission >= 0, share.submission < giver else {
                        throw CreditError.creditNotToEarlierSubmission(giver: giver, receiver: share.submission)
                    }
                    guard share.fraction.isFinite, share.fraction >= 0 else {
                        throw CreditError.invalidAmount(submission: giver, value: share.fraction)
                    }
                    total += share.fraction
                }
                guard total <= 1 + shareTolerance else {
                    throw CreditError.sharesExceedOne(submission: giver, total: total)
                }
            }
        }
    }
}

/// One submission as historical contributivity sees it: its own contributivity, the measured
/// shares of its credit that go to the submissions whose code it holds, and the declared
/// shares of its own part.
public struct CreditedSubmission: Sendable, Equatable {
    /// The submission's contributivity from blending (a fraction; all of them sum to 1).
    public var contributivity: Double
    /// Measured shares: fractions of its contributivity that go, final, to earlier submissions
    /// whose code it holds (blame already names the originators: nothing is split again). The
    /// rest is its own part.
    public var measured: [CreditShare]
    /// Declared shares: fractions of its own part (and of the declared credit it received)
    /// given to earlier submissions, which split what they receive by their own declarations
    /// in turn (RAMP's rule). A submission may appear more than once (its fractions add up).
    public var credits: [CreditShare]

    /// Creates a submission with its contributivity, measured shares and declared credits.
    public init(contributivity: Double, measured: [CreditShare] = [], credits: [CreditShare] = []) {
        self.contributivity = contributivity
        self.measured = measured
        self.credits = credits
    }

    /// The fraction of its own part the submission keeps: one minus the fractions it declares.
    public var selfShare: Double {
        1 - credits.reduce(0) { $0 + $1.fraction }
    }
}

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

/// Why historical contributivity could not be computed.
public enum CreditError: Error, Equatable, CustomStringConvertible {
    /// A submission credits itself, a later submission or an index outside the list.
    case creditNotToEarlierSubmission(giver: Int, receiver: Int)
    /// A fraction or contributivity is negative or not finite.
    case invalidAmount(submission: Int, value: Double)
    /// A submission gives away more than all of its credit.
    case sharesExceedOne(submission: Int, total: Double)

    /// A one-line explanation, for logs and error messages.
    public var description: String {
        switch self {
        case .creditNotToEarlierSubmission(let giver, let receiver):
            "submission \(giver) credits submission \(receiver), which is not an earlier submission"
        case .invalidAmount(let submission, let value):
            "submission \(submission) has an invalid amount \(value)"
        case .sharesExceedOne(let submission, let total):
            "submission \(submission) gives away \(total) of its credit, more than all of it"
        }
    }
}
