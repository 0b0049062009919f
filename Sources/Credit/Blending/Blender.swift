import ScoreTypes

/// Blends a question's submissions as RAMP does: per fold, greedy forward ensemble selection
/// with replacement; then contributivities and the bagged scores of the ensembles.
///
/// On each fold the ensemble starts with the best single submission; each step adds the
/// submission (repeats allowed) whose inclusion in the unweighted mean of the members gives
/// the best official score, provided that it beats the current score by more than
/// ``BlendingParameters/minimumImprovement``; ties go to the lowest index (the oldest
/// submission); the ensemble stops growing at ``BlendingParameters/maximumEnsembleSize``
/// members. Class probabilities are clipped to `[1e-15, 1 - 1e-15]` and renormalised per
/// submission before they are averaged.
///
/// Sources: Caruana, Niculescu-Mizil, Crew and Ksikes 2004, "Ensemble selection from libraries
/// of models" (ICML); ramp-workflow 0.7.0, `rampwf/utils/combine.py` (`blend_on_fold`,
/// `get_score_cv_bags`), the multi-class `combine` of `rampwf/prediction_types/multiclass.py`
/// and `blend_submissions` in `rampwf/utils/testing.py`, whose results this reproduces.
///
/// Performance: the ensemble's running sum is kept instead of re-averaging for every
/// candidate, candidates are scored in parallel, and `LogLoss` (epsilon up to 1e-6) is
/// screened with a bounded estimate so that only candidates the bound cannot rule out are
/// scored exactly: the ensembles and scores are those of scoring every candidate exactly.
/// The work is CPU-bound and synchronous: call it off the main actor.
public struct Blender: Sendable {
    /// The official score type of the question, which selection optimises.
    public let scoreType: any ScoreType
    /// The blending parameters.
    public let parameters: BlendingParameters
    /// Whether recognised score types are screened (internal: tests compare both ways).
    let allowsScreening: Bool

    /// Creates a blender for a question's official score type.
    public init(scoreType: any ScoreType, parameters: BlendingParameters = BlendingParameters()) {
        self.init(scoreType: scoreType, parameters: parameters, allowsScreening: true)
    }

    /// Creates a blender, choosing whether screening is allowed.
    init(scoreType: any ScoreType, parameters: BlendingParameters, allowsScreening: Bool) {
        self.scoreType = scoreType
        self.parameters = parameters
        self.allowsScreening = allowsScreening
    }

    /// Blends every submission of `problem`: the folds' ensembles, the contributivities and
    /// the bagged scores of the combined and of the foldwise-best predictions.
    /// - Returns: ensembles index `problem.submissions`; scores are in the official score's units.
    /// - Throws: ``BlendingError`` when the problem is malformed (no folds or submissions,
    ///   shapes that do not match, non-finite predictions, unusable parameters);
    ///   `ScoreTypeError` when the score type cannot score a fold (for example ROC AUC on
    ///   a fold with a single class).
    ///
    /// When the problem's test predictions are kept apart (``SubmissionFoldPredictions/test``
    /// nil), `baggedTest` gives a submission's bagged test predictions (by index), read only for
    /// the ensembles' members, once each: the blends' test predictions are then each member's
    /// bagged predictions (clipped and renormalised) weighted by its share of the folds'
    /// ensembles (its contributivity; for the foldwise best, the share of folds it heads), which
    /// holds one member's predictions and two sums at a time. RAMP averages each fold's
    /// ensemble of that fold's models instead: the two agree when a member's folds predict
    /// alike, and the validation scores are RAMP's either way.
    /// - Throws: as above; what `baggedTest` throws; ``BlendingError/shapeMismatch(_:)`` when
    ///   test predictions are kept apart and `baggedTest` is nil.
    public func blend(_ problem: BlendingProblem, baggedTest: ((Int) throws -> Predictions)? = nil) throws -> BlendingResult {
        try BlendingValidation.check(problem, parameters: parameters)
        let keptApart = problem.submissions.contains { $0.contains { $0.test == nil } }
        if keptApart, baggedTest == nil {
            throw BlendingError.shapeMismatch("test predictions are kept apart but no way to read them was given")
        }
        var ensembles: [[Int]] = []
        var combinedValidation: [Predictions] = []
        var combinedTest: [Predictions] = []
        var bestValidation: [Predictions] = []
        var bestTest: [Predictions] = []
        for (foldIndex, fold) in problem.folds.enumerated() {
            let onFold = problem.submissions.map { $0[foldIndex] }
            let candidates = FoldCandidates(
                truth: problem.trainingTruth.selecting(rows: fold.validationRows), predictions: onFold.map(\.validation))
            let ensemble = try selector.select(from: candidates)
            ensembles.append(ensemble)
            combinedValidation.append(PredictionAveraging.combine(ensemble.map { onFold[$0].validation }))
            bestValidation.append(onFold[ensemble[0]].validation)
            if !keptApart {
                combinedTest.append(PredictionAveraging.combine(ensemble.map { onFold[$0].test! }))
                bestTest.append(onFold[ensemble[0]].test!)
            }
        }
        let contributivities = ContributivityShares.contributivities(
            ensembles: ensembles, submissionCount: problem.submissions.count)
        var combinedTestPredictions: Predictions
        var bestTestPredictions: Predictions
        if keptApart, let baggedTest {
            let best = ContributivityShares.contributivities(ensembles: ensembles.map { [$0[0]] }, submissionCount: problem.submissions.count)
            (combinedTestPredictions, bestTestPredictions) = try PredictionAveraging.weighted(
                [contributivities, best], of: baggedTest, rowCount: problem.testTruth.rowCount)
        } else {
            combinedTestPredictions = PredictionAveraging.baggedTest(combinedTest)
            bestTestPredictions = PredictionAveraging.baggedTest(bestTest)
        }
        return BlendingResult(
            ensembles: ensembles,
            contributivities: contributivities,
            contributivityPercentages: ContributivityShares.percentages(contributivities),
            combined: try baggedScores(validation: combinedValidation, test: combinedTestPredictions, problem: problem),
            foldwiseBest: try baggedScores(validation: bestValidation, test: bestTestPredictions, problem: problem),
            combinedTestPredictions: combinedTestPredictions,
            foldwiseBestTestPredictions: bestTestPredictions)
    }

    /// The ensemble of one fold (ramp-workflow's `blend_on_fold`).
    /// - Parameters:
    ///   - candidates: every submission's validation predictions on the fold, in submission
    ///     order, all of one kind and shape, rows in the order of `truth`.
    ///   - truth: the fold's validation truth.
    /// - Returns: member indices into `candidates` in the order they were added, repeats
    ///   allowed; the first is the best single candidate.
    /// - Throws: ``BlendingError`` for no candidates, mismatched shapes or non-finite
    ///   predictions; what the score type throws.
    public func selectEnsemble(candidates: [Predictions], truth: GroundTruth) throws -> [Int] {
        let problem = BlendingProblem(
            trainingTruth: truth, testTruth: truth,
            folds: [BlendingFold(validationRows: Array(0..<truth.rowCount))],
            submissions: candidates.map { [SubmissionFoldPredictions(validation: $0, test: $0)] })
        try BlendingValidation.check(problem, parameters: parameters)
        return try selector.select(from: FoldCandidates(truth: truth, predictions: candidates))
    }

    private var selector: EnsembleSelector {
        EnsembleSelector(scoreType: scoreType, parameters: parameters, allowsScreening: allowsScreening)
    }

    /// Bagged validation (out-of-fold) scores of per-fold predictions, and the test score of
    /// the bagged test predictions.
    private func baggedScores(
        validation: [Predictions], test: Predictions, problem: BlendingProblem
    ) throws -> BaggedScores {
        BaggedScores(
            validation: try PredictionAveraging.validationScore(
                validation, folds: problem.folds, truth: problem.trainingTruth, scoreType: scoreType),
            test: try scoreType.score(truth: problem.testTruth, predictions: test))
    }
}

extension Blender {
    /// The mean of `predictions` as the ensembles combine them (ramp-workflow's
    /// `Predictions.combine`: probability rows clipped to [1e-15, 1 - 1e-15] and renormalised
    /// first; values averaged as they are), for applying an ensemble to new rows.
    /// - Precondition: at least one prediction; all of one kind and shape.
    public static func combine(_ predictions: [Predictions]) -> Predictions {
        PredictionAveraging.combine(predictions)
    }
}
