import Challenge
import Foundation
import Host

/// Runs evaluation jobs on a Slurm cluster: each job directory (in the shared directory) is
/// submitted with `sbatch` as one batch job running `forkboard run-job` on a node, or as a job
/// array with one task per fold; the hub follows it with `squeue` and reads the report back.
/// The node runs the same sandbox with the same limits as the local executor, and never opens
/// the hub's ledger.
///
/// Resources asked of Slurm, from the challenge's ``Challenge/Limits``: `--time` covers every
/// step's wall-clock limit plus ``Challenge/SlurmSettings/timeOverheadSeconds``, rounded up to
/// minutes (the sandbox still stops each step at its own limit, to the second); `--mem` is the
/// memory limit plus ``Challenge/SlurmSettings/memoryOverheadBytes``; `--cpus-per-task` comes
/// from the settings. Jobs are submitted with `--no-requeue`: the hub, not Slurm, decides what
/// is retried.
public struct SlurmExecutor: BatchExecutor {
    public let settings: SlurmSettings
    /// The `forkboard` executable the nodes run.
    public let forkboardCommand: String
    let commands = SlurmCommands()
    let watcher: SlurmQueueWatcher

    /// The prefix of the job ids this executor returns (`slurm:4242`).
    public static let jobIDPrefix = "slurm:"

    public init(settings: SlurmSettings) {
        self.settings = settings
        self.forkboardCommand = settings.forkboardCommand ?? Self.ownExecutable
        self.watcher = SlurmQueueWatcher(commands: commands, pollSeconds: settings.pollSeconds)
    }

    /// This process's executable's path, as the kernel names it: still the path after the
    /// file was replaced by a new build (the kernel then adds " (deleted)", left out here), so
    /// that the nodes run the executable now at that path.
    static var ownExecutable: String {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return target.hasSuffix(" (deleted)") ? String(target.dropLast(" (deleted)".count)) : target
    }

    /// Seconds to wait between tries of a submission sbatch refused (a controller restarting
    /// or briefly unreachable), about a minute in all.
    static let submissionRetrySeconds: [Double] = [2, 4, 8, 16, 30]

    /// Problems that would stop this hub from running jobs on the cluster: Slurm's programs
    /// missing, a controller that does not answer, an unknown partition, sbatch arguments,
    /// account or QoS that sbatch refuses (asked with `--test-only` for a job with `limits`),
    /// a shared directory the hub cannot write, a `forkboard` command that does not exist.
    /// Empty when none is found.
    public func problems(limits: Limits = .defaults) async -> [String] {
        var found: [String] = []
        for program in ["sbatch", "squeue", "scontrol", "scancel", "sinfo"] {
            if (try? Executables.locate(program)) == nil {
                found.append("\(program) is not on the PATH (Debian and Ubuntu: apt-get install slurm-client)")
            }
        }
        if found.isEmpty {
            do {
                let partitions = try await commands.partitions()
                if let partition = settings.partition, !partitions.contains(partition) {
                    found.append("partition '\(partition)' is not one of the cluster's: \(partitions.joined(separator: ", "))")
                }
            } catch {
                found.append("the Slurm controller does not answer: \(error)")
            }
        }
        let probe = URL(fileURLWithPath: settings.sharedDirectory).appendingPathComponent(".forkboard-write-check-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: probe.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            found.append(
                "the shared directory \(settings.sharedDirectory) cannot be written by this user (create it, and give the hub's account write access)"
            )
        }
        if !FileManager.default.isExecutableFile(atPath: forkboardCommand) {
            found.append("forkboard_command \(forkboardCommand) is not an executable file on this machine (the nodes run it at that path)")
        }
        if found.isEmpty {
            let directory = JobDirectory(
                url: URL(fileURLWithPath: settings.sharedDirectory).appendingPathComponent(".forkboard-check-\(UUID().uuidString.prefix(8))"))
            defer { try? FileManager.default.removeItem(at: directory.url) }
            let job = EvaluationJob(
                name: "challenge check", question: "check", trainCommand: ["true"], predictCommand: ["true"], environment: [:],
                foldCount: 1, limits: limits, runtime: Runtime(binDirectory: "/usr/bin", readOnlyPaths: []))
            let script = directory.url.appendingPathComponent("check.sh")
            do {
                try FileManager.default.createDirectory(at: directory.batch, withIntermediateDirectories: true)
                try Data("#!/bin/sh\ntrue\n".utf8).write(to: script)
                try await commands.testSubmission(
                    script: script, arguments: Self.sbatchArguments(job: job, settings: settings, name: "forkboard-check", directory: directory))
            } catch {
                found.append("sbatch would refuse the hub's jobs (partition, account, qos, sbatch_arguments, --time or --mem): \(error)")
            }
        }
        return found
    }

    /// The Slurm job id of a job id this executor returned, or nil for another executor's.
    public static func slurmJobID(_ jobID: String) -> String? {
        jobID.hasPrefix(jobIDPrefix) ? String(jobID.dropFirst(jobIDPrefix.count)) : nil
    }

    public func submit(_ directory: JobDirectory, name: String) async throws -> String {
        let job: EvaluationJob
        do {
            job = try directory.specification()
        } catch {
            throw JobError("cannot read the job's \(directory.specificationFile.lastPathComponent): \(error)")
        }
        guard FileManager.default.isExecutableFile(atPath: forkboardCommand) else {
            throw JobError(
                "the forkboard executable the nodes would run, \(forkboardCommand), does not exist or cannot be run (set executor: forkboard_command in challenge.yaml)"
            )
        }
        // A question whose test objects are in shards: one array task per sandboxed run.
        if job.testShardCount != nil { return Self.jobIDPrefix + (try await submitTasks(of: job, directory: directory, name: name)) }
        let batch = directory.batch
        let script = batch.appendingPathComponent("job.sh")
        do {
            try FileManager.default.createDirectory(at: batch, withIntermediateDirectories: true)
            try Data(Self.script(job: job, directory: directory, forkboard: forkboardCommand, perFold: settings.granularity == .fold).utf8)
                .write(to: script, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        } catch {
            throw JobError("cannot write the batch job's files in \(batch.path): \(error.localizedDescription)")
        }
        let arguments = Self.sbatchArguments(job: job, settings: settings, name: name, directory: directory)
        var delays = Self.submissionRetrySeconds[...]
        while true {
            do {
                return Self.jobIDPrefix + (try await commands.submit(script: script, arguments: arguments))
            } catch let error as JobError {
                guard let delay = delays.popFirst() else { throw error }
                try await Task.sleep(for: .seconds(delay))
            }
        }
    }

    /// The batch script: runs `forkboard run-job` on the job's directory (one fold per array task
    /// when `perFold`).
    static func script(job: EvaluationJob, directory: JobDirectory, forkboard: String, perFold: Bool) -> String {
        """
        #!/bin/sh
        # Forkboard evaluation job: \(job.name.replacingOccurrences(of: "\n", with: " "))
        exec \(shellQuoted(forkboard)) run-job \(shellQuoted(directory.url.path))\(perFold ? " --fold \"$SLURM_ARRAY_TASK_ID\"" : "")

        """
    }

    /// `sbatch`'s arguments for `job`: its name, output file, resources and the settings' own;
    /// with `tasks`, an array of that many single runs (a sharded job's tasks) writing `output`.
    static func sbatchArguments(
        job: EvaluationJob, settings: SlurmSettings, name: String, directory: JobDirectory,
        tasks: Int? = nil, output: String? = nil
    ) -> [String] {
        let perFold = settings.granularity == .fold
        let runs = tasks != nil ? 1 : perFold ? 2 : 2 * job.foldCount
        let seconds = runs * job.limits.wallSeconds + settings.timeOverheadSeconds
        let minutes = max(1, (seconds + 59) / 60)
        let megabytes = memoryMegabytes(job: job, settings: settings)
        var arguments = [
            "--job-name=\(name)", "--comment=\(job.name)", "--chdir=\(directory.url.path)",
            "--output=\(directory.batch.path)/\(output ?? (perFold ? "slurm-%a.out" : "slurm.out"))",
            "--time=\(minutes)", "--mem=\(megabytes)M", "--cpus-per-task=\(settings.cpusPerTask)",
            "--nodes=1", "--ntasks=1", "--no-requeue",
        ]
        if let tasks {
            arguments.append("--array=0-\(tasks - 1)")
        } else if perFold {
            arguments.append("--array=0-\(job.foldCount - 1)")
        }
        if let partition = settings.partition { arguments.append("--partition=\(partition)") }
        if let account = settings.account { arguments.append("--account=\(account)") }
        if let qos = settings.qualityOfService { arguments.append("--qos=\(qos)") }
        return arguments + settings.sbatchArguments
    }

    /// `--mem` in mebibytes: the sandbox's memory limit plus the settings' overhead, rounded up.
    static func memoryMegabytes(job: EvaluationJob, settings: SlurmSettings) -> Int {
        (job.limits.memoryBytes + settings.memoryOverheadBytes + (1 << 20) - 1) >> 20
    }

    public func follow(
        jobID: String, directory: JobDirectory, waiting: @escaping @Sendable (String) async -> Void,
        progress: @escaping JobProgress
    ) async throws -> JobReport {
        guard let slurmID = Self.slurmJobID(jobID) else { throw JobError("\(jobID) is not a Slurm job") }
        if (try? directory.specification())?.testShardCount != nil {
            return try await followTasks(slurmID, directory: directory, waiting: waiting, progress: progress)
        }
        await watcher.follow(slurmID)
        do {
            let report = try await followFollowed(slurmID, directory: directory, waiting: waiting, progress: progress)
            await watcher.unfollow(slurmID)
            return report
        } catch {
            await watcher.unfollow(slurmID)
            throw error
        }
    }

    private func followFollowed(
        _ slurmID: String, directory: JobDirectory, waiting: @escaping @Sendable (String) async -> Void,
        progress: @escaping JobProgress
    ) async throws -> JobReport {
        var reported: (fold: Int, step: JobReport.Step)?
        var lastReason: String?
        var queueFailures = 0
        var unlisted = 0
        while true {
            try Task.checkCancellation()
            let entries: [SlurmCommands.QueueEntry]
            do {
                entries = try await watcher.entries(of: slurmID)
                queueFailures = 0
            } catch let error as JobError {
                // The controller may be restarting: give it a minute before failing the attempt.
                queueFailures += 1
                if Double(queueFailures) * settings.pollSeconds > 60 { throw error }
                try await Task.sleep(for: .seconds(settings.pollSeconds))
                continue
            }
            // Missing from three readings in a row: the controller forgot the job.
            if entries.isEmpty {
                unlisted += 1
                if unlisted >= 3 { return try await forgottenJob(slurmID, directory: directory) }
                try await Task.sleep(for: .seconds(settings.pollSeconds))
                continue
            }
            unlisted = 0
            if entries.allSatisfy(\.state.hasEnded) {
                return try await ended(slurmID, entries: entries, directory: directory)
            }
            if entries.contains(where: { $0.state == .running }) {
                if let latest = latestStep(directory), latest.fold != reported?.fold || latest.step != reported?.step {
                    reported = latest
                    await progress(latest.fold, latest.step)
                }
            } else if let reason = entries.first?.reason, reason != lastReason {
                lastReason = reason
                await waiting(reason)
            }
            try await Task.sleep(for: .seconds(settings.pollSeconds))
        }
    }

    /// The fold step that started last, read from the folds' progress files.
    private func latestStep(_ directory: JobDirectory) -> (fold: Int, step: JobReport.Step)? {
        guard let job = try? directory.specification() else { return nil }
        var latest: (fold: Int, step: JobReport.Step)?
        for index in 0..<job.foldCount {
            if let step = directory.fold(index).lastStartedStep() { latest = (index, step) }
        }
        return latest
    }

    /// A job the controller no longer lists (it ended longer ago than `MinJobAge`, or the
    /// controller lost its state): its report, when it wrote one.
    private func forgottenJob(_ slurmID: String, directory: JobDirectory) async throws -> JobReport {
        if settings.granularity == .evaluation, let report = try? directory.report() { return report }
        if settings.granularity == .fold, let job = try? directory.specification(), let report = try? foldReports(job: job, directory: directory) {
            return report
        }
        throw JobError("Slurm job \(slurmID) is no longer known to the controller and left no report")
    }

    /// Every fold's report of a job array, merged; nil when one is missing.
    private func foldReports(job: EvaluationJob, directory: JobDirectory) throws -> JobReport? {
        var folds: [JobReport.Fold] = []
        for index in 0..<job.foldCount {
            let file = directory.fold(index).report
            guard FileManager.default.fileExists(atPath: file.path) else { return nil }
            folds += try JSONDecoder().decode(JobReport.self, from: Data(contentsOf: file)).folds
        }
        return JobReport(folds: folds)
    }

    public func unrecordedJob(named name: String) async -> String? {
        guard let ids = try? await commands.jobs(named: name) else { return nil }
        for id in ids {
            guard let entries = try? await commands.queue(jobIDs: [id]), !entries.isEmpty else { continue }
            if entries.contains(where: { !$0.state.hasEnded }) || entries.allSatisfy({ $0.state == .completed }) {
                return Self.jobIDPrefix + id
            }
        }
        return nil
    }

    public func cancel(jobID: String) async throws {
        try await Self.cancel(jobID: jobID)
    }

    /// Cancels a job this executor returned (`scancel`), whatever the hub's settings now are.
    /// - Throws: ``JobError`` when scancel fails.
    public static func cancel(jobID: String) async throws {
        guard let slurmID = slurmJobID(jobID) else { return }
        let commands = SlurmCommands()
        try await commands.cancel(jobID: slurmID)
        // A sharded job's later arrays carry its name.
        if let name = ((try? await commands.details(jobID: slurmID)) ?? nil)?.first?["JobName"] {
            for other in (try? await commands.jobs(named: name)) ?? [] where other != slurmID {
                try? await commands.cancel(jobID: other)
            }
        }
    }
}

/// `text` quoted for a POSIX shell.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
