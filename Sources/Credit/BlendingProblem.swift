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
