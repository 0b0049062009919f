import Foundation
import ScoreTypes

@testable import Credit

/// One blending problem of `../shared/cases/contributivity/*.json` with the values
/// ramp-workflow 0.7.0 computed for it (format: `../shared/cases/README.md`).
struct ContributivityCase: Decodable {
    struct Fold: Decodable {
        let train: [Int]
        let valid: [Int]
    }

    struct SubmissionFold: Decodable {
        let valid: [[Double]]
        let test: [[Double]]
    }

    struct Submission: Decodable {
        let name: String
        let folds: [SubmissionFold]
    }

    struct ScorePair: Decodable {
        let valid: Double
        let test: Double
    }

    struct Expected: Decodable {
        let ensembles: [[Int]]
        let contributivity: [Double]
        let contributivityPercent: [Int]
        let combined: ScorePair
        let foldwiseBest: ScorePair

        enum CodingKeys: String, CodingKey {
            case ensembles, contributivity, combined
            case contributivityPercent = "contributivity_percent"
            case foldwiseBest = "foldwise_best"
        }
    }

    let labels: [Int]
    let minimumImprovement: Double
    let maximumEnsembleSize: Int
    let trainingTargets: [Int]
    let testTargets: [Int]
    let folds: [Fold]
    let submissions: [Submission]
    let expected: [String: Expected]

    enum CodingKeys: String, CodingKey {
        case labels, folds, submissions, expected
        case minimumImprovement = "min_improvement"
        case maximumEnsembleSize = "max_ensemble_size"
        case trainingTargets = "y_train"
        case testTargets = "y_test"
    }

    /// The directory of the shared cases: `../shared` beside the repository root when it is
    /// there, else the copy in `Cases/` (see its README).
    static let directory: URL = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let shared =
            here
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/cases/contributivity")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shared.path)) ?? []
        return names.contains { $0.hasSuffix(".json") } ? shared : here.appendingPathComponent("Cases")
    }()

    /// The names of every case file, sorted.
    static func fileNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Reads and decodes the case file `name`.
    static func load(_ name: String) throws -> ContributivityCase {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode(ContributivityCase.self, from: data)
    }

    /// The score type the cases' README means by `key`.
    static func scoreType(for key: String) -> (any ScoreType)? {
        switch key {
        case "auc": ROCAUC()
        case "acc": Accuracy()
        case "bal_acc": BalancedAccuracy(adjusted: true)
        case "nll": LogLoss(epsilon: 1e-15)
        default: nil
        }
    }

    /// The case as a blending problem.
    func problem() -> BlendingProblem {
        let classCount = labels.count
        func classIndices(_ targets: [Int]) -> [Int] { targets.map { labels.firstIndex(of: $0)! } }
        func matrix(_ rows: [[Double]]) -> Predictions {
            .probabilities(ProbabilityMatrix(rows: rows, classCount: classCount))
        }
        return BlendingProblem(
            trainingTruth: .classes(classIndices(trainingTargets), classCount: classCount),
            testTruth: .classes(classIndices(testTargets), classCount: classCount),
            folds: folds.map { BlendingFold(validationRows: $0.valid) },
            submissions: submissions.map { submission in
                submission.folds.map { SubmissionFoldPredictions(validation: matrix($0.valid), test: matrix($0.test)) }
            })
    }

    /// The blending parameters of the case.
    var parameters: BlendingParameters {
        BlendingParameters(minimumImprovement: minimumImprovement, maximumEnsembleSize: maximumEnsembleSize)
    }
}
