/// Classification truth and predicted probabilities, checked against each other.
///
/// Every classification score type builds one of these first, so that all of them reject
/// the same malformed inputs in the same way.
struct ClassificationRows {
    /// The true class index of each row, in `0..<classCount`.
    let classes: [Int]
    /// The predicted probabilities, `classes.count` rows x `classCount` columns.
    let probabilities: ProbabilityMatrix

    /// Number of rows.
    var rowCount: Int { classes.count }
    /// Number of classes (columns).
    var classCount: Int { probabilities.classCount }

    /// Checks `truth` and `predictions` for `scoreName`.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the truth is not class labels, the
    ///   predictions are not probabilities, row or class counts differ, there are fewer than
    ///   two classes, or a true class index is out of range;
    ///   ``ScoreTypeError/undefined(_:)`` when there are no rows or a probability is NaN or
    ///   infinite (scikit-learn rejects both).
    init(truth: GroundTruth, predictions: Predictions, scoreName: String) throws {
        guard case .classes(let classes, let truthClassCount) = truth else {
            throw ScoreTypeError.shapeMismatch("\(scoreName) needs class labels as truth, got regression values")
        }
        guard case .probabilities(let matrix) = predictions else {
            throw ScoreTypeError.shapeMismatch("\(scoreName) needs class probabilities, got regression values")
        }
        guard classes.count == matrix.rowCount else {
            throw ScoreTypeError.shapeMismatch("\(classes.count) true rows but \(matrix.rowCount) predicted rows")
        }
        guard truthClassCount == matrix.classCount else {
            throw ScoreTypeError.shapeMismatch("\(truthClassCount) classes in the truth but \(matrix.classCount) probability columns")
        }
        guard truthClassCount >= 2 else {
            throw ScoreTypeError.shapeMismatch("\(scoreName) needs at least two classes, got \(truthClassCount)")
        }
        if let bad = classes.first(where: { $0 < 0 || $0 >= truthClassCount }) {
            throw ScoreTypeError.shapeMismatch("true class index \(bad) is outside 0..<\(truthClassCount)")
        }
        guard !classes.isEmpty else {
            throw ScoreTypeError.undefined("\(scoreName) of zero rows")
        }
        guard matrix.values.allSatisfy(\.isFinite) else {
            throw ScoreTypeError.undefined("the predicted probabilities contain NaN or infinite values")
        }
        self.classes = classes
        self.probabilities = matrix
    }

    /// The predicted class of each row: the column of the largest probability, the first
    /// one when several are equal (as `numpy.argmax`).
    func predictedClasses() -> [Int] {
        (0..<rowCount).map { row in
            var best = 0
            for column in 1..<classCount where probabilities[row, column] > probabilities[row, best] {
                best = column
            }
            return best
        }
    }

    /// Throws ``ScoreTypeError/shapeMismatch(_:)`` unless there are exactly two classes.
    func requireBinary(scoreName: String) throws {
        guard classCount == 2 else {
            throw ScoreTypeError.shapeMismatch("\(scoreName) is for two classes, got \(classCount)")
        }
    }
}
