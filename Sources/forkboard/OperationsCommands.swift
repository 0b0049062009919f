import ArgumentParser
import Challenge
import Foundation
import Hub
import Ledger

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Stop a queued or running evaluation (the name stays used; no quota is given back).")

    @Argument(help: "TEAM/NAME of the submission.")
    var submission: SubmissionKey

    @OptionGroup var hubOptions: HubOptions

    func run() async throws {
        let hub = try hubOptions.open()
        guard let record = try hub.ledger.submission(submission) else {
            throw ValidationError("no submission '\(submission.description)'")
        }
        let cancellation = try await hub.cancel(submissionID: record.id!, by: organiserName())
        let count = cancellation.evaluations
        say(count == 0 ? "\(submission.description) had no unfinished evaluation" : "\(submission.description): cancelled \(count) evaluation(s)")
        for job in cancellation.batchJobs { say("  cancelled \(job) on the cluster") }
        for failure in cancellation.failures { say("  could not cancel \(failure)") }
    }
}

struct ResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resources",
        abstract: "Report the compute the evaluations used (measured by the hub), and project what participants cost.")

    @OptionGroup var hubOptions: HubOptions

    @Option(help: "table or json.")
    var format: LeaderboardFormatter.Format = .table

    @Option(help: "Participants to project for.")
    var participants: Int = 100

    @Option(help: "Submissions per participant to project for.")
    var submissionsPerParticipant: Int = 50

    func run() async throws {
        let hub = try hubOptions.open()
        let report = try ResourceReport.make(
            ledger: hub.ledger,
            projections: hub.challenge.questions.compactMap { question in
                (try? Data(contentsOf: CostProjection.file(hub: hub, question: question.name))).flatMap {
                    try? JSONDecoder().decode(CostProjection.self, from: $0)
                }
            })
        switch format {
        case .json: say(try LeaderboardFormatter.json(report), terminator: "")
        case .table, .csv: say(report.table(participants: participants, submissionsPerParticipant: submissionsPerParticipant), terminator: "")
        }
    }
}
