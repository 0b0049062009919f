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
