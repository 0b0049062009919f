import Foundation
import Host
import Subprocess
import SystemPackage

/// Slurm's client programs (`sbatch`, `squeue`, `scontrol`, `scancel`) as the hub runs them:
/// found on the `PATH`, with the hub's environment (`SLURM_CONF` included), their output read
/// back. Accounting (`sacct`) is never needed: a small cluster may not keep it.
struct SlurmCommands: Sendable {
    /// One line of `squeue`: a job, or one task of a job array.
    struct QueueEntry: Sendable, Equatable {
        /// The job's id, or the array's for a task.
        let jobID: String
        /// The task's index in its array, nil for a job that is not an array.
        let arrayTask: Int?
        let state: SlurmJobState
        /// Why it waits (`Resources`, `Priority`) or why it ended (`NodeDown`); `None` else.
        let reason: String
    }

    /// Submits `script` with `arguments` (`--parsable` is added); returns the job id.
    /// - Throws: ``JobError`` with sbatch's message when it refuses.
    func submit(script: URL, arguments: [String]) async throws -> String {
        let result = try await run("sbatch", ["--parsable"] + arguments + [script.path])
        guard result.succeeded else {
            throw JobError("sbatch refused the job: \(result.error.isEmpty ? result.output : result.error)")
        }
        // `--parsable` prints `<id>` or `<id>;<cluster>`.
        let id = result.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else { throw JobError("sbatch printed no job id: '\(result.output)'") }
        return id
    }

    /// Asks sbatch whether it would accept the job, without submitting it (`--test-only`).
    /// - Throws: ``JobError`` with sbatch's message when it would refuse it.
    func testSubmission(script: URL, arguments: [String]) async throws {
        let result = try await run("sbatch", ["--test-only"] + arguments + [script.path])
        guard result.succeeded else { throw JobError(result.error.isEmpty ? result.output : result.error) }
    }

    /// The queue's lines for `jobIDs` (every task of an array), finished jobs included while the
    /// controller still remembers them (`MinJobAge`). A job it forgot has no line.
    /// - Throws: ``JobError`` when squeue cannot reach the controller.
    func queue(jobIDs: [String]) async throws -> [QueueEntry] {
        guard !jobIDs.isEmpty else { return [] }
        let result = try await run(
            "squeue",
            [
                "--noheader", "--states=all", "--array", "--jobs=\(jobIDs.joined(separator: ","))",
                "--format=%F|%K|%T|%r",
            ])
        guard result.succeeded else { throw JobError("squeue failed: \(result.error)") }
        return result.output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else { return nil }
            return QueueEntry(jobID: fields[0], arrayTask: Int(fields[1]), state: SlurmJobState(name: fields[2]), reason: fields[3])
        }
    }

    /// The ids of the jobs named `name` that the controller remembers.
    func jobs(named name: String) async throws -> [String] {
        let result = try await run("squeue", ["--noheader", "--states=all", "--name=\(name)", "--format=%F"])
        guard result.succeeded else { throw JobError("squeue failed: \(result.error)") }
        return Array(Set(result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
    }

    /// `scontrol show job`'s fields for `jobID` (one dictionary per task of an array), or nil
    /// when the controller does not know the job.
    func details(jobID: String) async throws -> [[String: String]]? {
        let result = try await run("scontrol", ["--oneliner", "show", "job", jobID])
        guard result.succeeded else {
            if result.error.contains("Invalid job id") { return nil }
            throw JobError("scontrol failed: \(result.error)")
        }
        return result.output.split(separator: "\n").map { line in
            var fields: [String: String] = [:]
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                fields[String(parts[0])] = String(parts[1])
            }
            return fields
        }
    }

    /// The cluster's partitions (`sinfo`), which also shows that the controller answers.
    /// - Throws: ``JobError`` when sinfo fails.
    func partitions() async throws -> [String] {
        let result = try await run("sinfo", ["--noheader", "--format=%R"])
        guard result.succeeded else { throw JobError("sinfo failed: \(result.error)") }
        return result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Cancels the job (every task of an array).
    /// - Throws: ``JobError`` with scancel's message.
    func cancel(jobID: String) async throws {
        let result = try await run("scancel", [jobID])
        guard result.succeeded else { throw JobError("scancel \(jobID) failed: \(result.error)") }
    }

    private struct Output {
        let succeeded: Bool
        let output: String
        let error: String
    }

    private func run(_ program: String, _ arguments: [String]) async throws -> Output {
        let path: String
        do {
            path = try Executables.locate(program)
        } catch {
            throw JobError(
                "\(program) is not on this machine's PATH: the Slurm executor needs Slurm's client programs (Debian and Ubuntu: apt-get install slurm-client)"
            )
        }
        do {
            let result = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(arguments),
                output: .string(limit: 4 << 20), error: .string(limit: 1 << 16))
            return Output(
                succeeded: result.terminationStatus.isSuccess, output: result.standardOutput,
                error: result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw JobError("cannot run \(program): \(error)")
        }
    }
}
