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
