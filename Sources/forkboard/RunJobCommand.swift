import ArgumentParser
import Evaluation
import Foundation

struct RunJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-job",
        abstract:
            "Run an evaluation job's directory in the sandbox and write its report.json (what an executor runs, on this machine or a cluster's node).",
        discussion: """
            The directory holds job.json, tree/, harness/ and fold-<k>/input/ (see docs/architecture.md). \
            Exit status 0: the job ran and report.json says how each step ended (the submission's own failures included); \
            3: the job could not run (the sandbox could not start, the directory is incomplete), which is not the submission's fault.
            """)

    @Argument(help: "The job's directory.")
    var directory: String

    @Option(help: "Run only this fold (0-based) and write fold-<k>/report.json: one task of a batch job array.")
    var fold: Int?

    @Option(
        help:
            "Run only this task (fold-<k>/train, fold-<k>/predict, fold-<k>/shard-<s>) when the one it needs succeeded, and write how it ended beside its log: one task of a sharded job's array."
    )
    var task: String?

    func run() async throws {
        let job = JobDirectory(url: URL(fileURLWithPath: directory).standardizedFileURL)
        if let task {
            try await runTask(task, of: job)
            return
        }
        do {
            let report = try await LocalExecutor().run(job, only: fold) { fold, step in say("fold \(fold): \(step.rawValue)") }
            for fold in report.folds {
                say(
                    "fold \(fold.fold): train \(fold.train.summary) (\(String(format: "%.2f", fold.train.wallSeconds)) s)"
                        + (fold.predict.map { ", predict \($0.summary) (\(String(format: "%.2f", $0.wallSeconds)) s)" } ?? ""))
            }
            say("report: \((fold.map { job.fold($0).report } ?? job.reportFile).path)")
        } catch let error as JobError {
            FileHandle.standardError.write(Data("forkboard run-job: \(error)\n".utf8))
            throw ExitCode(3)
        }
    }

    /// Runs one task of the job in `directory`; a task whose dependency did not succeed is not
    /// run (its fold failed: nothing to predict with).
    private func runTask(_ name: String, of directory: JobDirectory) async throws {
        guard let task = JobTask(name: name) else {
            throw ValidationError("'\(name)' is not a task (fold-<k>/train, fold-<k>/predict, fold-<k>/shard-<s>)")
        }
        do {
            let job = try directory.specification()
            let runner = JobRunner(job: job, directory: directory, sandbox: Sandbox(runtime: job.runtime, limits: job.limits))
            if let dependency = task.dependency, (try runner.result(of: dependency))?.ending != .succeeded {
                say("\(task): not run, \(dependency) did not succeed")
                return
            }
            let result = try await runner.run(task) { _, step in say("\(task): \(step.rawValue)") }
            say("\(task): \(result.summary) (\(String(format: "%.2f", result.wallSeconds)) s)")
        } catch let error as JobError {
            FileHandle.standardError.write(Data("forkboard run-job: \(error)\n".utf8))
            throw ExitCode(3)
        } catch {
            FileHandle.standardError.write(Data("forkboard run-job: \(error)\n".utf8))
            throw ExitCode(3)
        }
    }
}
