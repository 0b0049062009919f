/// The class-weighted multi-class log loss of Kaggle's PLAsTiCC Astronomical
/// Classification challenge (2018), in nats:
///
///     -( Σ_j w_j · (1/N_j) · Σ_{i in class j} ln p_ij ) / Σ_j w_j
///
/// where `j` runs over the classes present in the truth, `N_j` is the number of rows of
/// class `j`, `w_j` its weight and `p_ij` the probability row `i` gives to its true class
/// `j`. Each class thus counts by its weight, whatever its size, so rare classes matter as
/// much as common ones. Classes absent from the truth contribute to neither sum.
/// Probabilities are first clipped to `[1e-15, 1 - 1e-15]` and each row is then divided by
/// its sum (rows need not sum to 1). Lower is better; the value is >= 0.
///
/// Sources: the competition's evaluation page,
/// https://www.kaggle.com/c/PLAsTiCC-2018/overview/evaluation, and Malz, A. I., Hložek, R.,
/// Allam, T., Jr., et al. 2019, "The Photometric LSST Astronomical Time-series
/// Classification Challenge (PLAsTiCC): Selection of a performance metric for
/// classification probabilities balancing diverse science goals", The Astronomical
/// Journal 158:171 (doi:10.3847/1538-3881/ab3a2f, arXiv:1809.11145). The weights the
/// competition used were not part of its data: pass them as `classWeights` (default all 1).
/// The test vectors check this type against a numpy reference
/// (`Tests/ScoreTypesTests/Vectors/make_vectors.py`).
///
/// scikit-learn has no equivalent; with all weights 1 and every class equally frequent it
/// equals ``LogLoss`` with `epsilon: 1e-15`.
public struct PlasticcLogLoss: ScoreType {
    public var name: String { "plasticc_log_loss" }
    public var isLowerBetter: Bool { true }
    public var range: ClosedRange<Double> { 0 ... .infinity }
    /// One non-negative weight per class, in label order; `nil` means all 1.
    public let classWeights: [Double]?
    /// Probabilities are clipped to `[epsilon, 1 - epsilon]`; the competition used 1e-15.
    public let epsilon: Double

    /// - Parameters:
    ///   - classWeights: one weight >= 0 per class in label order, or `nil` (default) for
    ///     all 1.
    ///   - epsilon: clipping bound in (0, 0.5); default 1e-15 as in the competition.
    public init(classWeights: [Double]? = nil, epsilon: Double = 1e-15) {
        precondition(epsilon > 0 && epsilon < 0.5, "epsilon must be in (0, 0.5)")
        self.classWeights = classWeights
        self.epsilon = epsilon
    }

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or shapes differ or
    ///   `classWeights` does not have one weight per class;
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows, non-finite probabilities, a negative
    ///   or non-finite weight, or when the weights of the classes present sum to 0.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        let weights = classWeights ?? Array(repeating: 1, count: rows.classCount)
        guard weights.count == rows.classCount else {
            throw ScoreTypeError.shapeMismatch("\(weights.count) class weights for \(rows.classCount) classes")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw ScoreTypeError.undefined("class weights must be finite and non-negative")
        }
        var logSums = Array(repeating: 0.0, count: rows.classCount)
        var counts = Array(repeating: 0, count: rows.classCount)
        for (index, trueClass) in rows.classes.enumerated() {
            let row = rows.probabilities.row(index)
            let sum = row.reduce(0) { $0 + clip($1) }
            logSums[trueClass] += naturalLogarithm(clip(row[row.startIndex + trueClass]) / sum)
            counts[trueClass] += 1
        }
        var weightedTotal = 0.0
        var weightTotal = 0.0
        for c in 0..<rows.classCount where counts[c] > 0 {
            weightedTotal += weights[c] * (logSums[c] / Double(counts[c]))
            weightTotal += weights[c]
        }
        guard weightTotal > 0 else {
            throw ScoreTypeError.undefined("the classes present in the truth all have weight 0")
        }
        return -weightedTotal / weightTotal
    }

    /// `numpy.clip(value, epsilon, 1 - epsilon)`.
    private func clip(_ value: Double) -> Double {
        min(max(value, epsilon), 1 - epsilon)
    }
}
