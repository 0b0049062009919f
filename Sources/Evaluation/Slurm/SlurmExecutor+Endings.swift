import Foundation

/// What an ended Slurm job means for its evaluation.
///
/// | Slurm state | Forkboard |
/// |---|---|
/// | COMPLETED | the job's report: scored by the hub, or the submission's own error |
/// | OUT_OF_MEMORY, or FAILED with Slurm's "Exceeded job memory limit" | the step that ran fails: memory limit (final) |
/// | TIMEOUT, DEADLINE | the step that ran fails: wall time limit (final) |
/// | FAILED otherwise (forkboard run-job could not run the job) | the hub's failure: retried |
/// | NODE_FAIL, BOOT_FAIL, PREEMPTED, REVOKED | the infrastructure's failure: retried |
/// | CANCELLED (not by the hub) | the infrastructure's failure: retried |
extension SlurmExecutor {
    func ended(_ slurmID: String, entries: [SlurmCommands.QueueEntry], directory: JobDirectory) async throws -> JobReport {
        let job: EvaluationJob
        do {
            job = try directory.specification()
        } catch {
            throw JobError("cannot read the job's \(directory.specificationFile.lastPathComponent): \(error)")
        }
        var folds: [JobReport.Fold] = []
        for entry in entries.sorted(by: { ($0.arrayTask ?? 0) < ($1.arrayTask ?? 0) }) {
            let task = entry.arrayTask.map { "\(slurmID)_\($0)" } ?? slurmID
            let output = outputTail(directory, arrayTask: entry.arrayTask)
            switch entry.state {
            case .completed:
                folds += try completedReport(task, directory: directory, arrayTask: entry.arrayTask).folds
            case .outOfMemory:
                folds.append(
                    stoppedFold(
                        job: job, directory: directory, arrayTask: entry.arrayTask, limit: .memory,
                        note: "Slurm stopped the job: it went over its memory (--mem=\(Self.memoryMegabytes(job: job, settings: settings))M)",
                        output: output))
            case .timedOut:
                folds.append(
                    stoppedFold(
                        job: job, directory: directory, arrayTask: entry.arrayTask, limit: .wallTime,
                        note: "Slurm stopped the job at its time limit", output: output))
            case .failed where output.contains("Exceeded job memory limit") || output.contains("exceeded memory limit"):
                folds.append(
                    stoppedFold(
                        job: job, directory: directory, arrayTask: entry.arrayTask, limit: .memory,
                        note: "Slurm stopped the job: it went over its memory (--mem=\(Self.memoryMegabytes(job: job, settings: settings))M)",
                        output: output))
            case .failed:
                let details = (try? await commands.details(jobID: task))??.first
                throw JobError(
                    "Slurm job \(task) failed (exit code \(details?["ExitCode"] ?? "unknown") on \(details?["NodeList"] ?? "an unknown node")): \(output.suffix(2000))"
                )
            case .cancelled:
                throw JobError("Slurm job \(task) was cancelled on the cluster, not by the hub (reason: \(entry.reason))")
            case .infrastructureFailure(let state):
                throw JobError("Slurm job \(task) ended in \(state) (reason: \(entry.reason)): the cluster's failure, not the submission's")
            case .other(let state):
                throw JobError("Slurm job \(task) ended in state \(state), which the hub does not know")
            case .waiting, .running:
                throw JobError("Slurm job \(task) has not ended")
            }
        }
        return JobReport(folds: folds.sorted { $0.fold < $1.fold })
    }

    private func completedReport(_ task: String, directory: JobDirectory, arrayTask: Int?) throws -> JobReport {
        let file = arrayTask.map { directory.fold($0).report } ?? directory.reportFile
        do {
            return try JSONDecoder().decode(JobReport.self, from: Data(contentsOf: file))
        } catch {
            throw JobError(
                "Slurm job \(task) completed without a readable \(file.lastPathComponent) (is \(directory.url.path) on a filesystem the nodes share?): \(error)"
            )
        }
    }

    /// A fold whose step Slurm stopped for a limit: the step that had started (train when none
    /// had), with the scheduler's note and the job's output.
    private func stoppedFold(
        job: EvaluationJob, directory: JobDirectory, arrayTask: Int?, limit: SandboxResult.Limit,
        note: String, output: String
    ) -> JobReport.Fold {
        var fold = arrayTask ?? 0
        var step = JobReport.Step.train
        for index in (arrayTask.map { [$0] } ?? Array(0..<job.foldCount)) {
            if let started = directory.fold(index).lastStartedStep() { (fold, step) = (index, started) }
        }
        let stopped = SandboxResult(
            ending: .limitExceeded(limit), wallSeconds: 0, cpuSeconds: nil, peakMemoryBytes: nil,
            outputTail: "\(note)\n\(output)", outputBytes: output.utf8.count)
        guard step == .predict else { return JobReport.Fold(fold: fold, train: stopped, predict: nil) }
        let trained = SandboxResult(ending: .succeeded, wallSeconds: 0, cpuSeconds: nil, peakMemoryBytes: nil, outputTail: "", outputBytes: 0)
        return JobReport.Fold(fold: fold, train: trained, predict: stopped)
    }

    /// The last 4 KiB of the job's (or the array task's) output file.
    private func outputTail(_ directory: JobDirectory, arrayTask: Int?) -> String {
        let file = directory.batch.appendingPathComponent(arrayTask.map { "slurm-\($0).out" } ?? "slurm.out")
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }
}
