/// Log loss (cross-entropy, negative log-likelihood): the mean over rows of
/// `-ln p(row, true class)`, in nats.
///
/// Before the logarithm every probability is clipped to `[epsilon, 1 - epsilon]`, so that a
/// confident wrong prediction costs at most `-ln(epsilon)` (about 36.04 for the default)
/// instead of infinity; then, by default, each row is divided by its sum
/// (``RowNormalization-swift.enum/afterClipping``). Lower is better; the value is >= 0.
///
/// Formula: scikit-learn `log_loss(y_true, P, labels=range(k))`. Versions differ:
/// - scikit-learn < 1.2: `eps=1e-15`, clip, then renormalise rows.
/// - scikit-learn 1.2 to 1.4: `eps="auto"` = machine epsilon of the dtype (2.22e-16 for
///   float64), clip, then renormalise rows. This type's default.
/// - scikit-learn >= 1.5 (1.9.1 made the test vectors): machine epsilon, clip, and no
///   renormalisation: rows that do not sum to 1 only raise a warning
///   (`rowNormalization: .none`). On rows that sum to 1 all three agree to rounding.
///   Renormalising is the default here because without it a submission predicting 1 for
///   every class would score a perfect 0.
///
/// ramp-workflow: `NegativeLogLikelihood` calls scikit-learn's `log_loss`, so it follows the
/// installed version; with the scikit-learn of its time that is
/// `LogLoss(epsilon: 1e-15)`. Its first versions (and the PLAsTiCC-style "Kaggle rule")
/// normalised rows first and clipped to [1e-15, 1 - 1e-15] afterwards:
/// `LogLoss(epsilon: 1e-15, rowNormalization: .beforeClipping)`.
public struct LogLoss: ScoreType {
    public var name: String { "log_loss" }
    public var isLowerBetter: Bool { true }
    public var range: ClosedRange<Double> { 0 ... .infinity }
    /// Probabilities are clipped to `[epsilon, 1 - epsilon]`.
    public let epsilon: Double
    /// Whether and when rows are divided by their sums.
    public let rowNormalization: RowNormalization

    /// - Parameters:
    ///   - epsilon: clipping bound, in (0, 0.5); default `Double.ulpOfOne` (2.220446049250313e-16,
    ///     scikit-learn's "auto" for float64). ramp-workflow's historical value is `1e-15`.
    ///   - rowNormalization: default ``RowNormalization-swift.enum/afterClipping``.
    public init(epsilon: Double = .ulpOfOne, rowNormalization: RowNormalization = .afterClipping) {
        precondition(epsilon > 0 && epsilon < 0.5, "epsilon must be in (0, 0.5)")
        self.epsilon = epsilon
        self.rowNormalization = rowNormalization
    }

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order. Values outside
    ///     [0, 1] are clipped (scikit-learn rejects them).
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or shapes differ;
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows, non-finite probabilities, or (only
    ///   with `.beforeClipping`) a row summing to 0.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        var total = 0.0
        for (index, trueClass) in rows.classes.enumerated() {
            let probability = try trueClassProbability(rows.probabilities.row(index), trueClass: trueClass)
            total -= naturalLogarithm(probability)
        }
        return total / Double(rows.rowCount)
    }

    /// The clipped (and normalised, as configured) probability of `trueClass` in `row`.
    private func trueClassProbability(_ row: ArraySlice<Double>, trueClass: Int) throws -> Double {
        let column = row.startIndex + trueClass
        switch rowNormalization {
        case .none:
            return clip(row[column])
        case .afterClipping:
            let sum = row.reduce(0) { $0 + clip($1) }
            return clip(row[column]) / sum
        case .beforeClipping:
            let sum = row.reduce(0, +)
            guard sum > 0 else { throw ScoreTypeError.undefined("a probability row sums to \(sum)") }
            return clip(row[column] / sum)
        }
    }

    /// `numpy.clip(value, epsilon, 1 - epsilon)`.
    private func clip(_ value: Double) -> Double {
        min(max(value, epsilon), 1 - epsilon)
    }
}
