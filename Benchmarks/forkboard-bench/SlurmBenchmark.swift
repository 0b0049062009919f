import ArgumentParser
import Challenge
import Evaluation
import Foundation
import Host
import Hub
import Subprocess
import SystemPackage

/// The same evaluations of the breast-cancer starting kit run by the local executor (in
/// this process's sandbox, N at once) and by the Slurm executor (sbatch to a one-node
/// cluster on this machine, followed with squeue): the latency one evaluation adds, and the
/// throughput of a batch, side by side.
struct SlurmBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm", abstract: "The Slurm executor against the local one on the same evaluations (starts scripts/slurm-test-cluster).")

    @Option(help: "Evaluations in the throughput batch.")
    var evaluations = 8

    @Option(help: "Evaluations at once for the local executor (the cluster's node runs as many as its CPUs allow).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Repetitions of the single-evaluation latency (the median is shown).")
    var repetitions = 3

    @Option(help: "Seconds between two looks at Slurm's queue.")
    var pollSeconds = 0.5

    @Option(help: "The Python interpreter (default: $FORKBOARD_PYTHON, else python3).")
    var python = ProcessInfo.processInfo.environment["FORKBOARD_PYTHON"] ?? "python3"

    @Option(help: "The directory holding templates/, hooks/ and scripts/ (default: the current directory).")
    var share = FileManager.default.currentDirectoryPath

    @Option(help: "The forkboard executable the node runs (default: the one beside this benchmark).")
    var forkboard = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("forkboard")
        .path

    func run() async throws {
        let start = try await Subprocess.run(
            .path(FilePath("\(share)/scripts/slurm-test-cluster")), arguments: ["start"],
            output: .string(limit: 1 << 16), error: .string(limit: 1 << 16))
        guard start.terminationStatus.isSuccess, let conf = start.standardOutput.split(separator: "\n").last else {
            throw ValidationError("the test cluster did not start: \(start.standardError)")
        }
        setenv("SLURM_CONF", String(conf), 1)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-bench-slurm-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: home) }
        let hub = try await HubSetup.createHub(at: home, templateName: "breast-cancer", share: URL(fileURLWithPath: share), python: python)
        let question = hub.challenge.questions[0]
        let data = try QuestionData.load(files: .hub(home: home, question: question), question: question)
        let job = EvaluationJob(
            name: "benchmark", question: question.name, trainCommand: question.trainCommand, predictCommand: question.predictCommand,
            environment: EvaluationJob.environment(of: question), foldCount: data.folds.count,
            limits: hub.challenge.limits, runtime: hub.challenge.runtime!)
        let preparation = hub.evaluationContext.jobPreparation(question: question)
        let tree = hub.paths.startingKit
        let settings = SlurmSettings(
            sharedDirectory: home.appendingPathComponent("shared").path, jobsInFlight: evaluations,
            forkboardCommand: forkboard, pollSeconds: pollSeconds)
        let executors: [(String, any Executor)] = [("local", LocalExecutor()), ("slurm", SlurmExecutor(settings: settings))]
        say(
            "Benchmark: breast-cancer starting kit, \(data.folds.count) folds per evaluation; local: \(workers) at once; "
                + "slurm: one node on this machine (\(ProcessInfo.processInfo.activeProcessorCount) CPUs, 1 per job), polled every \(pollSeconds) s")

        /// One evaluation, from a prepared directory to its scores.
        @Sendable func evaluate(_ executor: any Executor, _ directory: URL) async throws -> Double {
            let jobDirectory = JobDirectory(url: directory)
            try preparation.prepare(job, data: data, in: jobDirectory) { try FileManager.default.copyItem(at: tree, to: $0) }
            return try await Timing.seconds {
                let report = try await executor.run(jobDirectory) { _, _ in }
                let result = JobScoring.score(report, directory: jobDirectory, data: data)
                guard result.status == .scored else { throw ValidationError("the evaluation failed: \(result.log)") }
            }
        }

        var rows: [[String]] = []
        var single: [String: Double] = [:]
        for (name, executor) in executors {
            let root = URL(fileURLWithPath: settings.sharedDirectory).appendingPathComponent(name)
            _ = try await evaluate(executor, root.appendingPathComponent("warm-up"))
            var latencies: [Double] = []
            for repetition in 0..<repetitions {
                latencies.append(try await evaluate(executor, root.appendingPathComponent("single-\(repetition)")))
            }
            single[name] = Timing.median(latencies)
            let limit = name == "local" ? workers : evaluations
            var batchLatencies: [Double] = []
            let wall = try await Timing.seconds {
                batchLatencies = try await withThrowingTaskGroup(of: Double.self) { group in
                    var started = 0
                    var finished: [Double] = []
                    let batchStart = ContinuousClock.now
                    func add() {
                        let index = started
                        started += 1
                        group.addTask {
                            _ = try await evaluate(executor, root.appendingPathComponent("batch-\(index)"))
                            let elapsed = ContinuousClock.now - batchStart
                            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                        }
                    }
                    while started < min(limit, evaluations) { add() }
                    for try await seconds in group {
                        finished.append(seconds)
                        if started < evaluations { add() }
                    }
                    return finished
                }
            }
            rows.append([
                name, String(format: "%.2f", single[name]!), String(format: "%.2f", wall),
                String(format: "%.1f", Double(evaluations) / wall * 60), String(format: "%.2f", Timing.median(batchLatencies)),
            ])
        }
        say(
            LeaderboardFormatter.table(
                header: [
                    "executor", "one evaluation alone (s)", "\(evaluations) evaluations, wall (s)", "evaluations/min",
                    "median time to result in the batch (s)",
                ],
                rows: rows))
        say(String(format: "added latency of the Slurm executor per evaluation: %.2f s", (single["slurm"] ?? 0) - (single["local"] ?? 0)))
    }
}
