import Credit
import Foundation
import ScoreTypes
import Testing
@testable import Hub

/// The contributivity's cache of parsed predictions: keyed by what was evaluated, bounded.
@Suite("Prediction cache")
struct PredictionCacheTests {
    static func predictions(_ value: Double, rows: Int = 4) -> [SubmissionFoldPredictions] {
        let matrix = ProbabilityMatrix(rowCount: rows, classCount: 2, values: Array(repeating: [value, 1 - value], count: rows).flatMap { $0 })
        return [SubmissionFoldPredictions(validation: .probabilities(matrix), test: .probabilities(matrix))]
    }

    @Test func aRescoredEvaluationIsReadAgain() throws {
        let cache = PredictionCache()
        let first = PredictionCache.Key(evaluationID: 7, finishedAt: Date(timeIntervalSince1970: 100))
        let rescored = PredictionCache.Key(evaluationID: 7, finishedAt: Date(timeIntervalSince1970: 200))
        var loads = 0
        let old = try cache.predictions(first) {
            loads += 1; return Self.predictions(0.2)
        }
        #expect(
            try cache.predictions(first) {
                loads += 1; return Self.predictions(0.9)
            } == old, "cached")
        let new = try cache.predictions(rescored) {
            loads += 1; return Self.predictions(0.9)
        }
        #expect(new == Self.predictions(0.9), "the new result's predictions, not the old ones")
        #expect(loads == 2)
    }

    @Test func aPassKeepsOnlyWhatItUsedAndTheCacheHasACeiling() throws {
        let cache = PredictionCache(maximumValues: 40)
        let keys = (1...3).map { PredictionCache.Key(evaluationID: $0, finishedAt: Date(timeIntervalSince1970: 0)) }
        cache.beginPass()
        for key in keys { _ = try cache.predictions(key) { Self.predictions(0.5) } }  // 16 numbers each
        cache.endPass()
        #expect(cache.size == (entries: 2, values: 32), "the third would pass the ceiling of 40 numbers: read, not kept")
        cache.beginPass()
        _ = try cache.predictions(keys[1]) { Self.predictions(0.5) }
        cache.endPass()
        #expect(cache.size == (entries: 1, values: 16), "what the last pass did not use is dropped")
    }
}
