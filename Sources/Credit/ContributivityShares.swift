/// Contributivity from the folds' ensembles (internal), as ramp-workflow 0.7.0's
/// `blend_submissions` computes it.
enum ContributivityShares {
    /// For each submission, the mean over folds of its share of the fold's ensemble
    /// (occurrences / ensemble size), accumulated fold by fold as ramp-workflow does.
    static func contributivities(ensembles: [[Int]], submissionCount: Int) -> [Double] {
        var totals = [Double](repeating: 0, count: submissionCount)
        let foldCount = Double(ensembles.count)
        for ensemble in ensembles {
            var fold = [Double](repeating: 0, count: submissionCount)
            let unit = 1 / Double(ensemble.count)
            for member in ensemble { fold[member] += unit }
            for index in totals.indices { totals[index] += fold[index] / foldCount }
        }
        return totals
    }

    /// Integer percentages: scaled by `100 / sum`, rounded half to even (pandas' `round`).
    static func percentages(_ contributivities: [Double]) -> [Int] {
        let sum = contributivities.withUnsafeBufferPointer { values in
            values.baseAddress.map { RampNormalization.pairwiseSum($0, count: values.count) } ?? 0
        }
        guard sum > 0 else { return contributivities.map { _ in 0 } }
        let factor = 100 / sum
        return contributivities.map { Int(($0 * factor).rounded(.toNearestOrEven)) }
    }
}
