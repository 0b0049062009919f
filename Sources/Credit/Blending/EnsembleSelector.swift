import ScoreTypes

/// Greedy forward ensemble selection with replacement on one fold (internal): ramp-workflow
/// 0.7.0's `blend_on_fold` and `_get_next_best_submission`, after Caruana et al. 2004.
struct EnsembleSelector: Sendable {
    /// The official score type.
    let scoreType: any ScoreType
    /// Blending parameters.
    let parameters: BlendingParameters
    /// Whether a recognised score type may be screened with a fast estimate (the result is
    /// the same either way; tests turn it off to compare).
    let allowsScreening: Bool

    /// The fold's ensemble: member indices in the order they were added, repeats allowed.
    /// - Throws: what the score type throws.
    func select(from candidates: FoldCandidates) throws -> [Int] {
        let evaluator = ExactEvaluator(scoreType: scoreType, candidates: candidates)
        let first = Self.indexOfBest(try evaluator.singleScores(), isLowerBetter: scoreType.isLowerBetter)
        var ensemble = [first]
        var sums = EnsembleSums(for: candidates)
        sums.add(first, of: candidates)
        var workspace = ExactEvaluator.Workspace(for: candidates)
        // ramp-workflow rescores the ensemble after combining it, clipped and renormalised.
        var currentScore = try evaluator.score(sums: sums, adding: nil, workspace: &workspace)
        let screening = allowsScreening ? LogLossScreening(scoreType: scoreType, candidates: candidates) : nil
        while ensemble.count < parameters.maximumEnsembleSize {
            let addition =
                if let screening {
                    try screenedAddition(screening, evaluator: evaluator, sums: sums, currentScore: currentScore)
                } else {
                    try exhaustiveAddition(evaluator: evaluator, sums: sums, currentScore: currentScore)
                }
            guard let addition else { break }
            ensemble.append(addition.index)
            sums.add(addition.index, of: candidates)
            currentScore = addition.score
        }
        return ensemble
    }

    /// `numpy.argmin` / `numpy.argmax`: the first best index, or the first NaN if any.
    static func indexOfBest(_ scores: [Double], isLowerBetter: Bool) -> Int {
        if let firstNaN = scores.firstIndex(where: \.isNaN) { return firstNaN }
        var best = 0
        for index in scores.indices.dropFirst() {
            let isBetter = isLowerBetter ? scores[index] < scores[best] : scores[index] > scores[best]
            if isBetter { best = index }
        }
        return best
    }

    /// ramp-workflow's acceptance test: strictly better than `reference` by more than the
    /// minimum improvement.
    func isImprovement(_ score: Double, over reference: Double) -> Bool {
        scoreType.isLowerBetter
            ? score < reference - parameters.minimumImprovement
            : score > reference + parameters.minimumImprovement
    }

    /// One step with every candidate scored exactly: in index order, a candidate replaces the
    /// running best when it improves on it by more than the minimum improvement.
    private func exhaustiveAddition(
        evaluator: ExactEvaluator, sums: EnsembleSums, currentScore: Double
    ) throws -> (index: Int, score: Double)? {
        let scores = try evaluator.scores(sums: sums, adding: Array(0..<evaluator.candidates.count))
        var best: (index: Int, score: Double)?
        var reference = currentScore
        for (index, score) in scores.enumerated() where isImprovement(score, over: reference) {
            best = (index, score)
            reference = score
        }
        return best
    }

    /// The same step as ``exhaustiveAddition(evaluator:sums:currentScore:)`` with the same
    /// result, scoring exactly only the candidates that the estimate's bounds cannot rule out.
    private func screenedAddition(
        _ screening: LogLossScreening, evaluator: ExactEvaluator, sums: EnsembleSums, currentScore: Double
    ) throws -> (index: Int, score: Double)? {
        let (estimates, bounds) = try screening.estimates(sums: sums)
        let lowest = zip(estimates, bounds).map { $0 - $1 }
        let minimumImprovement = parameters.minimumImprovement
        if minimumImprovement == 0 {
            // The step picks the first candidate of minimal exact score, when it beats the
            // current score; any other candidate is irrelevant.
            let ceiling = zip(estimates, bounds).map { $0 + $1 }.min() ?? .infinity
            let plausible = lowest.indices.filter { lowest[$0] <= ceiling && lowest[$0] < currentScore }
            let scores = try evaluator.scores(sums: sums, adding: plausible)
            var best: (index: Int, score: Double)?
            var reference = currentScore
            for (index, score) in zip(plausible, scores) where isImprovement(score, over: reference) {
                best = (index, score)
                reference = score
            }
            return best
        }
        // With a minimum improvement the outcome depends on the order of acceptances: replay
        // them, scoring exactly every candidate that might be accepted at its turn.
        var workspace = ExactEvaluator.Workspace(for: evaluator.candidates)
        var best: (index: Int, score: Double)?
        var reference = currentScore
        for index in lowest.indices where lowest[index] < reference - minimumImprovement {
            let score = try evaluator.score(sums: sums, adding: index, workspace: &workspace)
            if isImprovement(score, over: reference) {
                best = (index, score)
                reference = score
            }
        }
        return best
    }
}
