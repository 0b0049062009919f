import Foundation
import ScoreTypes
import Testing

@testable import Credit

/// Every shared contributivity case, for every score type in it, reproduces what
/// ramp-workflow 0.7.0 computed.
struct ContributivityCaseTests {
    static let tolerance = 1e-9

    @Test func theSharedCasesArePresent() {
        #expect(ContributivityCase.fileNames().count >= 2, "cases in \(ContributivityCase.directory.path)")
    }

    @Test(arguments: ContributivityCase.fileNames())
    func reproducesRampWorkflow(fileName: String) throws {
        let testCase = try ContributivityCase.load(fileName)
        let problem = testCase.problem()
        #expect(!testCase.expected.isEmpty)
        for (key, expected) in testCase.expected.sorted(by: { $0.key < $1.key }) {
            let scoreType = try #require(ContributivityCase.scoreType(for: key), "unknown score key \(key)")
            for allowsScreening in [true, false] {
                let blender = Blender(
                    scoreType: scoreType, parameters: testCase.parameters, allowsScreening: allowsScreening)
                let result = try blender.blend(problem)
                let label = "\(fileName) \(key) screening: \(allowsScreening)"
                #expect(result.ensembles == expected.ensembles, "\(label)")
                #expect(result.contributivityPercentages == expected.contributivityPercent, "\(label)")
                #expect(result.contributivities.count == expected.contributivity.count, "\(label)")
                for (actual, wanted) in zip(result.contributivities, expected.contributivity) {
                    #expect(abs(actual - wanted) <= Self.tolerance, "\(label) contributivity")
                }
                #expect(abs(result.combined.validation - expected.combined.valid) <= Self.tolerance, "\(label)")
                #expect(abs(result.combined.test - expected.combined.test) <= Self.tolerance, "\(label)")
                #expect(abs(result.foldwiseBest.validation - expected.foldwiseBest.valid) <= Self.tolerance, "\(label)")
                #expect(abs(result.foldwiseBest.test - expected.foldwiseBest.test) <= Self.tolerance, "\(label)")
                #expect(abs(result.contributivities.reduce(0, +) - 1) <= Self.tolerance, "\(label)")
            }
        }
    }

    @Test func selectEnsembleMatchesTheFirstFoldOfACase() throws {
        let testCase = try ContributivityCase.load("titanic-two-submissions.json")
        let problem = testCase.problem()
        let blender = Blender(scoreType: LogLoss(epsilon: 1e-15), parameters: testCase.parameters)
        let ensemble = try blender.selectEnsemble(
            candidates: problem.submissions.map { $0[0].validation },
            truth: problem.trainingTruth.selecting(rows: problem.folds[0].validationRows))
        #expect(ensemble == testCase.expected["nll"]?.ensembles[0])
    }
}
