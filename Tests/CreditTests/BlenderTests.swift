import SyntheticWorkloads
import ScoreTypes
import Testing

@testable import Credit

struct BlenderTests {
    /// A two-class problem with one fold over all rows.
    static func twoClassProblem(submissions: [[[Double]]], truth: [Int]) -> BlendingProblem {
        let fold = BlendingFold(validationRows: Array(truth.indices))
        return BlendingProblem(
            trainingTruth: .classes(truth, classCount: 2), testTruth: .classes(truth, classCount: 2), folds: [fold],
            submissions: submissions.map { rows in
                let predictions = Predictions.probabilities(ProbabilityMatrix(rows: rows, classCount: 2))
                return [SubmissionFoldPredictions(validation: predictions, test: predictions)]
            })
    }

    @Test func singleSubmission() throws {
        let problem = SyntheticProblem.classification(
            submissions: 1, folds: 4, rows: 200, classes: 3, testRows: 50, seed: 11)
        for scoreType in [LogLoss(epsilon: 1e-15), Accuracy()] as [any ScoreType] {
            let result = try Blender(scoreType: scoreType).blend(problem)
            #expect(result.ensembles == [[0], [0], [0], [0]])
            #expect(result.contributivities == [1])
            #expect(result.contributivityPercentages == [100])
            #expect(result.combined.test == result.foldwiseBest.test)
            #expect(abs(result.combined.validation - result.foldwiseBest.validation) < 1e-12)
        }
    }

    @Test func identicalSubmissionsCreditTheOldest() throws {
        let single = SyntheticProblem.classification(
            submissions: 1, folds: 3, rows: 150, classes: 2, testRows: 40, seed: 12)
        var problem = single
        problem.submissions = Array(repeating: single.submissions[0], count: 5)
        for scoreType in [LogLoss(epsilon: 1e-15), ROCAUC(), BalancedAccuracy(adjusted: true)] as [any ScoreType] {
            let result = try Blender(scoreType: scoreType).blend(problem)
            #expect(result.ensembles == [[0], [0], [0]])
            #expect(result.contributivities == [1, 0, 0, 0, 0])
            #expect(result.contributivityPercentages == [100, 0, 0, 0, 0])
        }
    }

    @Test func complementaryRegressionSubmissionsAreBothSelected() throws {
        let truth = [1.0, 2, 3, 4, 5, 6]
        let fold = BlendingFold(validationRows: Array(truth.indices))
        let problem = BlendingProblem(
            trainingTruth: .values(truth), testTruth: .values(truth), folds: [fold],
            submissions: [truth.map { $0 + 1 }, truth.map { $0 - 1 }, truth.map { $0 + 3 }].map { values in
                [SubmissionFoldPredictions(validation: .values(values), test: .values(values))]
            })
        let result = try Blender(scoreType: RootMeanSquaredError()).blend(problem)
        #expect(result.ensembles == [[0, 1]])
        #expect(result.contributivities == [0.5, 0.5, 0])
        #expect(result.combined == BaggedScores(validation: 0, test: 0))
        #expect(result.foldwiseBest == BaggedScores(validation: 1, test: 1))
    }

    @Test func maximumEnsembleSizeStopsGrowth() throws {
        let problem = SyntheticProblem.classification(
            submissions: 20, folds: 2, rows: 300, classes: 3, testRows: 30, seed: 13)
        let parameters = BlendingParameters(maximumEnsembleSize: 3)
        let result = try Blender(scoreType: LogLoss(epsilon: 1e-15), parameters: parameters).blend(problem)
        #expect(result.ensembles.allSatisfy { $0.count <= 3 })
        #expect(result.ensembles.contains { $0.count == 3 })
        let single = try Blender(scoreType: LogLoss(), parameters: BlendingParameters(maximumEnsembleSize: 1)).blend(problem)
        #expect(single.ensembles.allSatisfy { $0.count == 1 })
    }

    @Test func tiesGoToTheOldestSubmission() throws {
        // Submissions 1 and 2 are the same and better than 0; 1 comes first.
        let good: [[Double]] = [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.1, 0.9]]
        let poor: [[Double]] = [[0.6, 0.4], [0.5, 0.5], [0.5, 0.5], [0.4, 0.6]]
        let problem = Self.twoClassProblem(submissions: [poor, good, good], truth: [0, 1, 0, 1])
        let result = try Blender(scoreType: LogLoss(epsilon: 1e-15)).blend(problem)
        #expect(result.ensembles == [[1]])
    }

    @Test func malformedProblemsAreRejected() throws {
        let problem = SyntheticProblem.classification(
            submissions: 2, folds: 2, rows: 40, classes: 3, testRows: 10, seed: 14)
        let blender = Blender(scoreType: Accuracy())
        var noSubmissions = problem
        noSubmissions.submissions = []
        #expect(throws: BlendingError.noSubmissions) { try blender.blend(noSubmissions) }
        var noFolds = problem
        noFolds.folds = []
        noFolds.submissions = problem.submissions.map { _ in [] }
        #expect(throws: BlendingError.noFolds) { try blender.blend(noFolds) }
        var missingFold = problem
        missingFold.submissions[1].removeLast()
        #expect(throws: BlendingError.self) { try blender.blend(missingFold) }
        var badRow = problem
        badRow.folds[0].validationRows[0] = 40
        #expect(throws: BlendingError.self) { try blender.blend(badRow) }
        var wrongKind = problem
        wrongKind.submissions[0][0].test = .values([Double](repeating: 0, count: 10))
        #expect(throws: BlendingError.self) { try blender.blend(wrongKind) }
        var notFinite = problem
        if case .probabilities(var matrix) = notFinite.submissions[1][1].validation {
            matrix[0, 0] = .nan
            notFinite.submissions[1][1].validation = .probabilities(matrix)
        }
        #expect(throws: BlendingError.nonFinitePrediction(submission: 1, fold: 1)) { try blender.blend(notFinite) }
        let noMembers = Blender(scoreType: Accuracy(), parameters: BlendingParameters(maximumEnsembleSize: 0))
        #expect(throws: BlendingError.self) { try noMembers.blend(problem) }
    }

    @Test func scoreTypeErrorsPropagate() {
        // ROC AUC is undefined on a fold with a single class.
        let problem = Self.twoClassProblem(submissions: [[[0.4, 0.6], [0.3, 0.7]]], truth: [1, 1])
        #expect(throws: ScoreTypeError.self) { try Blender(scoreType: ROCAUC()).blend(problem) }
    }

    @Test func percentagesRoundHalfToEven() {
        #expect(ContributivityShares.percentages([0.125, 0.375, 0.5]) == [12, 38, 50])
        // Rounded percentages need not sum to 100 (here 8 x 12).
        #expect(ContributivityShares.percentages([Double](repeating: 0.125, count: 8)) == [Int](repeating: 12, count: 8))
    }

    @Test func pairwiseSumMatchesNumpy() {
        // numpy: np.sum([1e16] + [1.0] * 9) == 1e16 + 8, np.sum([1e16, 1, 1]) == 1e16.
        let ten = [1e16] + [Double](repeating: 1, count: 9)
        let three = [1e16, 1, 1]
        #expect(ten.withUnsafeBufferPointer { RampNormalization.pairwiseSum($0.baseAddress!, count: 10) } == 1e16 + 8)
        #expect(three.withUnsafeBufferPointer { RampNormalization.pairwiseSum($0.baseAddress!, count: 3) } == 1e16)
    }
}

/// Test predictions kept apart (a large test set): the blend reads each member's bagged test
/// predictions once; when a submission's fold models predict the test rows alike, its blend is
/// the blend of the test predictions held in memory.
struct TestPredictionsKeptApartTests {
    @Test func theBlendOfBaggedTestPredictionsIsTheInMemoryBlendWhenFoldsAgree() throws {
        var problem = SyntheticProblem.classification(submissions: 8, folds: 3, rows: 240, classes: 4, testRows: 90, seed: 21)
        // Each submission's fold models give its first fold's test predictions.
        problem.submissions = problem.submissions.map { folds in
            folds.map { SubmissionFoldPredictions(validation: $0.validation, test: folds[0].test) }
        }
        let inMemory = try Blender(scoreType: LogLoss(epsilon: 1e-15)).blend(problem)
        var apart = problem
        apart.submissions = problem.submissions.map { folds in folds.map { SubmissionFoldPredictions(validation: $0.validation, test: nil) } }
        var read: [Int] = []
        let blended = try Blender(scoreType: LogLoss(epsilon: 1e-15)).blend(apart) { index in
            read.append(index)
            return problem.submissions[index][0].test!
        }
        #expect(blended.ensembles == inMemory.ensembles)
        #expect(blended.contributivities == inMemory.contributivities)
        #expect(blended.combined.validation == inMemory.combined.validation, "validation scores are RAMP's either way")
        #expect(abs(blended.combined.test - inMemory.combined.test) < 1e-12)
        #expect(abs(blended.foldwiseBest.test - inMemory.foldwiseBest.test) < 1e-12)
        let members = Set(inMemory.ensembles.flatMap { $0 })
        #expect(read == members.sorted(), "only the members' test predictions are read, once each")
        #expect(throws: BlendingError.self) { try Blender(scoreType: LogLoss(epsilon: 1e-15)).blend(apart) }
    }
}
