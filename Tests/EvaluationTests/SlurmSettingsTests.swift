import Challenge
import Foundation
import Testing
@testable import Evaluation

/// The `executor:` section of challenge.yaml, what the hub asks of Slurm for a job, and how
/// Slurm's job states read.
struct SlurmSettingsTests {
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates/breast-cancer/challenge.yaml")

    static func parse(executor: String) throws -> ChallengeConfiguration {
        let text = try String(contentsOf: template, encoding: .utf8) + "\n" + executor
        return try ChallengeConfiguration.parse(text, file: "challenge.yaml", initTime: Date())
    }

    @Test func withoutAnExecutorSectionJobsRunLocally() throws {
        #expect(try Self.parse(executor: "").executor == .local)
        #expect(try Self.parse(executor: "executor:\n  type: local").executor == .local)
    }

    @Test func aSlurmSectionIsReadWithItsDefaults() throws {
        let configuration = try Self.parse(
            executor: """
                executor:
                  type: slurm
                  shared_directory: /sps/forkboard
                  partition: htc
                  account: lsst
                  qos: normal
                  sbatch_arguments: ["--constraint=el9"]
                  job_per: fold
                """)
        guard case .slurm(let settings) = configuration.executor else {
            Issue.record("not a Slurm executor")
            return
        }
        #expect(settings.sharedDirectory == "/sps/forkboard" && settings.partition == "htc" && settings.account == "lsst")
        #expect(settings.qualityOfService == "normal" && settings.sbatchArguments == ["--constraint=el9"])
        #expect(settings.granularity == .fold && settings.jobsInFlight == 8 && settings.cpusPerTask == 1 && settings.pollSeconds == 2)
    }

    @Test(arguments: [
        ("executor:\n  type: pbs", "executor.type: 'pbs' is not an executor"),
        ("executor:\n  type: slurm", "executor.shared_directory: is required"),
        ("executor:\n  type: slurm\n  shared_directory: relative/path", "executor.shared_directory: must be an absolute path"),
        ("executor:\n  type: slurm\n  shared_directory: /s\n  job_per: step", "executor.job_per: 'step' is not one of"),
        ("executor:\n  type: slurm\n  shared_directory: /s\n  jobs_in_flight: 0", "executor.jobs_in_flight: must be at least 1"),
        ("executor:\n  type: slurm\n  shared_directory: /s\n  partiton: htc", "executor.partiton: unknown key"),
        ("executor:\n  type: local\n  partition: htc", "executor.partition: unknown key"),
    ])
    func aBadSectionNamesItsKey(executor: String, problem: String) {
        #expect {
            try Self.parse(executor: executor)
        } throws: { error in
            "\(error)".contains(problem) && "\(error)".contains("challenge.yaml")
        }
    }

    static func job(folds: Int) -> EvaluationJob {
        var limits = Limits.defaults
        limits.wallSeconds = 300
        limits.memoryBytes = 2 << 30
        return EvaluationJob(
            name: "alice/kit on diagnosis", question: "diagnosis", trainCommand: ["python"], predictCommand: ["python"],
            environment: [:], foldCount: folds, limits: limits, runtime: Runtime(binDirectory: "/usr/bin", readOnlyPaths: []))
    }

    @Test func aJobAsksForEveryStepsTimeAndTheMemoryLimitPlusOverheadInMinutesAndMebibytes() {
        let directory = JobDirectory(url: URL(fileURLWithPath: "/shared/runs/alice/kit/diagnosis"))
        let settings = SlurmSettings(sharedDirectory: "/shared", partition: "htc", sbatchArguments: ["--constraint=el9"], cpusPerTask: 2)
        let arguments = SlurmExecutor.sbatchArguments(job: Self.job(folds: 5), settings: settings, name: "forkboard-x", directory: directory)
        // 5 folds x (train + predict) x 300 s + 120 s = 3,120 s: 52 minutes.
        #expect(arguments.contains("--time=52"))
        // 2 GiB + 512 MiB.
        #expect(arguments.contains("--mem=2560M"))
        #expect(arguments.contains("--cpus-per-task=2") && arguments.contains("--partition=htc") && arguments.contains("--no-requeue"))
        #expect(arguments.contains("--output=/shared/runs/alice/kit/diagnosis/batch/slurm.out"))
        #expect(arguments.last == "--constraint=el9", "the organiser's own arguments come last, and win")
        #expect(!arguments.contains { $0.hasPrefix("--array") })

        var perFold = settings
        perFold.granularity = .fold
        let array = SlurmExecutor.sbatchArguments(job: Self.job(folds: 5), settings: perFold, name: "forkboard-x", directory: directory)
        // One fold: 2 x 300 s + 120 s = 720 s: 12 minutes.
        #expect(array.contains("--array=0-4") && array.contains("--time=12"))
        #expect(array.contains("--output=/shared/runs/alice/kit/diagnosis/batch/slurm-%a.out"))
        let script = SlurmExecutor.script(job: Self.job(folds: 5), directory: directory, forkboard: "/opt/forkboard's/forkboard", perFold: true)
        #expect(script.contains(#"exec '/opt/forkboard'\''s/forkboard' run-job '/shared/runs/alice/kit/diagnosis' --fold "$SLURM_ARRAY_TASK_ID""#))
    }

    @Test func slurmStatesReadAsWaitingRunningOrEndedForAReason() {
        #expect(SlurmJobState(name: "PENDING") == .waiting && SlurmJobState(name: "REQUEUED") == .waiting)
        #expect(SlurmJobState(name: "RUNNING") == .running && SlurmJobState(name: "COMPLETING") == .running)
        #expect(SlurmJobState(name: "COMPLETED") == .completed && SlurmJobState(name: "FAILED") == .failed)
        #expect(SlurmJobState(name: "OUT_OF_MEMORY") == .outOfMemory && SlurmJobState(name: "TIMEOUT") == .timedOut)
        #expect(SlurmJobState(name: "CANCELLED by 0") == .cancelled)
        #expect(SlurmJobState(name: "NODE_FAIL") == .infrastructureFailure("NODE_FAIL"))
        #expect(SlurmJobState(name: "PREEMPTED") == .infrastructureFailure("PREEMPTED"))
        #expect(!SlurmJobState(name: "RUNNING").hasEnded && SlurmJobState(name: "BOOT_FAIL").hasEnded)
        #expect(SlurmJobState(name: "SOMETHING_NEW") == .other("SOMETHING_NEW") && !SlurmJobState(name: "SOMETHING_NEW").hasEnded)
    }
}
