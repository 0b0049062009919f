/// Per-class counts of a confusion matrix: the diagonal and the two margins.
struct ClassCounts {
    /// Rows of class `c` predicted as `c`.
    private(set) var truePositives: [Int]
    /// Rows whose true class is `c` (row sums of the confusion matrix).
    private(set) var truthCounts: [Int]
    /// Rows predicted as `c` (column sums of the confusion matrix).
    private(set) var predictedCounts: [Int]

    /// Counts `truth` against `predicted`, both class indices in `0..<classCount`.
    init(truth: [Int], predicted: [Int], classCount: Int) {
        truePositives = Array(repeating: 0, count: classCount)
        truthCounts = Array(repeating: 0, count: classCount)
        predictedCounts = Array(repeating: 0, count: classCount)
        for (trueClass, predictedClass) in zip(truth, predicted) {
            truthCounts[trueClass] += 1
            predictedCounts[predictedClass] += 1
            if trueClass == predictedClass { truePositives[trueClass] += 1 }
        }
    }

    /// The F1 score of class `c`, `2 tp / (true + predicted)`, or 0 when the class is
    /// neither true nor predicted (scikit-learn's `zero_division="warn"` value).
    func f1(ofClass c: Int) -> Double {
        let denominator = truthCounts[c] + predictedCounts[c]
        return denominator == 0 ? 0 : Double(2 * truePositives[c]) / Double(denominator)
    }
}
