import ScoreTypes

/// Scores ensemble means with the official score type itself (internal): the reference
/// ("generic") path that every decision of the blender rests on.
struct ExactEvaluator: Sendable {
    /// The official score type.
    let scoreType: any ScoreType
    /// The fold's candidates.
    let candidates: FoldCandidates

    /// Reusable buffers of one worker, so that scoring a candidate does not allocate.
    struct Workspace {
        /// The mean predictions, `rowCount x width`.
        var means: [Double]
        /// One normalised row.
        var row: [Double]

        /// Buffers for `candidates`' shape.
        init(for candidates: FoldCandidates) {
            means = [Double](repeating: 0, count: candidates.rowCount * candidates.width)
            row = [Double](repeating: 0, count: max(1, candidates.width))
        }
    }

    /// The official score of the mean of the ensemble summed in `sums`, with `candidate`
    /// added once when given: ramp-workflow's `combine_predictions` followed by
    /// `score_function`.
    /// - Throws: what the score type throws.
    func score(sums: EnsembleSums, adding candidate: Int?, workspace: inout Workspace) throws -> Double {
        let memberCount = sums.memberCount + (candidate == nil ? 0 : 1)
        precondition(memberCount > 0, "an ensemble needs at least one member")
        let divisor = Double(memberCount)
        let candidates = self.candidates
        workspace.means.withUnsafeMutableBufferPointer { means in
            sums.sums.withUnsafeBufferPointer { sums in
                guard let means = means.baseAddress, let sums = sums.baseAddress else { return }
                if let candidate {
                    workspace.row.withUnsafeMutableBufferPointer { scratch in
                        candidates.values[candidate].withUnsafeBufferPointer { values in
                            for row in 0..<candidates.rowCount {
                                candidates.writeMean(
                                    of: values.baseAddress!, row: row, sums: sums, divisor: divisor,
                                    scratch: scratch.baseAddress!, into: means)
                            }
                        }
                    }
                } else {
                    for index in 0..<(candidates.rowCount * candidates.width) {
                        means[index] = sums[index] / divisor
                    }
                }
            }
        }
        let predictions: Predictions =
            candidates.isProbabilities
            ? .probabilities(
                ProbabilityMatrix(rowCount: candidates.rowCount, classCount: candidates.width, values: workspace.means))
            : .values(workspace.means)
        return try scoreType.score(truth: candidates.truth, predictions: predictions)
    }

    /// The official scores of the ensemble plus each candidate in `indices`, computed in
    /// parallel; `scores[k]` belongs to `indices[k]`.
    func scores(sums: EnsembleSums, adding indices: [Int]) throws -> [Double] {
        let results = SharedArray(repeating: Double.nan, count: indices.count)
        // One workspace per range: no more ranges than workers.
        let rangeSize = max(1, indices.count / ParallelWork.workerCount)
        try ParallelWork.forEachRange(count: indices.count, minimumRangeSize: rangeSize) { range in
            var workspace = Workspace(for: candidates)
            for position in range {
                results[position] = try score(sums: sums, adding: indices[position], workspace: &workspace)
            }
        }
        return results.values
    }

    /// The official score of each candidate alone, on its raw predictions (ramp-workflow
    /// scores them so to pick an ensemble's first member), computed in parallel.
    func singleScores() throws -> [Double] {
        try ParallelWork.map(count: candidates.count, placeholder: Double.nan) { index in
            try scoreType.score(truth: candidates.truth, predictions: candidates.predictions[index])
        }
    }
}
