import Challenge
import Evaluation
import Foundation
import Host

/// What one submission of a question is projected to cost at the question's full size: CPU
/// hours, the largest memory of a run, the disk of its cut inputs and kept predictions, and
/// the wall time on this machine with some workers or on cluster nodes. Projected from the
/// starting kit's run on a quick subset by `forkboard challenge check`
/// (``LocalEvaluation/Result``): a run costs a fixed part (the sandbox and the interpreter
/// starting, the model read: measured by a predict run on one object) plus a part linear in
/// the objects it trains on or predicts; memory likewise. The organisers' answer to "how big
/// will the data be, and what does one participant need"; `forkboard resources` sets it
/// beside what evaluations measured.
public struct CostProjection: Codable, Sendable, Equatable {
    public let question: String
    /// Objects of the quick run: trained on (each fold), predicted (each fold).
    public let measuredTrainObjects: Int
    public let measuredPredictObjects: Int
    public let trainObjects: Int
    public let testObjects: Int
    public let folds: Int
    /// Test shards (1 when the question does not shard its test objects).
    public let shards: Int
    /// CPU seconds of one submission: training, predicting (validation and test), in all.
    public let trainCPUSeconds: Double
    public let predictCPUSeconds: Double
    public var cpuHours: Double { (trainCPUSeconds + predictCPUSeconds) / 3600 }
    /// The largest memory of a train run, and of a predict run, in bytes.
    public let trainPeakBytes: Int
    public let predictPeakBytes: Int
    /// Bytes of the question's data files, of its cut inputs (once per data version), and of
    /// one submission's kept predictions.
    public let dataBytes: Int
    public let inputBytes: Int
    public let predictionBytes: Int
    /// Hours from push to score with 1, 2, 8 and 64 workers (or single-CPU cluster nodes).
    public let wallHours: [Int: Double]

    enum CodingKeys: String, CodingKey {
        case question, folds, shards
        case measuredTrainObjects = "measured_train_objects"
        case measuredPredictObjects = "measured_predict_objects"
        case trainObjects = "train_objects"
        case testObjects = "test_objects"
        case trainCPUSeconds = "train_cpu_seconds"
        case predictCPUSeconds = "predict_cpu_seconds"
        case trainPeakBytes = "train_peak_bytes"
        case predictPeakBytes = "predict_peak_bytes"
        case dataBytes = "data_bytes"
        case inputBytes = "input_bytes"
        case predictionBytes = "prediction_bytes"
        case wallHours = "wall_hours"
    }

    /// The projection of `result` (a quick run with its smallest run measured) to `data`, the
    /// question's full data; nil when the run did not measure what is needed.
    public static func make(result: LocalEvaluation.Result, data: QuestionData) -> CostProjection? {
        guard let fixed = result.smallestRun, result.outcome.status == .scored, !result.outcome.folds.isEmpty,
            result.foldObjects.count == result.outcome.folds.count
        else { return nil }
        let fixedCPU = fixed.cpuSeconds ?? fixed.wallSeconds
        let fixedMemory = Double(fixed.peakMemoryBytes ?? 0)
        func perObject(_ values: [(cost: Double, objects: Int)], fixed: Double) -> Double {
            let rates = values.filter { $0.objects > 0 }.map { max(0, $0.cost - fixed) / Double($0.objects) }
            return rates.isEmpty ? 0 : rates.reduce(0, +) / Double(rates.count)
        }
        let runs = zip(result.outcome.folds, result.foldObjects)
        let trainRate = perObject(runs.map { ($0.train.cpuSeconds ?? $0.train.wallSeconds, $1.train) }, fixed: fixedCPU)
        let predictRate = perObject(runs.map { ($0.predict.cpuSeconds ?? $0.predict.wallSeconds, $1.predict) }, fixed: fixedCPU)
        let trainMemoryRate = perObject(runs.map { (Double($0.train.peakMemoryBytes ?? 0), $1.train) }, fixed: fixedMemory)
        let predictMemoryRate = perObject(runs.map { (Double($0.predict.peakMemoryBytes ?? 0), $1.predict) }, fixed: fixedMemory)

        let folds = max(1, data.folds.count)
        let training = data.trainIDs.count
        let test = data.testIDs.count
        let shardRanges = data.testShards ?? (test > 0 ? [0..<test] : [])
        let trainedPerFold = Double(data.folds.map(\.trainRows.count).max() ?? training)
        let validatedPerFold = Double(data.folds.map(\.validationRows.count).max() ?? 0)
        let trainPerFold = fixedCPU + trainRate * trainedPerFold
        // Sharded: the validation objects in a run of their own, each shard in its own; else one run.
        let predictRuns: [Double] =
            data.testShards == nil
            ? [validatedPerFold + Double(test)] : [validatedPerFold] + shardRanges.map { Double($0.count) }
        let predictPerFold = predictRuns.reduce(0) { $0 + fixedCPU + predictRate * $1 }
        let largestPredict = predictRuns.max() ?? 0

        let files = data.files
        let trainBytes = Self.bytes(files.train.paths)
        let testBytes = files.test.map { Self.bytes($0.paths) } ?? 0
        let classes = data.question.kind == .classification ? data.question.labels.count : 1
        // Kept predictions: 64-bit validation, 32-bit bagged test, compressed to about 0.85.
        let predictionBytes = Int(Double(training * classes * 8 + test * classes * 4) * 0.85)
        let total = Double(folds) * (trainPerFold + predictPerFold)
        var wall: [Int: Double] = [:]
        for workers in [1, 2, 8, 64] {
            if data.testShards == nil {
                // One worker runs the whole evaluation, fold after fold.
                wall[workers] = total / 3600
            } else {
                let longest = trainPerFold + fixedCPU + predictRate * largestPredict
                wall[workers] = max(total / Double(workers), longest) / 3600
            }
        }
        return CostProjection(
            question: data.question.name,
            measuredTrainObjects: result.foldObjects.map(\.train).max() ?? 0, measuredPredictObjects: result.foldObjects.map(\.predict).max() ?? 0,
            trainObjects: training, testObjects: test, folds: folds, shards: max(1, shardRanges.count),
            trainCPUSeconds: Double(folds) * trainPerFold, predictCPUSeconds: Double(folds) * predictPerFold,
            trainPeakBytes: Int(fixedMemory + trainMemoryRate * trainedPerFold),
            predictPeakBytes: Int(fixedMemory + predictMemoryRate * largestPredict),
            dataBytes: trainBytes + testBytes,
            inputBytes: testBytes * (data.testShards == nil ? folds : 1) + trainBytes * folds,
            predictionBytes: predictionBytes, wallHours: wall)
    }

    /// Bytes of files, and of every file in directories.
    public static func bytes(_ paths: [URL]) -> Int {
        let fileManager = FileManager.default
        return paths.reduce(0) { total, url in
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return total }
            guard isDirectory.boolValue else { return total + ((try? fileManager.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0) }
            let names = (try? fileManager.contentsOfDirectory(atPath: url.path)) ?? []
            return total + bytes(names.map { url.appendingPathComponent($0) })
        }
    }

    /// The projection as a table, with how it was made.
    public func table() -> String {
        func hours(_ value: Double) -> String {
            value * 3600 < 60
                ? String(format: "%.0f s", value * 3600) : value < 1 ? String(format: "%.0f min", value * 60) : String(format: "%.1f h", value)
        }
        func size(_ bytes: Int) -> String { ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .binary) }
        let rows: [[String]] =
            [
                ["objects", "\(trainObjects) training, \(testObjects) test; \(folds) folds, \(shards) test shard(s)"],
                ["CPU time", "\(hours(cpuHours)) (training \(hours(trainCPUSeconds / 3600)), predicting \(hours(predictCPUSeconds / 3600)))"],
                ["largest memory of a run", "training \(size(trainPeakBytes)), predicting \(size(predictPeakBytes))"],
                [
                    "disk",
                    "data \(size(dataBytes)); cut inputs \(size(inputBytes)), once for every submission; kept predictions \(size(predictionBytes)) per submission",
                ],
            ] + [1, 2, 8, 64].map { ["wall time, \($0) worker(s) or nodes", hours(wallHours[$0] ?? 0)] }
        return "Cost of one submission of question \(question) at its full size (projected from the starting kit on "
            + "\(measuredTrainObjects) training and \(measuredPredictObjects) predicted objects per fold; a run costs a fixed part, "
            + "measured on one object, and a part proportional to its objects):\n"
            + LeaderboardFormatter.table(header: ["", "projected"], rows: rows)
    }

    /// Where `challenge check` keeps the projection of `question` for `forkboard resources`.
    public static func file(hub: Hub, question: String) -> URL {
        hub.paths.runs.appendingPathComponent(".projection-\(question).json")
    }
}
