import ScoreTypes

/// The outcome of blending one question.
public struct BlendingResult: Sendable, Equatable {
    /// For each fold, the indices of the selected submissions in the order they were added,
    /// repeats allowed; the first one is the fold's best single submission.
    public var ensembles: [[Int]]
    /// For each submission (in submission order): the mean over folds of its share of the
    /// fold's ensemble (occurrences / ensemble size). The values are in [0, 1] and sum to 1.
    public var contributivities: [Double]
    /// ``contributivities`` as integer percentages: scaled so that they sum to 100 before
    /// rounding half to even (as pandas' `round` in ramp-workflow); the rounded values need not
    /// sum to exactly 100.
    public var contributivityPercentages: [Int]
    /// Bagged scores of the folds' ensembles (each fold's ensemble mean, bagged like a single
    /// submission).
    public var combined: BaggedScores
    /// Bagged scores of each fold's best single submission (the first ensemble member).
    public var foldwiseBest: BaggedScores
    /// The combined predictions of every test row, as bagged for ``combined``'s test score
    /// (each fold's ensemble mean, clipped and renormalised, averaged over folds): to score
    /// parts of the test rows (public, private). Nil when built by hand.
    public var combinedTestPredictions: Predictions?
    /// The same for the foldwise-best predictions.
    public var foldwiseBestTestPredictions: Predictions?

    /// Creates a blending result.
    public init(
        ensembles: [[Int]], contributivities: [Double], contributivityPercentages: [Int],
        combined: BaggedScores, foldwiseBest: BaggedScores,
        combinedTestPredictions: Predictions? = nil, foldwiseBestTestPredictions: Predictions? = nil
    ) {
        self.combinedTestPredictions = combinedTestPredictions
        self.foldwiseBestTestPredictions = foldwiseBestTestPredictions
        self.ensembles = ensembles
        self.contributivities = contributivities
        self.contributivityPercentages = contributivityPercentages
        self.combined = combined
        self.foldwiseBest = foldwiseBest
    }
}

/// A pair of CV-bagged scores, in the official score's units.
///
/// As in ramp-workflow 0.7.0 (`get_score_cv_bags`): the validation score is computed on the
/// out-of-fold predictions of all folds combined (rows predicted by several folds are averaged,
/// rows in no validation fold are left out); the test score on the test predictions averaged
/// over the folds' models.
public struct BaggedScores: Sendable, Equatable {
    /// Score of the out-of-fold validation predictions (optimistic when they were used to select).
    public var validation: Double
    /// Score of the fold-averaged test predictions (held out).
    public var test: Double

    /// Creates a pair of bagged scores.
    public init(validation: Double, test: Double) {
        self.validation = validation
        self.test = test
    }
}

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
