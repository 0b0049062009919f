import ScoreTypes
import Testing

/// Small cases whose values can be worked out by hand, as a readable complement to the
/// reference vectors.
@Suite("Hand-computed scores")
struct HandComputedScoreTests {
    private func binary(_ positiveScores: [Double]) -> Predictions {
        .probabilities(ProbabilityMatrix(rows: positiveScores.map { [1 - $0, $0] }, classCount: 2))
    }

    @Test("ROC AUC of scikit-learn's documentation example is 0.75")
    func rocAUCDocumentationExample() throws {
        let score = try ROCAUC().score(
            truth: .classes([0, 0, 1, 1], classCount: 2),
            predictions: binary([0.1, 0.4, 0.35, 0.8]))
        #expect(score == 0.75)
    }

    @Test("ROC AUC gives tied positive-negative pairs half credit")
    func rocAUCTies() throws {
        // Pairs (positive, negative): (0.5, 0.5) tie = 1/2, the other three are ordered = 1.
        let score = try ROCAUC().score(
            truth: .classes([0, 1, 0, 1], classCount: 2),
            predictions: binary([0.5, 0.5, 0.25, 0.875]))
        #expect(score == 3.5 / 4)
    }

    @Test("argmax ties go to the first column")
    func argmaxTies() throws {
        let predictions = binary([0.5, 0.5])
        #expect(try Accuracy().score(truth: .classes([0, 1], classCount: 2), predictions: predictions) == 0.5)
        #expect(try F1().score(truth: .classes([0, 1], classCount: 2), predictions: predictions) == 0)
    }

    @Test("log loss clips a zero probability to epsilon")
    func logLossClipping() throws {
        let truth = GroundTruth.classes([0], classCount: 2)
        let certainWrong = binary([1])
        let rampworkflow = try LogLoss(epsilon: 1e-15, rowNormalization: .none).score(truth: truth, predictions: certainWrong)
        #expect(isClose(rampworkflow, 34.538776394910684))  // -ln(1e-15)
        let perfect = try LogLoss().score(truth: .classes([1], classCount: 2), predictions: certainWrong)
        #expect(perfect > 0 && perfect < 1e-15)
    }

    @Test("log loss renormalisation: all-ones rows are not a perfect score")
    func logLossAllOnes() throws {
        let truth = GroundTruth.classes([0, 1], classCount: 2)
        let allOnes = Predictions.probabilities(ProbabilityMatrix(rows: [[1, 1], [1, 1]], classCount: 2))
        #expect(isClose(try LogLoss().score(truth: truth, predictions: allOnes), 0.6931471805599453))
        #expect(try LogLoss(rowNormalization: .none).score(truth: truth, predictions: allOnes) < 1e-15)
    }

    @Test("PLAsTiCC log loss weights classes, not rows")
    func plasticcWeightsClasses() throws {
        // Class 0: two rows at p = 1/2; class 1: one row at p = 1/4 (rows already normalised).
        let predictions = Predictions.probabilities(
            ProbabilityMatrix(rows: [[0.5, 0.5], [0.5, 0.5], [0.75, 0.25]], classCount: 2))
        let truth = GroundTruth.classes([0, 0, 1], classCount: 2)
        let unweighted = try PlasticcLogLoss().score(truth: truth, predictions: predictions)
        #expect(isClose(unweighted, (0.6931471805599453 + 1.3862943611198906) / 2))
        let weighted = try PlasticcLogLoss(classWeights: [1, 3]).score(truth: truth, predictions: predictions)
        #expect(isClose(weighted, (0.6931471805599453 + 3 * 1.3862943611198906) / 4))
    }

    @Test("a class absent from the truth counts in neither PLAsTiCC sum")
    func plasticcAbsentClass() throws {
        let predictions = Predictions.probabilities(
            ProbabilityMatrix(rows: [[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]], classCount: 3))
        let truth = GroundTruth.classes([0, 2], classCount: 3)
        let score = try PlasticcLogLoss(classWeights: [1, 100, 1]).score(truth: truth, predictions: predictions)
        #expect(isClose(score, 0.6931471805599453))
    }

    @Test("Brier score: binary uses the second column, multi-class sums over classes")
    func brierScore() throws {
        let binaryScore = try BrierScore().score(truth: .classes([1, 0], classCount: 2), predictions: binary([0.75, 0.5]))
        #expect(binaryScore == (0.0625 + 0.25) / 2)
        let threeClasses = Predictions.probabilities(ProbabilityMatrix(rows: [[0.5, 0.25, 0.25]], classCount: 3))
        let multiScore = try BrierScore().score(truth: .classes([1], classCount: 3), predictions: threeClasses)
        #expect(multiScore == 0.25 + 0.5625 + 0.0625)
    }

    @Test("regression scores on a tiny example")
    func regression() throws {
        let truth = GroundTruth.values([1, 2, 3, 4])
        let predictions = Predictions.values([1, 2, 3, 2])
        // Squared errors 0, 0, 0, 4; squared deviations from the mean 2.5 sum to 5.
        #expect(try RootMeanSquaredError().score(truth: truth, predictions: predictions) == 1)
        #expect(try MeanAbsoluteError().score(truth: truth, predictions: predictions) == 0.5)
        #expect(isClose(try CoefficientOfDetermination().score(truth: truth, predictions: predictions), 0.2))
    }
}
