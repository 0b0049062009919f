import Challenge
import Foundation

/// Where a job runs: the local sandbox today, a batch scheduler next. An executor reads only
/// the job's directory and writes only there; it never touches the hub's database.
public protocol Executor: Sendable {
    /// Runs the job in `directory` to its end and returns its report (also written to
    /// `report.json`).
    /// - Parameter progress: told when a fold's `train` or `predict` starts.
    /// - Throws: `CancellationError` when the calling task is cancelled (the job is stopped and
    ///   reports nothing); ``JobError`` when the job could not run through no fault of the
    ///   submission.
    func run(_ directory: JobDirectory, progress: @escaping JobProgress) async throws -> JobReport
}

/// Told which step of which fold a job starts.
public typealias JobProgress = @Sendable (_ fold: Int, _ step: JobReport.Step) async -> Void

/// Runs jobs on this machine, each step in the bubblewrap ``Sandbox`` with the job's limits
/// and runtime.
public struct LocalExecutor: Executor {
    public init() {}

    public func run(_ directory: JobDirectory, progress: @escaping JobProgress) async throws -> JobReport {
        try await run(directory, only: nil, progress: progress)
    }

    /// Runs every fold of the job in `directory`, or only fold `only` (see ``JobRunner/run(only:progress:)``).
    public func run(_ directory: JobDirectory, only: Int?, progress: @escaping JobProgress) async throws -> JobReport {
        let job: EvaluationJob
        do {
            job = try directory.specification()
        } catch {
            throw JobError("cannot read the job's \(directory.specificationFile.lastPathComponent): \(error)")
        }
        return try await JobRunner(job: job, directory: directory, sandbox: Sandbox(runtime: job.runtime, limits: job.limits))
            .run(only: only, progress: progress)
    }
}

/// Runs a job's folds in a sandbox: for each fold, `train` then `predict`, stopping at the
/// first step that does not succeed; writes each step's log and the report into the job's
/// directory. What `forkboard run-job` and every executor run.
public struct JobRunner: Sendable {
    public let job: EvaluationJob
    public let directory: JobDirectory
    public let sandbox: Sandbox

    public init(job: EvaluationJob, directory: JobDirectory, sandbox: Sandbox) {
        self.job = job
        self.directory = directory
        self.sandbox = sandbox
    }

    /// Runs every fold (or only fold `only`, one task of a batch job array) and returns the
    /// report, written as `report.json` (as `fold-<k>/report.json` for one fold). Each step's
    /// start is also written in its fold's `progress` file, for executors that follow the job
    /// from another machine.
    /// - Throws: as ``Executor/run(_:progress:)``; ``JobError`` when `only` is not a fold.
    public func run(only: Int? = nil, progress: @escaping JobProgress = { _, _ in }) async throws -> JobReport {
        var report = JobReport(folds: [])
        if let only, !(0..<job.foldCount).contains(only) {
            throw JobError("fold \(only) is not a fold of this job (it has \(job.foldCount))")
        }
        for index in only.map({ [$0] }) ?? Array(0..<job.foldCount) {
            let fold = directory.fold(index)
            do {
                try FileManager.default.createDirectory(at: fold.model, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(at: fold.output, withIntermediateDirectories: true)
            } catch {
                throw JobError("cannot prepare fold \(index)'s directories: \(error)")
            }
            // Each step sees only its own input file: training never sees the rows (validation
            // and test features) it will be asked to predict.
            let common = [
                Sandbox.Mount(hostPath: directory.tree.path, sandboxPath: "/submission"),
                Sandbox.Mount(hostPath: directory.harness.path, sandboxPath: "/harness"),
            ]
            try Task.checkCancellation()
            fold.recordProgress(.train)
            await progress(index, .train)
            let train = try await step(.train, fold: fold, command: job.trainCommand, mounts: common + [
                Sandbox.Mount(hostPath: fold.trainInput.path, sandboxPath: "/input"),
                Sandbox.Mount(hostPath: fold.model.path, sandboxPath: "/model", writable: true),
            ], environment: ["FORKBOARD_TRAIN": "/input/train.csv", "FORKBOARD_INPUT_DIRECTORY": "/input", "FORKBOARD_MODEL_DIR": "/model"])
            guard train.ending == .succeeded else {
                report.folds.append(JobReport.Fold(fold: index, train: train, predict: nil))
                break
            }
            try Task.checkCancellation()
            fold.recordProgress(.predict)
            await progress(index, .predict)
            let predict = try await step(.predict, fold: fold, command: job.predictCommand, mounts: common + [
                Sandbox.Mount(hostPath: fold.predictInput.path, sandboxPath: "/input"),
                Sandbox.Mount(hostPath: fold.model.path, sandboxPath: "/model"),
                Sandbox.Mount(hostPath: fold.output.path, sandboxPath: "/output", writable: true),
            ], environment: [
                "FORKBOARD_INPUT": "/input/predict.csv", "FORKBOARD_INPUT_DIRECTORY": "/input", "FORKBOARD_MODEL_DIR": "/model",
                "FORKBOARD_PREDICTIONS": "/output/predictions.csv",
            ])
            report.folds.append(JobReport.Fold(fold: index, train: train, predict: predict))
            guard predict.ending == .succeeded else { break }
        }
        do {
            try directory.write(report, to: only.map { directory.fold($0).report } ?? directory.reportFile)
        } catch {
            throw JobError("cannot write the job's report: \(error)")
        }
        return report
    }

    private func step(_ step: JobReport.Step, fold: JobDirectory.Fold, command: [String], mounts: [Sandbox.Mount],
                      environment: [String: String]) async throws -> SandboxResult {
        let result: SandboxResult
        do {
            result = try await sandbox.run(command: command, mounts: mounts, workingDirectory: "/submission",
                                           environment: job.environment.merging(environment) { $1 })
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw JobError("the hub could not start the sandbox: \(error)")
        }
        try? Data(result.outputTail.utf8).write(to: fold.log(step))
        return result
    }
}
