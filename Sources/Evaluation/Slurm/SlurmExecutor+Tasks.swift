import Challenge
import Foundation

/// Jobs whose question shards its test objects run on Slurm as job arrays of tasks
/// (``JobTask``), one array task per sandboxed run: the folds' training first, then every
/// prediction (each fold's validation objects, each test shard for each fold) in a second
/// array that starts when the first has ended (`--dependency=afterany`). A task that ends
/// without having run (a node failure, a preemption, `run-job` unable to start) is submitted
/// again on its own, in a new array of the tasks to run again, at most
/// ``maximumTaskSubmissions`` times; a task that hit a limit Slurm enforces (time, memory) ends
/// with that limit. Every array of the job carries the job's name, so that a cancel reaches
/// them all, and is listed in `batch/arrays.json`, so that a later process follows them again.
extension SlurmExecutor {
    /// Times a task is submitted before the evaluation fails through the infrastructure's fault.
    static let maximumTaskSubmissions = 3

    /// One submitted array: its Slurm id, its job name (every array of a job has the first's)
    /// and the tasks of its array indices, in order.
    struct TaskArray: Codable {
        let slurmID: String
        let name: String
        let tasks: [String]
    }

    private static func arraysFile(_ directory: JobDirectory) -> URL { directory.batch.appendingPathComponent("arrays.json") }

    static func arrays(_ directory: JobDirectory) -> [TaskArray] {
        (try? JSONDecoder().decode([TaskArray].self, from: Data(contentsOf: arraysFile(directory)))) ?? []
    }

    private static func record(_ arrays: [TaskArray], in directory: JobDirectory) throws {
        try JSONEncoder().encode(arrays).write(to: arraysFile(directory), options: .atomic)
    }

    /// Submits `tasks` as one array (after `dependency` has ended, when given) and records it.
    /// - Returns: its Slurm id.
    func submitArray(_ tasks: [JobTask], of job: EvaluationJob, directory: JobDirectory, name: String, dependency: String?) async throws -> String {
        var arrays = Self.arrays(directory)
        let list = directory.batch.appendingPathComponent("tasks-\(arrays.count).txt")
        let script = directory.batch.appendingPathComponent("tasks-\(arrays.count).sh")
        do {
            try FileManager.default.createDirectory(at: directory.batch, withIntermediateDirectories: true)
            try Data(tasks.map { "\($0)\n" }.joined().utf8).write(to: list, options: .atomic)
            try Data(
                """
                #!/bin/sh
                # Forkboard evaluation job: \(job.name.replacingOccurrences(of: "\n", with: " ")), one run per array task
                exec \(shellQuoted(forkboardCommand)) run-job \(shellQuoted(directory.url.path)) --task "$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" \(shellQuoted(list.path)))"

                """.utf8
            ).write(to: script, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        } catch {
            throw JobError("cannot write the batch job's files in \(directory.batch.path): \(error.localizedDescription)")
        }
        var arguments = Self.sbatchArguments(
            job: job, settings: settings, name: name, directory: directory, tasks: tasks.count,
            output: "tasks-\(arrays.count)-%a.out")
        if let dependency { arguments.append("--dependency=afterany:\(dependency)") }
        var delays = Self.submissionRetrySeconds[...]
        while true {
            do {
                let slurmID = try await commands.submit(script: script, arguments: arguments)
                arrays.append(TaskArray(slurmID: slurmID, name: name, tasks: tasks.map(\.description)))
                try Self.record(arrays, in: directory)
                return slurmID
            } catch let error as JobError {
                guard let delay = delays.popFirst() else { throw error }
                try await Task.sleep(for: .seconds(delay))
            } catch {
                throw JobError("cannot record the batch job's arrays: \(error)")
            }
        }
    }

    /// Submits a sharded job: its training tasks, then its predictions after them.
    /// - Returns: the first array's Slurm id.
    func submitTasks(of job: EvaluationJob, directory: JobDirectory, name: String) async throws -> String {
        try? FileManager.default.removeItem(at: Self.arraysFile(directory))
        let training = job.tasks.filter { if case .train = $0 { true } else { false } }
        let first = try await submitArray(training, of: job, directory: directory, name: name, dependency: nil)
        _ = try await submitArray(job.tasks.filter { $0.dependency != nil }, of: job, directory: directory, name: name, dependency: first)
        return first
    }

    /// Follows a sharded job's arrays until every task has ended, submitting again the tasks
    /// that ended without running; returns the report its tasks wrote.
    func followTasks(
        _ slurmID: String, directory: JobDirectory, waiting: @escaping @Sendable (String) async -> Void,
        progress: @escaping JobProgress
    ) async throws -> JobReport {
        var followed: Set<String> = []
        do {
            let report = try await followTasks(directory: directory, followed: &followed, waiting: waiting, progress: progress)
            for id in followed { await watcher.unfollow(id) }
            return report
        } catch {
            for id in followed { await watcher.unfollow(id) }
            throw error
        }
    }

    private func followTasks(
        directory: JobDirectory, followed: inout Set<String>, waiting: @escaping @Sendable (String) async -> Void,
        progress: @escaping JobProgress
    ) async throws -> JobReport {
        let runner = try Self.runner(directory)
        let job = runner.job
        var reported: JobTask?
        var lastReason: String?
        var queueFailures = 0
        while true {
            try Task.checkCancellation()
            let arrays = Self.arrays(directory)
            guard let name = arrays.first?.name else { throw JobError("the batch job's arrays.json is missing from \(directory.batch.path)") }
            var entries: [(array: TaskArray, entry: SlurmCommands.QueueEntry)] = []
            do {
                for array in arrays {
                    if followed.insert(array.slurmID).inserted { await watcher.follow(array.slurmID) }
                    entries += try await watcher.entries(of: array.slurmID).map { (array, $0) }
                }
                queueFailures = 0
            } catch let error as JobError {
                queueFailures += 1
                if Double(queueFailures) * settings.pollSeconds > 60 { throw error }
                try await Task.sleep(for: .seconds(settings.pollSeconds))
                continue
            }
            let unfinished = entries.filter { !$0.entry.state.hasEnded }
            if unfinished.isEmpty {
                for (array, entry) in entries {
                    guard let index = entry.arrayTask, index < array.tasks.count, let task = JobTask(name: array.tasks[index]) else { continue }
                    try recordLimit(of: entry, task: task, runner: runner, directory: directory, array: array)
                }
                if runner.failedTask() != nil { return runner.assembledReport() }
                let toRun = job.tasks.filter { task in
                    (try? runner.result(of: task)) ?? nil == nil
                        && (task.dependency.map { ((try? runner.result(of: $0)) ?? nil)?.ending == .succeeded } ?? true)
                }
                if toRun.isEmpty {
                    let report = runner.assembledReport()
                    try? JSONEncoder().encode(report).write(to: directory.reportFile, options: .atomic)
                    return report
                }
                let submissions = Dictionary(grouping: arrays.flatMap(\.tasks), by: { $0 }).mapValues(\.count)
                if let spent = toRun.first(where: { (submissions[$0.description] ?? 0) >= Self.maximumTaskSubmissions }) {
                    let ended = entries.last { $0.array.tasks.contains(spent.description) }?.entry
                    throw JobError(
                        "Slurm ran the task \(spent) \(Self.maximumTaskSubmissions) times without its ending (last: \(ended.map { "\($0.state)" } ?? "unknown"), "
                            + "reason \(ended?.reason ?? "none")): the cluster's failure, not the submission's")
                }
                _ = try await submitArray(toRun, of: job, directory: directory, name: name, dependency: nil)
                continue
            }
            if unfinished.contains(where: { $0.entry.state == .running }) {
                if let running = job.tasks.last(where: { FileManager.default.fileExists(atPath: directory.place(of: $0).running.path) }),
                    running != reported
                {
                    reported = running
                    await progress(running.fold, directory.place(of: running).step)
                }
            } else if let reason = unfinished.first?.entry.reason, reason != lastReason {
                lastReason = reason
                await waiting(reason)
            }
            try await Task.sleep(for: .seconds(settings.pollSeconds))
        }
    }

    /// Writes how a task ended when Slurm stopped it for a limit (time, memory): the
    /// submission's failure, final. Tasks that ended otherwise without a result are run again.
    private func recordLimit(of entry: SlurmCommands.QueueEntry, task: JobTask, runner: JobRunner, directory: JobDirectory, array: TaskArray) throws {
        guard ((try? runner.result(of: task)) ?? nil) == nil else { return }
        let output = taskOutputTail(directory, array: array, index: entry.arrayTask ?? 0)
        let limit: SandboxResult.Limit
        let note: String
        switch entry.state {
        case .outOfMemory:
            (limit, note) = (
                .memory, "Slurm stopped the task: it went over its memory (--mem=\(Self.memoryMegabytes(job: runner.job, settings: settings))M)"
            )
        case .failed where output.contains("Exceeded job memory limit") || output.contains("exceeded memory limit"):
            (limit, note) = (
                .memory, "Slurm stopped the task: it went over its memory (--mem=\(Self.memoryMegabytes(job: runner.job, settings: settings))M)"
            )
        case .timedOut:
            (limit, note) = (.wallTime, "Slurm stopped the task at its time limit")
        default:
            return
        }
        let result = SandboxResult(
            ending: .limitExceeded(limit), wallSeconds: 0, cpuSeconds: nil, peakMemoryBytes: nil,
            outputTail: "\(note)\n\(output)", outputBytes: output.utf8.count)
        try JSONEncoder().encode(result).write(to: directory.place(of: task).result, options: .atomic)
    }

    /// The last 4 KiB of an array task's output file.
    private func taskOutputTail(_ directory: JobDirectory, array: TaskArray, index: Int) -> String {
        let arrays = Self.arrays(directory)
        let round = arrays.firstIndex { $0.slurmID == array.slurmID } ?? 0
        let file = directory.batch.appendingPathComponent("tasks-\(round)-\(index).out")
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    static func runner(_ directory: JobDirectory) throws -> JobRunner {
        do {
            let job = try directory.specification()
            return JobRunner(job: job, directory: directory, sandbox: Sandbox(runtime: job.runtime, limits: job.limits))
        } catch {
            throw JobError("cannot read the job's \(directory.specificationFile.lastPathComponent): \(error)")
        }
    }
}
