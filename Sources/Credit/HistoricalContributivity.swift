/// Historical contributivity: credit flowing backwards along the submissions' lineage, as on
/// RAMP (source: ramp-board's `ramp-database`, `compute_historical_contributivity`; unlike it,
/// a submission credited twice by the same giver receives both fractions, where ramp-board
/// keeps only the latest credit).
public enum HistoricalContributivity {
    /// Tolerance on the sum of a submission's credit fractions above 1 (rounding of shares
    /// computed from line counts).
    public static let shareTolerance = 1e-9

    /// Distributes contributivity along the credits.
    ///
    /// Walking the submissions from newest to oldest, each one holds its own contributivity
    /// plus what later submissions passed to it, keeps its self share of that and passes
    /// `fraction` of it to each submission it credits. The total is conserved (the sum of the
    /// results equals the sum of the contributivities, up to rounding).
    ///
    /// Example (RAMP's): contributivities A 0.2, B 0.3, C 0.5; C credits B 50%; B credits
    /// A 50%; the result is A 0.475, B 0.275, C 0.25.
    /// - Parameter submissions: in submission order, oldest first.
    /// - Returns: the historical contributivity of each submission, same order and units as
    ///   the contributivities.
    /// - Throws: ``CreditError`` when a submission credits itself, a later submission or an
    ///   unknown index, when an amount is negative or not finite, or when a submission's
    ///   fractions add up to more than 1 (beyond ``shareTolerance``).
    public static func distribute(_ submissions: [CreditedSubmission]) throws -> [Double] {
        try validate(submissions)
        var held = submissions.map(\.contributivity)
        var result = [Double](repeating: 0, count: submissions.count)
        for giver in submissions.indices.reversed() {
            let amount = held[giver]
            let given = submissions[giver].credits.reduce(0) { $0 + $1.fraction }
            for share in submissions[giver].credits {
                held[share.submission] += amount * share.fraction
            }
            result[giver] = amount * max(0, 1 - given)
        }
        return result
    }

    /// Checks indices, amounts and fraction totals.
    private static func validate(_ submissions: [CreditedSubmission]) throws {
        for (giver, submission) in submissions.enumerated() {
            guard submission.contributivity.isFinite, submission.contributivity >= 0 else {
                throw CreditError.invalidAmount(submission: giver, value: submission.contributivity)
            }
            var total = 0.0
            for share in submission.credits {
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
