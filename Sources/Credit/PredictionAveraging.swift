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

    /// The bagged test score of per-fold test predictions (ramp-workflow's `get_score_cv_bags`
    /// on the full test set): each fold's predictions clipped and renormalised, then averaged.
    /// - Throws: what the score type throws.
    static func testScore(
        _ foldPredictions: [Predictions], truth: GroundTruth, scoreType: any ScoreType
    ) throws -> Double {
        try scoreType.score(truth: truth, predictions: baggedTest(foldPredictions))
    }

    /// The bagged test predictions that ``testScore(_:truth:scoreType:)`` scores.
    static func baggedTest(_ foldPredictions: [Predictions]) -> Predictions {
        averageOverFolds(foldPredictions.map(RampNormalization.normalized))
    }
}

