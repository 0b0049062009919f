// Bagging of cross-validation predictions, as ramp-workflow's `get_score_cv_bags` and its
// `Predictions.combine` (`numpy.nanmean` over folds) do.

/// Combines the validation predictions of all cross-validation folds into one
/// out-of-fold prediction per row.
///
/// Each fold `f` predicted the rows `foldRows[f]` (indices into the training data, in the
/// order of `foldPredictions[f]`'s rows). A row predicted by several folds (shuffle-split
/// cross-validation) gets the mean of those predictions, element-wise (class probabilities
/// or values); a row predicted by no fold is left out. This is ramp-workflow's
/// `Predictions.combine`, `numpy.nanmean` over the folds' predictions with unpredicted rows
/// as NaN, followed by its `valid_indexes` filtering.
///
/// - Parameters:
///   - rowCount: number of rows of the training data; every index is in `0..<rowCount`.
///   - foldRows: for each fold, the indices of the rows it predicted.
///   - foldPredictions: for each fold, its predictions of those rows, all of one kind (and,
///     for probabilities, one class count).
/// - Returns: `rows`, the indices that have at least one prediction, ascending, and
///   `predictions`, their mean predictions in that order (same kind and class count as the
///   folds').
/// - Precondition: at least one fold; `foldRows.count == foldPredictions.count`; each fold's
///   index count equals its prediction row count; indices in range; all folds of one kind
///   and class count. These are the evaluator's own bookkeeping, so they are checked as
///   preconditions rather than thrown.
public func combineOutOfFold(
    rowCount: Int, foldRows: [[Int]], foldPredictions: [Predictions]
) -> (predictions: Predictions, rows: [Int]) {
    precondition(!foldPredictions.isEmpty, "at least one fold is needed")
    precondition(foldRows.count == foldPredictions.count, "one row list per fold is needed")
    let width = predictionWidth(foldPredictions[0])
    var sums = Array(repeating: 0.0, count: rowCount * width)
    var counts = Array(repeating: 0, count: rowCount)
    for (rows, predictions) in zip(foldRows, foldPredictions) {
        precondition(rows.count == predictions.rowCount, "a fold's row count differs from its predictions'")
        let values = flatValues(predictions, width: width)
        for (position, row) in rows.enumerated() {
            precondition(row >= 0 && row < rowCount, "row index \(row) is outside 0..<\(rowCount)")
            counts[row] += 1
            for column in 0..<width {
                sums[row * width + column] += values[position * width + column]
            }
        }
    }
    let predictedRows = (0..<rowCount).filter { counts[$0] > 0 }
    var means: [Double] = []
    means.reserveCapacity(predictedRows.count * width)
    for row in predictedRows {
        for column in 0..<width {
            means.append(sums[row * width + column] / Double(counts[row]))
        }
    }
    return (rebuild(like: foldPredictions[0], values: means, rowCount: predictedRows.count), predictedRows)
}

/// Averages the test-set predictions of the fold models, element-wise: the bagged test
/// prediction of ramp-workflow (`numpy.mean` over folds of the class probabilities or
/// values).
///
/// - Parameter predictions: one prediction per fold model, all of the same kind, row count
///   and class count, rows in the same order.
/// - Returns: the element-wise mean, same kind and shape.
/// - Precondition: at least one prediction; all of the same kind and shape.
public func averageOverFolds(_ predictions: [Predictions]) -> Predictions {
    precondition(!predictions.isEmpty, "at least one fold is needed")
    let first = predictions[0]
    let width = predictionWidth(first)
    var sums = Array(repeating: 0.0, count: first.rowCount * width)
    for prediction in predictions {
        precondition(prediction.rowCount == first.rowCount, "fold predictions have different row counts")
        let values = flatValues(prediction, width: width)
        for index in sums.indices { sums[index] += values[index] }
    }
    let foldCount = Double(predictions.count)
    return rebuild(like: first, values: sums.map { $0 / foldCount }, rowCount: first.rowCount)
}

/// Numbers per row: the class count for probabilities, 1 for values.
private func predictionWidth(_ predictions: Predictions) -> Int {
    switch predictions {
    case .probabilities(let matrix): matrix.classCount
    case .values: 1
    }
}

/// The row-major numbers of `predictions`, which must have `width` numbers per row.
private func flatValues(_ predictions: Predictions, width: Int) -> [Double] {
    switch predictions {
    case .probabilities(let matrix):
        precondition(matrix.classCount == width, "fold predictions have different class counts")
        return matrix.values
    case .values(let values):
        precondition(width == 1, "fold predictions mix probabilities and values")
        return values
    }
}

/// Predictions of the same kind as `template` holding `values` (row-major).
private func rebuild(like template: Predictions, values: [Double], rowCount: Int) -> Predictions {
    switch template {
    case .probabilities(let matrix):
        .probabilities(ProbabilityMatrix(rowCount: rowCount, classCount: matrix.classCount, values: values))
    case .values:
        .values(values)
    }
}
