import ScoreTypes

/// ramp-workflow's `Predictions.combine` and the bagging built on it (internal).
enum PredictionAveraging {
    /// The element-wise mean of `predictions`, added in the given order, with every
    /// probability row clipped to `[1e-15, 1 - 1e-15]` and renormalised first (ramp-workflow's
    /// multi-class combination; regression values are averaged as they are).
    /// - Precondition: at least one prediction; all of one kind and shape.
    static func combine(_ predictions: [Predictions]) -> Predictions {
        precondition(!predictions.isEmpty, "at least one prediction is needed")
        let candidates = FoldCandidates(
            truth: .values([Double](repeating: 0, count: predictions[0].rowCount)), predictions: predictions)
        var sums = EnsembleSums(for: candidates)
        for index in predictions.indices { sums.add(index, of: candidates) }
        let divisor = Double(predictions.count)
        let means = sums.sums.map { $0 / divisor }
        return candidates.isProbabilities
            ? .probabilities(ProbabilityMatrix(rowCount: candidates.rowCount, classCount: candidates.width, values: means))
            : .values(means)
    }

    /// The out-of-fold bagged score of per-fold validation predictions (ramp-workflow's
    /// `get_score_cv_bags` with the folds' validation indices): each fold's predictions are
    /// clipped and renormalised, rows predicted by several folds averaged, rows predicted by
    /// none left out.
    /// - Throws: what the score type throws.
    static func validationScore(
        _ foldPredictions: [Predictions], folds: [BlendingFold], truth: GroundTruth, scoreType: any ScoreType
    ) throws -> Double {
        let bagged = combineOutOfFold(
            rowCount: truth.rowCount, foldRows: folds.map(\.validationRows),
            foldPredictions: foldPredictions.map(RampNormalization.normalized))
        return try scoreType.score(truth: truth.selecting(rows: bagged.rows), predictions: bagged.predictions)
    }

    /// For each list of weights (one per submission, summing to 1), the weighted sum of the
    /// submissions' `predictions` (clipped and renormalised first), reading each submission
    /// with a weight once, in index order.
    /// - Throws: what `predictions` throws; ``BlendingError/shapeMismatch(_:)`` for
    ///   predictions of another number of rows or kind.
    static func weighted(
        _ weights: [[Double]], of predictions: (Int) throws -> Predictions,
        rowCount: Int
    ) throws -> (Predictions, Predictions) {
        var sums = [[Double]](repeating: [], count: weights.count)
        var template: Predictions?
        let members = weights.first.map { Array($0.indices) } ?? []
        for member in members where weights.contains(where: { $0[member] > 0 }) {
            let normalized = RampNormalization.normalized(try predictions(member))
            guard normalized.rowCount == rowCount else {
                throw BlendingError.shapeMismatch("submission \(member)'s test predictions have \(normalized.rowCount) rows, expected \(rowCount)")
            }
            let values: [Double] =
                switch normalized {
                case .probabilities(let matrix): matrix.values
                case .values(let values): values
                }
            template = template ?? normalized
            for (index, list) in weights.enumerated() where list[member] > 0 {
                if sums[index].isEmpty { sums[index] = [Double](repeating: 0, count: values.count) }
                guard sums[index].count == values.count else {
                    throw BlendingError.shapeMismatch("submission \(member)'s test predictions are of another kind or class count")
                }
                let weight = list[member]
                sums[index].withUnsafeMutableBufferPointer { sum in
                    values.withUnsafeBufferPointer { value in
                        for position in 0..<value.count { sum[position] += weight * value[position] }
                    }
                }
            }
        }
        func rebuilt(_ values: [Double]) -> Predictions {
            switch template {
            case .probabilities(let matrix)?: .probabilities(ProbabilityMatrix(rowCount: rowCount, classCount: matrix.classCount, values: values))
            default: .values(values)
            }
        }
        return (rebuilt(sums.first ?? []), rebuilt(sums.count > 1 ? sums[1] : []))
    }

    /// The bagged test predictions of per-fold test predictions (ramp-workflow's
    /// `get_score_cv_bags` on the full test set): each fold's predictions clipped and
    /// renormalised, then averaged.
    static func baggedTest(_ foldPredictions: [Predictions]) -> Predictions {
        averageOverFolds(foldPredictions.map(RampNormalization.normalized))
    }
}
