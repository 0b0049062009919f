import ScoreTypes

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
