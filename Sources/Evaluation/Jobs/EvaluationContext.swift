import Challenge
import Foundation

/// Where an evaluation finds what it needs in a hub home.
public struct EvaluationContext: Sendable {
    /// The hub home.
    public let hubHome: URL
    public let challenge: ChallengeConfiguration

    public init(hubHome: URL, challenge: ChallengeConfiguration) {
        self.hubHome = hubHome
        self.challenge = challenge
    }

    /// `<hub>/repos/ledger.git`: every submission's commits.
    public var ledgerRepository: URL { hubHome.appendingPathComponent("repos/ledger.git") }
    /// `<hub>/harness`: mounted read-only at `/harness` in the sandbox.
    public var harnessDirectory: URL { hubHome.appendingPathComponent("harness") }
    /// `<hub>/runs/.inputs`: the fold input files.
    public var inputCacheDirectory: URL { hubHome.appendingPathComponent("runs/.inputs") }

    /// `<hub>/runs/<team>/<name>/<question>`: the evaluation's job directory (``JobDirectory``):
    /// its tree, inputs, logs, predictions and models.
    public func runDirectory(team: String, submission: String, question: String) -> URL {
        hubHome.appendingPathComponent("runs").appendingPathComponent(team)
            .appendingPathComponent(submission).appendingPathComponent(question)
    }

    /// What writes the job directories of `question`'s evaluations.
    public func jobPreparation(question: Question) -> JobPreparation {
        JobPreparation(harnessDirectory: harnessDirectory, inputCacheDirectory: inputCacheDirectory,
                       inputStamp: FoldInputs.stamp(hubHome: hubHome, question: question))
    }

    /// The sandbox configured by the challenge (a hub's challenge.yaml always has a runtime:
    /// ``Hub`` refuses to open one without).
    /// `<hub>/scoring`: the organisers' score programs, mounted read-only at
    /// `/challenge/scoring` when they run.
    public var scoringDirectory: URL { hubHome.appendingPathComponent("scoring") }

    public var sandbox: Sandbox { Sandbox(runtime: challenge.runtime!, limits: challenge.limits) }
}
