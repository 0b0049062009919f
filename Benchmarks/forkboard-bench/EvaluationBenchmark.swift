import ArgumentParser
import Challenge
import Evaluation
import Foundation
import Host
import Hub
import Ledger
import ScoreTypes
import Subprocess
import SystemPackage

/// The breast-cancer starting kit evaluated by the hub (every fold, sandboxed) against the
/// same harness run directly with python on the same fold files; the hub's own overhead per
/// fold; and throughput on 1 and N workers.
struct EvaluationBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluation", abstract: "Hub evaluation against a direct python run.")

    @Option(help: "Repetitions of each measurement (the median is shown).")
    var repetitions = 3

    @Option(help: "Workers for the throughput measurement.")
    var workers = 2

    @Option(help: "The Python interpreter (default: $FORKBOARD_PYTHON, else python3).")
    var python = ProcessInfo.processInfo.environment["FORKBOARD_PYTHON"] ?? "python3"

    @Option(help: "The directory holding templates/ and hooks/ (default: the current directory).")
    var share = FileManager.default.currentDirectoryPath

    func run() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: home) }
        let hub = try await HubSetup.createHub(at: home, templateName: "breast-cancer", share: URL(fileURLWithPath: share), python: python)
        let question = hub.challenge.questions[0]
        let context = hub.evaluationContext
        let files = QuestionFiles.hub(home: home, question: question)
        let data = try QuestionData.load(files: files, question: question)
        let tree = hub.paths.startingKit
        let stamp = FoldInputs.stamp(files: files, question: question)
        let inputs = try FoldInputs.withInputs(of: data, cacheDirectory: context.inputCacheDirectory, stamp: stamp) { directory in
            (0..<data.folds.count).map { directory.appendingPathComponent("fold-\($0)") }
        }
        let binDirectory = hub.challenge.runtime!.binDirectory
        say(
            "Benchmark: breast-cancer starting kit, \(data.folds.count) folds, \(data.trainIDs.count) training rows, \(data.testIDs.count) test rows, \(repetitions) repetitions (medians)"
        )

        // 1. The same harness directly with python on the host (no sandbox), and 2. the hub
        // (every fold sandboxed, predictions checked and scored, bagged), interleaved so that
        // both see the same machine state. A first direct pass only warms the page cache.
        let jobPreparation = context.jobPreparation(question: question)
        let job = EvaluationJob(
            name: "benchmark", question: question.name, trainCommand: question.trainCommand, predictCommand: question.predictCommand,
            environment: EvaluationJob.environment(of: question), foldCount: data.folds.count,
            limits: hub.challenge.limits, runtime: hub.challenge.runtime!)
        /// The hub's evaluation of the starting kit in `directory`: the job prepared, run by the
        /// local executor, scored.
        @Sendable func evaluate(_ directory: URL) async throws -> EvaluationResult {
            let jobDirectory = JobDirectory(url: directory)
            try jobPreparation.prepare(job, data: data, in: jobDirectory) { try FileManager.default.copyItem(at: tree, to: $0) }
            let report = try await LocalExecutor().run(jobDirectory) { _, _ in }
            return JobScoring.score(report, directory: jobDirectory, data: data)
        }
        func directPass(_ label: String) async throws -> Double {
            let scratch = home.appendingPathComponent("direct-\(label)")
            return try await Timing.seconds {
                for (fold, input) in inputs.enumerated() {
                    let model = scratch.appendingPathComponent("fold-\(fold)")
                    try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
                    let environment = [
                        "FORKBOARD_TRAIN": input.appendingPathComponent("train/train.csv").path,
                        "FORKBOARD_INPUT": input.appendingPathComponent("predict/predict.csv").path,
                        "FORKBOARD_MODEL_DIR": model.path, "FORKBOARD_PREDICTIONS": model.appendingPathComponent("predictions.csv").path,
                        "FORKBOARD_LABELS": "[\"benign\",\"malignant\"]", "FORKBOARD_ID_COLUMN": "id", "FORKBOARD_TARGET_COLUMN": "diagnosis",
                        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PATH": "\(binDirectory):/usr/bin:/bin",
                    ]
                    for script in ["train.py", "predict.py"] {
                        let result = try await Subprocess.run(
                            .path(FilePath("\(binDirectory)/python")), arguments: [context.harnessDirectory.appendingPathComponent(script).path],
                            environment: .custom(
                                Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
                            workingDirectory: FilePath(tree.path), output: .discarded, error: .string(limit: 1 << 16))
                        guard result.terminationStatus.isSuccess else { throw ValidationError("direct run failed: \(result.standardError)") }
                    }
                }
            }
        }
        _ = try await directPass("warm-up")
        var direct: [Double] = []
        var hubTimes: [Double] = []
        var sandboxedRunSeconds: [Double] = []
        for repetition in 0..<repetitions {
            direct.append(try await directPass("\(repetition)"))
            var outcome: EvaluationResult?
            hubTimes.append(
                try await Timing.seconds {
                    outcome = try await evaluate(home.appendingPathComponent("hub-\(repetition)"))
                })
            guard let outcome, outcome.status == .scored else { throw ValidationError("hub evaluation failed: \(outcome?.log ?? "")") }
            sandboxedRunSeconds.append(outcome.folds.reduce(0) { $0 + $1.train.wallSeconds + $1.predict.wallSeconds })
        }

        // 3. The parts of the overhead: an empty sandboxed run, preparing fold inputs, scoring.
        var emptySandbox: [Double] = []
        for _ in 0..<max(5, repetitions) {
            emptySandbox.append(
                try await Timing.seconds {
                    _ = try await context.sandbox.run(command: ["/bin/true"], mounts: [], workingDirectory: "/", environment: [:])
                })
        }
        var preparation: [Double] = []
        for repetition in 0..<repetitions {
            let cache = home.appendingPathComponent("inputs-\(repetition)")
            preparation.append(
                try await Timing.seconds {
                    try FoldInputs.withInputs(of: data, cacheDirectory: cache, stamp: "x") { _ in }
                } / Double(data.folds.count))
        }
        let directMedian = Timing.median(direct)
        let hubMedian = Timing.median(hubTimes)
        let folds = Double(data.folds.count)
        let overheadPerFold = (hubMedian - directMedian) / folds
        let rows: [[String]] = [
            ["direct python, all folds (s)", String(format: "%.3f", directMedian)],
            ["hub evaluation, all folds (s)", String(format: "%.3f", hubMedian)],
            ["ratio hub / direct", String(format: "%.3f", hubMedian / directMedian)],
            ["  spread of the direct runs, max - min (s)", String(format: "%.3f", (direct.max() ?? 0) - (direct.min() ?? 0))],
            ["hub overhead per fold (ms)", String(format: "%.1f", overheadPerFold * 1000)],
            ["  sandbox start-up and clean-up, 2 runs per fold (ms)", String(format: "%.1f", 2 * Timing.median(emptySandbox) * 1000)],
            ["  fold input preparation, once per question and fold, then cached (ms)", String(format: "%.1f", Timing.median(preparation) * 1000)],
            [
                "  outside the sandboxed runs: tree, predictions, scoring, bagging (ms)",
                String(format: "%.1f", ((hubMedian - Timing.median(sandboxedRunSeconds)) / folds) * 1000),
            ],
        ]
        say(LeaderboardFormatter.table(header: ["measurement", "value"], rows: rows))

        // 4. Throughput: W evaluations on 1 worker, then on W workers at once.
        let count = workers
        let sequential = try await Timing.seconds {
            for index in 0..<count {
                _ = try await evaluate(home.appendingPathComponent("seq-\(index)"))
            }
        }
        let parallel = try await Timing.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask { _ = try await evaluate(home.appendingPathComponent("par-\(index)")) }
                }
                try await group.waitForAll()
            }
        }
        say(
            LeaderboardFormatter.table(
                header: ["\(count) evaluations", "wall s", "speed-up"],
                rows: [
                    ["1 worker", String(format: "%.2f", sequential), "1.00"],
                    ["\(count) workers", String(format: "%.2f", parallel), String(format: "%.2f", sequential / parallel)],
                ]))
        say("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
    }
}
