import ScoreTypes
import Testing

/// Every score type against the values scikit-learn (and the numpy references) computed for
/// the inputs of `Vectors/vectors.json`, to 1e-12 relative tolerance. The Swift code and
/// scikit-learn add the same numbers in possibly different orders (numpy sums pairwise), so
/// results may differ in the last bits, far below this tolerance; exact zeros must be exact.
@Suite("Reference vectors")
struct ReferenceVectorTests {
    static let vectors: ReferenceVectors? = try? ReferenceVectors.load()

    @Test("the vector file loads and covers every score type")
    func vectorFileCoversEveryScoreType() throws {
        let vectors = try ReferenceVectors.load()
        #expect(vectors.versions["scikit-learn"] != nil)
        let keys = Set(vectors.classification.flatMap(\.expected.keys))
            .union(vectors.regression.flatMap(\.expected.keys))
        for name in ScoreTypes.allNames {
            #expect(keys.contains(name), "no reference value for \(name)")
        }
        #expect(vectors.classification.count >= 10)
        #expect(vectors.regression.count >= 5)
    }

    @Test("classification scores match scikit-learn", arguments: vectors?.classification ?? [])
    func classification(_ testCase: ReferenceVectors.ClassificationCase) throws {
        for (key, expected) in testCase.expected.sorted(by: { $0.key < $1.key }) {
            let scoreType = try #require(
                ReferenceVectors.classificationScoreType(key: key, for: testCase), "unknown key \(key)")
            try check(
                scoreType, key: key, expected: expected, truth: testCase.groundTruth,
                predictions: testCase.predictions)
        }
    }

    @Test(
        "default log loss equals scikit-learn's on rows that sum to 1",
        arguments: (vectors?.classification ?? []).filter(\.rowsSumToOne))
    func defaultLogLossMatchesInstalledScikitLearn(_ testCase: ReferenceVectors.ClassificationCase) throws {
        let expected = try #require(testCase.expected["log_loss_sklearn"] ?? nil)
        let actual = try LogLoss().score(truth: testCase.groundTruth, predictions: testCase.predictions)
        #expect(isClose(actual, expected), "\(actual) vs scikit-learn \(expected)")
    }

    @Test("regression scores match scikit-learn", arguments: vectors?.regression ?? [])
    func regression(_ testCase: ReferenceVectors.RegressionCase) throws {
        for (key, expected) in testCase.expected.sorted(by: { $0.key < $1.key }) {
            try check(
                ScoreTypes.named(key), key: key, expected: expected,
                truth: .values(testCase.truth), predictions: .values(testCase.predictions))
        }
    }

    private func check(
        _ scoreType: any ScoreType, key: String, expected: Double?, truth: GroundTruth, predictions: Predictions
    ) throws {
        guard let expected else {
            let error = #expect(throws: ScoreTypeError.self, "\(key) should be undefined") {
                try scoreType.score(truth: truth, predictions: predictions)
            }
            if let error, case .undefined = error {
            } else {
                Issue.record("\(key): expected ScoreTypeError.undefined, got \(String(describing: error))")
            }
            return
        }
        let actual = try scoreType.score(truth: truth, predictions: predictions)
        #expect(isClose(actual, expected), "\(key): \(actual) vs reference \(expected)")
        #expect(scoreType.range.contains(actual), "\(key): \(actual) outside the type's range \(scoreType.range)")
    }
}
