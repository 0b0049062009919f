import ScoreTypes

/// Everything needed to blend one question: the truth, the folds and every scored submission's
/// fold predictions.
public struct BlendingProblem: Sendable, Equatable {
    /// The targets of all training rows; fold validation rows index into it.
    public var trainingTruth: GroundTruth
    /// The targets of the held-out test rows.
    public var testTruth: GroundTruth
    /// The question's cross-validation folds, shared by all submissions.
    public var folds: [BlendingFold]
    /// The submissions in submission order (oldest first), each with one entry per fold, in fold
    /// order: `submissions[s][k]` is submission `s` on fold `k`. Ensemble member indices in
    /// ``BlendingResult`` refer to positions in this array.
    public var submissions: [[SubmissionFoldPredictions]]

    /// Creates a blending problem.
    public init(
        trainingTruth: GroundTruth, testTruth: GroundTruth, folds: [BlendingFold],
        submissions: [[SubmissionFoldPredictions]]
    ) {
        self.trainingTruth = trainingTruth
        self.testTruth = testTruth
        self.folds = folds
        self.submissions = submissions
    }
}

/// One cross-validation fold of a question, as blending sees it.
public struct BlendingFold: Sendable, Equatable {
    /// The fold's validation rows: indices into the training rows (`0..<trainingTruth.rowCount`),
    /// in the order in which every submission's validation predictions for this fold are given.
    /// Folds may overlap (shuffle-split).
    public var validationRows: [Int]

    /// Creates a fold from its validation row indices.
    public init(validationRows: [Int]) {
        self.validationRows = validationRows
    }
}

/// What one submission predicted on one cross-validation fold.
public struct SubmissionFoldPredictions: Sendable, Equatable {
    /// Predictions for the fold's validation rows, in the order of
    /// ``BlendingFold/validationRows``.
    public var validation: Predictions
    /// Predictions of the fold's model for every test row, in test row order; nil when the
    /// test predictions are kept apart (a large test set): the blend then reads each member's
    /// bagged test predictions only (``Blender/blend(_:baggedTest:)``).
    public var test: Predictions?

    /// Creates one submission's predictions on one fold.
    public init(validation: Predictions, test: Predictions?) {
        self.validation = validation
        self.test = test
    }
}

/// The parameters of greedy ensemble selection (blending).
///
/// Source: Caruana et al. 2004, "Ensemble selection from libraries of models"; the defaults
/// are those of ramp-workflow 0.7.0 (`rampwf/utils/combine.py`, `blend_on_fold`).
public struct BlendingParameters: Sendable, Equatable {
    /// A candidate joins the ensemble only when it improves the official score by strictly more
    /// than this amount (in the score's own units). ramp-workflow's default is 0: any strict
    /// improvement counts.
    ///
    /// As in ramp-workflow's `_get_next_best_submission`, a step examines the candidates in
    /// index order and moves its running best to each candidate that beats that running best
    /// by more than this amount. With a positive value, a later candidate that is better than
    /// an earlier accepted one by less than this amount therefore does not displace it.
    public var minimumImprovement: Double
    /// The largest number of members (counted with repeats) a fold's ensemble may reach.
    /// ramp-workflow's default is 80. Must be at least 1.
    public var maximumEnsembleSize: Int

    /// Creates blending parameters; the defaults are ramp-workflow's.
    public init(minimumImprovement: Double = 0, maximumEnsembleSize: Int = 80) {
        self.minimumImprovement = minimumImprovement
        self.maximumEnsembleSize = maximumEnsembleSize
    }
}
