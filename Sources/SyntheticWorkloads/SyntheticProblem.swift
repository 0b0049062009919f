import Evaluation
import Foundation
import ScoreTypes

import Credit

/// Random but reproducible blending problems, for tests and benchmarks.
public enum SyntheticProblem {
    /// A classification problem: submissions of varied quality whose errors are partly shared
    /// (softmax of `quality * one-hot(truth) + sharedNoise * shared + ownNoise * own`, with
    /// standard normal noises). Noisy, similar submissions make long ensembles. With `awkwardRows`, some predictions
    /// are zero, one, or rows that do not sum to one, as real submissions produce.
    public static func classification(
        submissions submissionCount: Int, folds foldCount: Int, rows rowCount: Int, classes classCount: Int,
        testRows testRowCount: Int, seed: UInt64, awkwardRows: Bool = false, sharedNoise: Double = 0.7,
        ownNoise: Double = 0.7, qualities: ClosedRange<Double> = 0.3...2.5
    ) -> BlendingProblem {
        var generator = SeededGenerator(seed: seed)
        let trainingClasses = (0..<rowCount).map { _ in Int.random(in: 0..<classCount, using: &generator) }
        let testClasses = (0..<testRowCount).map { _ in Int.random(in: 0..<classCount, using: &generator) }
        let validationCount = max(2, rowCount / foldCount)
        let folds = (0..<foldCount).map { _ in
            BlendingFold(validationRows: Array((0..<rowCount).shuffled(using: &generator).prefix(validationCount)))
        }
        let shared = (0..<(max(rowCount, testRowCount) * classCount)).map { _ in generator.normal() }
        func predict(_ classes: [Int], quality: Double) -> Predictions {
            var values: [Double] = []
            for (row, trueClass) in classes.enumerated() {
                var logits = (0..<classCount).map { column in
                    (column == trueClass ? quality : 0) + sharedNoise * shared[row * classCount + column]
                        + ownNoise * generator.normal()
                }
                let largest = logits.max()!
                logits = logits.map { exp($0 - largest) }
                let total = logits.reduce(0, +)
                var probabilities = logits.map { $0 / total }
                if awkwardRows {
                    switch Int.random(in: 0..<40, using: &generator) {
                    case 0: probabilities = probabilities.map { _ in 0 }
                    case 1: probabilities = (0..<classCount).map { $0 == trueClass ? 0 : 1 }
                    case 2: probabilities = probabilities.map { $0 * 2 }
                    case 3: probabilities = (0..<classCount).map { $0 == trueClass ? 1 : 0 }
                    default: break
                    }
                }
                values.append(contentsOf: probabilities)
            }
            return .probabilities(ProbabilityMatrix(rowCount: classes.count, classCount: classCount, values: values))
        }
        let submissions = (0..<submissionCount).map { _ in
            let quality = Double.random(in: qualities, using: &generator)
            return folds.map { fold in
                SubmissionFoldPredictions(
                    validation: predict(fold.validationRows.map { trainingClasses[$0] }, quality: quality),
                    test: predict(testClasses, quality: quality))
            }
        }
        return BlendingProblem(
            trainingTruth: .classes(trainingClasses, classCount: classCount),
            testTruth: .classes(testClasses, classCount: classCount), folds: folds, submissions: submissions)
    }
}
