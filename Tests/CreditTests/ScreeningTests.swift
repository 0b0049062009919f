import SyntheticWorkloads
import ScoreTypes
import Testing

@testable import Credit

/// The log-loss screening must not change any result: it only decides which candidates are
/// scored exactly.
struct ScreeningTests {
    /// Log-loss variants that accept rows of zeros (`.beforeClipping` refuses them).
    static let logLosses: [LogLoss] = [
        LogLoss(epsilon: 1e-15), LogLoss(), LogLoss(epsilon: 1e-15, rowNormalization: .none), LogLoss(epsilon: 1e-7),
    ]

    @Test func screeningGivesTheExhaustiveResultWhenNormalizingFirst() throws {
        let problem = SyntheticProblem.classification(
            submissions: 25, folds: 3, rows: 240, classes: 3, testRows: 60, seed: 20)
        let logLoss = LogLoss(epsilon: 1e-15, rowNormalization: .beforeClipping)
        let screened = try Blender(scoreType: logLoss, parameters: BlendingParameters(), allowsScreening: true)
            .blend(problem)
        let exhaustive = try Blender(scoreType: logLoss, parameters: BlendingParameters(), allowsScreening: false)
            .blend(problem)
        #expect(screened == exhaustive)
        #expect(screened.ensembles.contains { $0.count > 1 }, "\(screened.ensembles)")
    }

    @Test(arguments: [(21, 0.0), (22, 0.0), (23, 1e-4), (24, 1e-3)] as [(UInt64, Double)])
    func screeningGivesTheExhaustiveResult(seed: UInt64, minimumImprovement: Double) throws {
        let problem = SyntheticProblem.classification(
            submissions: 25, folds: 3, rows: 240, classes: 3, testRows: 60, seed: seed, awkwardRows: true)
        let parameters = BlendingParameters(minimumImprovement: minimumImprovement, maximumEnsembleSize: 30)
        for logLoss in Self.logLosses {
            let screened = try Blender(scoreType: logLoss, parameters: parameters, allowsScreening: true).blend(problem)
            let exhaustive = try Blender(scoreType: logLoss, parameters: parameters, allowsScreening: false).blend(problem)
            #expect(screened == exhaustive, "\(logLoss.epsilon) \(logLoss.rowNormalization)")
            #expect(screened.ensembles.contains { $0.count > 3 })
        }
    }

    @Test func screeningHandlesManyClassesAndDuplicates() throws {
        var problem = SyntheticProblem.classification(
            submissions: 12, folds: 2, rows: 200, classes: 9, testRows: 20, seed: 25, awkwardRows: true)
        problem.submissions += problem.submissions.prefix(4)
        for logLoss in Self.logLosses {
            let screened = try Blender(scoreType: logLoss, parameters: BlendingParameters(), allowsScreening: true)
                .blend(problem)
            let exhaustive = try Blender(scoreType: logLoss, parameters: BlendingParameters(), allowsScreening: false)
                .blend(problem)
            #expect(screened == exhaustive)
        }
    }

    @Test func estimatesLieWithinTheirBounds() throws {
        let problem = SyntheticProblem.classification(
            submissions: 10, folds: 1, rows: 500, classes: 4, testRows: 10, seed: 26, awkwardRows: true)
        let candidates = FoldCandidates(
            truth: problem.trainingTruth.selecting(rows: problem.folds[0].validationRows),
            predictions: problem.submissions.map { $0[0].validation })
        for logLoss in Self.logLosses {
            let screening = try #require(LogLossScreening(scoreType: logLoss, candidates: candidates))
            let evaluator = ExactEvaluator(scoreType: logLoss, candidates: candidates)
            var sums = EnsembleSums(for: candidates)
            for member in [3, 7, 3] {
                sums.add(member, of: candidates)
                let (estimates, bounds) = try screening.estimates(sums: sums)
                let exact = try evaluator.scores(sums: sums, adding: Array(0..<candidates.count))
                for index in exact.indices {
                    #expect(abs(estimates[index] - exact[index]) <= bounds[index])
                    #expect(bounds[index] < (logLoss.epsilon <= 1e-15 ? 1e-9 : 1e-5))
                }
            }
        }
    }

    @Test func onlyLogLossIsScreened() {
        let problem = SyntheticProblem.classification(
            submissions: 2, folds: 1, rows: 20, classes: 2, testRows: 5, seed: 27)
        let candidates = FoldCandidates(
            truth: problem.trainingTruth.selecting(rows: problem.folds[0].validationRows),
            predictions: problem.submissions.map { $0[0].validation })
        #expect(LogLossScreening(scoreType: Accuracy(), candidates: candidates) == nil)
        #expect(LogLossScreening(scoreType: LogLoss(epsilon: 1e-3), candidates: candidates) == nil)
        #expect(LogLossScreening(scoreType: LogLoss(), candidates: candidates) != nil)
    }
}
