import ScoreTypes
import Testing

@Suite("Bagging")
struct BaggingTests {
    @Test("k-fold validation predictions are put back in row order")
    func disjointFoldsAreReordered() {
        let combined = combineOutOfFold(
            rowCount: 5,
            foldRows: [[3, 0], [4, 1, 2]],
            foldPredictions: [.values([30, 0]), .values([40, 10, 20])])
        #expect(combined.rows == [0, 1, 2, 3, 4])
        #expect(combined.predictions == .values([0, 10, 20, 30, 40]))
    }

    @Test("rows predicted by several folds are averaged and unpredicted rows left out")
    func shuffleSplitRowsAreAveragedAndMissingRowsDropped() {
        let first = ProbabilityMatrix(rows: [[0.5, 0.5], [1, 0]], classCount: 2)
        let second = ProbabilityMatrix(rows: [[0, 1], [0.25, 0.75]], classCount: 2)
        let third = ProbabilityMatrix(rows: [[0.75, 0.25]], classCount: 2)
        let combined = combineOutOfFold(
            rowCount: 6,
            foldRows: [[1, 4], [4, 2], [4]],
            foldPredictions: [.probabilities(first), .probabilities(second), .probabilities(third)])
        #expect(combined.rows == [1, 2, 4])
        // Row 4: mean of [1, 0], [0, 1] and [0.75, 0.25].
        let expected = ProbabilityMatrix(
            rows: [[0.5, 0.5], [0.25, 0.75], [1.75 / 3, 1.25 / 3]], classCount: 2)
        #expect(combined.predictions == .probabilities(expected))
    }

    @Test("a fold with no validation rows contributes nothing")
    func emptyFoldIsIgnored() {
        let combined = combineOutOfFold(
            rowCount: 3, foldRows: [[], [2]], foldPredictions: [.values([]), .values([7])])
        #expect(combined.rows == [2])
        #expect(combined.predictions == .values([7]))
    }

    @Test("test predictions are averaged over fold models element-wise")
    func averageOverFoldsAveragesElementWise() {
        let folds: [Predictions] = [
            .probabilities(ProbabilityMatrix(rows: [[1, 0, 0], [0.5, 0.25, 0.25]], classCount: 3)),
            .probabilities(ProbabilityMatrix(rows: [[0, 1, 0], [0.5, 0.5, 0]], classCount: 3)),
        ]
        let expected = ProbabilityMatrix(rows: [[0.5, 0.5, 0], [0.5, 0.375, 0.125]], classCount: 3)
        #expect(averageOverFolds(folds) == .probabilities(expected))
        #expect(averageOverFolds([.values([1, 2]), .values([2, 4]), .values([6, 0])]) == .values([3, 2]))
    }

    @Test("a single fold is returned unchanged")
    func singleFoldIsUnchanged() {
        let only = Predictions.values([1.5, -2])
        #expect(averageOverFolds([only]) == only)
        let combined = combineOutOfFold(rowCount: 2, foldRows: [[0, 1]], foldPredictions: [only])
        #expect(combined.predictions == only)
        #expect(combined.rows == [0, 1])
    }

    @Test("scoring the combined out-of-fold predictions uses only the predicted rows")
    func combinedPredictionsScoreAgainstSelectedTruth() throws {
        let truth = [0, 1, 1, 0]
        let combined = combineOutOfFold(
            rowCount: 4,
            foldRows: [[0], [3, 1]],
            foldPredictions: [
                .probabilities(ProbabilityMatrix(rows: [[0.9, 0.1]], classCount: 2)),
                .probabilities(ProbabilityMatrix(rows: [[0.2, 0.8], [0.3, 0.7]], classCount: 2)),
            ])
        #expect(combined.rows == [0, 1, 3])
        let selectedTruth = GroundTruth.classes(combined.rows.map { truth[$0] }, classCount: 2)
        // Rows 0, 1, 3: argmax 0, 1, 1 against truth 0, 1, 0.
        #expect(try Accuracy().score(truth: selectedTruth, predictions: combined.predictions) == 2.0 / 3.0)
    }
}
