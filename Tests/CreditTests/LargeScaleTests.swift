import Foundation
import ScoreTypes
import Testing

@testable import Credit

/// Slow checks at the project's scale, run on demand (release mode recommended):
/// `CREDIT_LARGE_TESTS=1 swift test -c release -Xswiftc -enable-testing --filter LargeScaleTests`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CREDIT_LARGE_TESTS"] != nil))
struct LargeScaleTests {
    /// Screening agrees with scoring every candidate exactly on long ensembles.
    @Test func screeningAgreesWithExhaustiveScoringOnLongEnsembles() throws {
        let problem = SyntheticProblem.classification(
            submissions: 300, folds: 2, rows: 6000, classes: 3, testRows: 200, seed: 31, awkwardRows: true,
            sharedNoise: 0.2, ownNoise: 2.0, qualities: 1.5...2.0)
        let logLoss = LogLoss(epsilon: 1e-15)
        let screened = try Blender(scoreType: logLoss, parameters: BlendingParameters(), allowsScreening: true)
            .blend(problem)
        let exhaustive = try Blender(scoreType: logLoss, parameters: BlendingParameters(), allowsScreening: false)
            .blend(problem)
        #expect(screened == exhaustive)
        #expect(screened.ensembles.allSatisfy { $0.count > 20 }, "\(screened.ensembles.map(\.count))")
    }

    /// The full recompute the project needs: 1000 submissions x 5 folds x 10,000 validation
    /// rows x 3 classes with log loss, under 10 s on 2 cores.
    @Test func fullRecomputeIsFastEnough() throws {
        let problem = SyntheticProblem.classification(
            submissions: 1000, folds: 5, rows: 50_000, classes: 3, testRows: 1000, seed: 32,
            sharedNoise: 0.2, ownNoise: 2.0, qualities: 1.5...2.0)
        #expect(problem.folds.allSatisfy { $0.validationRows.count == 10_000 })
        let start = Date()
        let result = try Blender(scoreType: LogLoss(epsilon: 1e-15)).blend(problem)
        let elapsed = Date().timeIntervalSince(start)
        print("blend of 1000 x 5 x 10000 x 3: \(elapsed) s, ensemble sizes \(result.ensembles.map(\.count))")
        #expect(elapsed < 10)
    }
}
