import Challenge
import Foundation

/// One sandboxed run of a job: a fold's `train`, its `predict` (its validation objects, and
/// every test object when the question does not shard them), or one test shard predicted by a
/// fold's model. A fold's predict tasks need its train task.
public enum JobTask: Sendable, Hashable, Codable, CustomStringConvertible {
    case train(fold: Int)
    case predict(fold: Int)
    case predictShard(fold: Int, shard: Int)

    public var fold: Int {
        switch self {
        case .train(let fold), .predict(let fold), .predictShard(let fold, _): fold
        }
    }

    /// The task that must have succeeded before this one runs.
    public var dependency: JobTask? {
        if case .train = self { return nil }
        return .train(fold: fold)
    }

    /// `fold-0/train`, `fold-0/predict`, `fold-0/shard-3`: a stable name (the ledger's and
    /// `forkboard run-job --task`'s).
    public var description: String {
        switch self {
        case .train(let fold): "fold-\(fold)/train"
        case .predict(let fold): "fold-\(fold)/predict"
        case .predictShard(let fold, let shard): "fold-\(fold)/shard-\(shard)"
        }
    }

    /// The task named `name` (``description``), or nil.
    public init?(name: String) {
        let parts = name.split(separator: "/")
        guard parts.count == 2, parts[0].hasPrefix("fold-"), let fold = Int(parts[0].dropFirst(5)), fold >= 0 else { return nil }
        switch parts[1] {
        case "train": self = .train(fold: fold)
        case "predict": self = .predict(fold: fold)
        case let part where part.hasPrefix("shard-"):
            guard let shard = Int(part.dropFirst(6)), shard >= 0 else { return nil }
            self = .predictShard(fold: fold, shard: shard)
        default: return nil
        }
    }
}

/// Runs a job's tasks in a sandbox, each writing its log and how it ended (`<step>.json`) in
/// its place in the job's directory (``JobDirectory/place(of:)``); assembles the job's report
/// from them. What `forkboard run-job` and every executor run, a task, a fold or the whole
/// job at a time.
public struct JobRunner: Sendable {
    public let job: EvaluationJob
    public let directory: JobDirectory
    public let sandbox: Sandbox

    public init(job: EvaluationJob, directory: JobDirectory, sandbox: Sandbox) {
        self.job = job
        self.directory = directory
        self.sandbox = sandbox
    }

    /// Runs every fold (or only fold `only`, one task of a batch job array): for each, train,
    /// predict, then each test shard, stopping at the first task that does not succeed; returns
    /// the report, written as `report.json` (as `fold-<k>/report.json` for one fold). Each
    /// step's start is also written in its fold's `progress` file, for executors that follow
    /// the job from another machine.
    /// - Throws: as ``Executor/run(_:progress:)``; ``JobError`` when `only` is not a fold.
    public func run(only: Int? = nil, progress: @escaping JobProgress = { _, _ in }) async throws -> JobReport {
        if let only, !(0..<job.foldCount).contains(only) {
            throw JobError("fold \(only) is not a fold of this job (it has \(job.foldCount))")
        }
        let folds = only.map { [$0] } ?? Array(0..<job.foldCount)
        for task in job.tasks where folds.contains(task.fold) {
            if let dependency = task.dependency, (try? result(of: dependency))?.ending != .succeeded { continue }
            let result = try await run(task, progress: progress)
            if result.ending != .succeeded { break }
        }
        let report = assembledReport(folds: folds)
        do {
            try directory.write(report, to: only.map { directory.fold($0).report } ?? directory.reportFile)
        } catch {
            throw JobError("cannot write the job's report: \(error)")
        }
        return report
    }

    /// Runs one task in the sandbox, writes its log and how it ended, and returns the latter.
    /// A task whose fold's model was not trained is not run.
    /// - Throws: `CancellationError` when cancelled; ``JobError`` when the sandbox cannot start
    ///   or the task's files cannot be written.
    @discardableResult
    public func run(_ task: JobTask, progress: @escaping JobProgress = { _, _ in }) async throws -> SandboxResult {
        let fold = directory.fold(task.fold)
        let place = directory.place(of: task)
        do {
            try FileManager.default.createDirectory(at: fold.model, withIntermediateDirectories: true)
            if place.step == .predict { try FileManager.default.createDirectory(at: place.output, withIntermediateDirectories: true) }
        } catch {
            throw JobError("cannot prepare \(task)'s directories: \(error)")
        }
        let common = [
            Sandbox.Mount(hostPath: directory.tree.path, sandboxPath: "/submission"),
            Sandbox.Mount(hostPath: directory.harness.path, sandboxPath: "/harness"),
        ]
        try Task.checkCancellation()
        fold.recordProgress(place.step)
        // Seen by the submission's page while the task runs (``JobDirectory/taskProgress()``).
        try? Data().write(to: place.running)
        defer { try? FileManager.default.removeItem(at: place.running) }
        await progress(task.fold, place.step)
        // Each step sees only its own input directory: training never sees the objects it will
        // be asked to predict.
        let mounts: [Sandbox.Mount]
        let command: [String]
        let environment: [String: String]
        switch task {
        case .train:
            command = job.trainCommand
            mounts =
                common + [
                    Sandbox.Mount(hostPath: fold.trainInput.path, sandboxPath: "/input"),
                    Sandbox.Mount(hostPath: fold.model.path, sandboxPath: "/model", writable: true),
                ]
            environment = ["FORKBOARD_TRAIN": "/input/train.csv", "FORKBOARD_INPUT_DIRECTORY": "/input", "FORKBOARD_MODEL_DIR": "/model"]
        case .predict, .predictShard:
            let input = if case .predictShard(_, let shard) = task { directory.shardInput(shard) } else { fold.predictInput }
            command = job.predictCommand
            mounts =
                common + [
                    Sandbox.Mount(hostPath: input.path, sandboxPath: "/input"),
                    Sandbox.Mount(hostPath: fold.model.path, sandboxPath: "/model"),
                    Sandbox.Mount(hostPath: place.output.path, sandboxPath: "/output", writable: true),
                ]
            environment = [
                "FORKBOARD_INPUT": "/input/predict.csv", "FORKBOARD_INPUT_DIRECTORY": "/input", "FORKBOARD_MODEL_DIR": "/model",
                "FORKBOARD_PREDICTIONS": "/output/predictions.csv",
            ]
        }
        let result: SandboxResult
        do {
            result = try await sandbox.run(
                command: command, mounts: mounts, workingDirectory: "/submission",
                environment: job.environment.merging(environment) { $1 })
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw JobError("the hub could not start the sandbox: \(error)")
        }
        try? Data(result.outputTail.utf8).write(to: place.log)
        do {
            try directory.write(result, to: place.result)
        } catch {
            throw JobError("cannot write how \(task) ended: \(error)")
        }
        return result
    }

    /// How `task` ended, or nil before it ended.
    /// - Throws: a Foundation error when its record exists but cannot be read.
    public func result(of task: JobTask) throws -> SandboxResult? {
        let file = directory.place(of: task).result
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try JSONDecoder().decode(SandboxResult.self, from: Data(contentsOf: file))
    }

    /// The first task that ended without succeeding, or nil (tasks still to run or running
    /// are not failures).
    public func failedTask() -> JobTask? {
        job.tasks.first { task in (try? result(of: task)).flatMap { $0 }.map { $0.ending != .succeeded } ?? false }
    }

    /// The report of `folds` (default all) from what their tasks wrote: each fold's runs, up to
    /// the first that did not succeed or did not run.
    public func assembledReport(folds: [Int]? = nil) -> JobReport {
        var report = JobReport(folds: [])
        for index in folds ?? Array(0..<job.foldCount) {
            guard let train = try? result(of: .train(fold: index)) else { break }
            var fold = JobReport.Fold(fold: index, train: train, predict: nil)
            if train.ending == .succeeded, let predict = try? result(of: .predict(fold: index)) {
                fold.predict = predict
                if let count = job.testShardCount, predict.ending == .succeeded {
                    var shards: [SandboxResult] = []
                    for shard in 0..<count {
                        guard let ended = try? result(of: .predictShard(fold: index, shard: shard)) else { break }
                        shards.append(ended)
                        if ended.ending != .succeeded { break }
                    }
                    fold.shards = shards
                }
            }
            report.folds.append(fold)
            if report.failure(shardCount: job.testShardCount) != nil { break }
        }
        return report
    }
}
