import ScoreTypes
import Testing

@Suite("Score type errors")
struct ScoreTypeErrorTests {
    static let classificationTypes: [any ScoreType] = [
        Accuracy(), BalancedAccuracy(), ROCAUC(), LogLoss(), F1(), F1Macro(), BrierScore(), PlasticcLogLoss(),
    ]
    static let regressionTypes: [any ScoreType] = [
        RootMeanSquaredError(), MeanAbsoluteError(), CoefficientOfDetermination(),
    ]
    static let twoRows = Predictions.probabilities(ProbabilityMatrix(rows: [[0.2, 0.8], [0.6, 0.4]], classCount: 2))

    private func expectShapeMismatch(
        _ scoreType: any ScoreType, _ truth: GroundTruth, _ predictions: Predictions,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: ScoreTypeError.self, sourceLocation: sourceLocation) {
            try scoreType.score(truth: truth, predictions: predictions)
        }
        if let error, case .shapeMismatch = error { return }
        Issue.record(
            "\(scoreType.name): expected shapeMismatch, got \(String(describing: error))",
            sourceLocation: sourceLocation)
    }

    private func expectUndefined(
        _ scoreType: any ScoreType, _ truth: GroundTruth, _ predictions: Predictions,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: ScoreTypeError.self, sourceLocation: sourceLocation) {
            try scoreType.score(truth: truth, predictions: predictions)
        }
        if let error, case .undefined = error { return }
        Issue.record(
            "\(scoreType.name): expected undefined, got \(String(describing: error))",
            sourceLocation: sourceLocation)
    }

    @Test(
        "classification scores reject mismatched rows, classes and kinds",
        arguments: classificationTypes.map(\.name))
    func classificationShapeMismatch(name: String) throws {
        let scoreType = try ScoreTypes.named(name)
        expectShapeMismatch(scoreType, .classes([0, 1, 1], classCount: 2), Self.twoRows)
        expectShapeMismatch(scoreType, .classes([0, 1], classCount: 3), Self.twoRows)
        expectShapeMismatch(scoreType, .classes([0, 2], classCount: 2), Self.twoRows)
        expectShapeMismatch(scoreType, .classes([0, -1], classCount: 2), Self.twoRows)
        expectShapeMismatch(scoreType, .values([0, 1]), Self.twoRows)
        expectShapeMismatch(scoreType, .classes([0, 1], classCount: 2), .values([0, 1]))
        let oneClass = Predictions.probabilities(ProbabilityMatrix(rows: [[1], [1]], classCount: 1))
        expectShapeMismatch(scoreType, .classes([0, 0], classCount: 1), oneClass)
    }

    @Test(
        "classification scores are undefined on zero rows and non-finite probabilities",
        arguments: classificationTypes.map(\.name))
    func classificationUndefined(name: String) throws {
        let scoreType = try ScoreTypes.named(name)
        let empty = Predictions.probabilities(ProbabilityMatrix(rowCount: 0, classCount: 2, values: []))
        expectUndefined(scoreType, .classes([], classCount: 2), empty)
        let withNaN = Predictions.probabilities(ProbabilityMatrix(rows: [[0.5, .nan], [0.6, 0.4]], classCount: 2))
        expectUndefined(scoreType, .classes([0, 1], classCount: 2), withNaN)
    }

    @Test("regression scores reject mismatched rows and kinds", arguments: regressionTypes.map(\.name))
    func regressionShapeMismatch(name: String) throws {
        let scoreType = try ScoreTypes.named(name)
        expectShapeMismatch(scoreType, .values([1, 2, 3]), .values([1, 2]))
        expectShapeMismatch(scoreType, .classes([0, 1], classCount: 2), .values([1, 2]))
        expectShapeMismatch(scoreType, .values([1, 2]), Self.twoRows)
        expectUndefined(scoreType, .values([]), .values([]))
        expectUndefined(scoreType, .values([1, .infinity]), .values([1, 2]))
    }

    @Test("ROC AUC is undefined when the truth has a single class")
    func singleClassROCAUC() {
        expectUndefined(ROCAUC(), .classes([1, 1], classCount: 2), Self.twoRows)
        expectUndefined(ROCAUC(), .classes([0, 0], classCount: 2), Self.twoRows)
        let threeClasses = Predictions.probabilities(
            ProbabilityMatrix(rows: [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.1, 0.8, 0.1]], classCount: 3))
        expectUndefined(ROCAUC(), .classes([0, 1, 1], classCount: 3), threeClasses)
    }

    @Test("F1 needs two classes")
    func f1RejectsMultiClass() {
        let threeClasses = Predictions.probabilities(ProbabilityMatrix(rows: [[0.2, 0.3, 0.5]], classCount: 3))
        expectShapeMismatch(F1(), .classes([2], classCount: 3), threeClasses)
    }

    @Test("R² is undefined for one row; adjusted balanced accuracy for one class present")
    func otherUndefinedScores() {
        expectUndefined(CoefficientOfDetermination(), .values([1]), .values([2]))
        expectUndefined(BalancedAccuracy(adjusted: true), .classes([0, 0], classCount: 2), Self.twoRows)
    }

    @Test("PLAsTiCC log loss checks its class weights")
    func plasticcWeights() {
        let truth = GroundTruth.classes([0, 1], classCount: 2)
        expectShapeMismatch(PlasticcLogLoss(classWeights: [1, 1, 1]), truth, Self.twoRows)
        expectUndefined(PlasticcLogLoss(classWeights: [1, -1]), truth, Self.twoRows)
        expectUndefined(PlasticcLogLoss(classWeights: [0, 1]), .classes([0, 0], classCount: 2), Self.twoRows)
    }

    @Test("log loss normalising before clipping rejects an all-zero row")
    func zeroRowBeforeClipping() {
        let zeroRow = Predictions.probabilities(ProbabilityMatrix(rows: [[0, 0]], classCount: 2))
        expectUndefined(LogLoss(rowNormalization: .beforeClipping), .classes([0], classCount: 2), zeroRow)
        // Clipping first keeps the row positive: both classes get 1/2.
        #expect(throws: Never.self) { try LogLoss().score(truth: .classes([0], classCount: 2), predictions: zeroRow) }
    }

    @Test("errors describe themselves")
    func errorDescriptions() {
        #expect(ScoreTypeError.unknownScoreType("nope").description == "unknown score type 'nope'")
        #expect(ScoreTypeError.undefined("x").description == "score undefined: x")
    }
}
