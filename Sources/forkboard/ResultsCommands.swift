import ArgumentParser
import Foundation
import Hub
import Ledger

struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Evaluate submissions again (after a harness or score-type fix); earlier results are kept in their history.")

    @Argument(help: "TEAM/NAME of each submission to re-score.")
    var submissions: [String] = []

    @Flag(help: "Re-score every submission.")
    var all = false

    @Option(help: "Only this question.")
    var question: String?

    @OptionGroup var hubOptions: HubOptions

    func validate() throws {
        guard all != !submissions.isEmpty else { throw ValidationError("name submissions as TEAM/NAME, or pass --all (not both)") }
    }

    func run() async throws {
        let hub = try hubOptions.open()
        let details = try hub.ledger.submissionDetails()
        let wanted = Set(submissions)
        for name in wanted where !details.contains(where: { "\($0.submission.key)" == name }) {
            throw ValidationError("no submission '\(name)'")
        }
        let ids = details.filter { all || wanted.contains("\($0.submission.key)") }
            .flatMap(\.evaluations).map(\.record).filter { question == nil || $0.question == question }.map { $0.id! }
        let outcome = try hub.rescore(evaluationIDs: ids, by: organiserName())
        var lines = [
            outcome.queued > 0
                ? "Queued \(outcome.queued) evaluation(s) again; 'forkboard serve' runs them."
                : "No evaluation queued again."
        ]
        if outcome.waiting > 0 {
            lines.append("Left as they were: \(outcome.waiting) evaluation(s) still waiting in the queue, which will run anyway.")
        }
        if outcome.running > 0 { lines.append("Left alone: \(outcome.running) evaluation(s) running now; re-score them once they have ended.") }
        say(lines.joined(separator: "\n"))
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the ledger (git bundle with notes), the results (CSV, JSON), the predictions and a README.")

    @Argument(help: "A new or empty directory.")
    var directory: String

    @OptionGroup var hubOptions: HubOptions

    func run() async throws {
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        try await Export(hub: try hubOptions.open()).write(to: target)
        say("Exported to \(target.path) (see its README.md)")
    }
}

struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract:
            "Apply a scored submission to new rows in the sandbox: its fold models averaged, or retrained on all public rows, or the blended ensemble."
    )

    @Argument(help: "TEAM/NAME")
    var submission: SubmissionKey

    @Option(help: "A CSV with the id column and the question's features.")
    var input: String

    @Option(help: "Where to write the predictions (id, then one column per label).")
    var output: String

    @Option(help: "The question (default: the submission's first scored one).")
    var question: String?

    @Flag(help: "Train once on the full public training rows first, and predict with that model.")
    var retrain = false

    @Flag(help: "Apply the combined ensemble of every scored submission (contributivity's blend) instead.")
    var ensemble = false

    @OptionGroup var hubOptions: HubOptions

    func validate() throws {
        guard !(retrain && ensemble) else { throw ValidationError("--retrain and --ensemble exclude each other") }
    }

    func run() async throws {
        try await Prediction(hub: try hubOptions.open()).predict(
            submission, questionName: question,
            input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output),
            mode: retrain ? .retrain : ensemble ? .ensemble : .foldModels)
        say("Predictions written to \(output)")
    }
}
