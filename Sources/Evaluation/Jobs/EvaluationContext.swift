import Challenge
import Foundation
import Host

/// Where an evaluation finds what it needs in a hub home.
public struct EvaluationContext: Sendable {
    /// The hub home.
    public let hubHome: URL
    public let challenge: ChallengeConfiguration
    /// The hub's identifier: its own directory in a shared directory that several hubs use.
    public let hubIdentifier: String

    public init(hubHome: URL, challenge: ChallengeConfiguration, hubIdentifier: String = "hub") {
        self.hubHome = hubHome
        self.challenge = challenge
        self.hubIdentifier = hubIdentifier
    }

    /// `<hub>/repos/ledger.git`: every submission's commits.
    public var ledgerRepository: URL { HubHome(hubHome).ledgerRepository }
    /// `<hub>/harness`: mounted read-only at `/harness` in the sandbox.
    public var harnessDirectory: URL { HubHome(hubHome).harness }
    /// Where job directories live: `<hub>/runs`, or `<shared_directory>/<hub identifier>/runs`
    /// when a Slurm cluster runs the jobs (its nodes must see them; each hub has its own
    /// directory there).
    public var runsDirectory: URL {
        switch challenge.executor {
        case .local: HubHome(hubHome).runs
        case .slurm(let settings): URL(fileURLWithPath: settings.sharedDirectory).appendingPathComponent(hubIdentifier).appendingPathComponent("runs")
        }
    }

    /// `<runs>/.inputs`: the fold input directories (beside the job directories that link to them).
    public var inputCacheDirectory: URL { runsDirectory.appendingPathComponent(".inputs") }

    /// `<runs>/<team>/<name>/<question>`: the evaluation's job directory (``JobDirectory``):
    /// its tree, inputs, logs, predictions and models.
    public func runDirectory(team: String, submission: String, question: String) -> URL {
        runsDirectory.appendingPathComponent(team).appendingPathComponent(submission).appendingPathComponent(question)
    }

    /// What writes the job directories of `question`'s evaluations.
    public func jobPreparation(question: Question) -> JobPreparation {
        JobPreparation(
            harnessDirectory: harnessDirectory, inputCacheDirectory: inputCacheDirectory,
            inputStamp: FoldInputs.stamp(files: .hub(home: hubHome, question: question), question: question))
    }

    /// The sandbox configured by the challenge (a hub's challenge.yaml always has a runtime:
    /// ``Hub`` refuses to open one without).
    /// `<hub>/scoring`: the organisers' score programs, mounted read-only at
    /// `/challenge/scoring` when they run.
    public var scoringDirectory: URL { HubHome(hubHome).scoring }

    public var sandbox: Sandbox { Sandbox(runtime: challenge.runtime!, limits: challenge.limits) }
}
