import ArgumentParser
import Foundation
import Hub
import Ledger

extension LeaderboardFormatter.Format: ExpressibleByArgument {}

struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Show the leaderboard: scored submissions ranked by the official bagged validation score.")

    @OptionGroup var hubOptions: HubOptions

    @Option(help: "table, json or csv.")
    var format: LeaderboardFormatter.Format = .table

    @Option(help: "The question (default: the first).")
    var question: String?

    @Option(help: "Only the submissions pushed in this phase.")
    var phase: String?

    @Flag(help: "Only each team's best submission (the competitive leaderboard).")
    var bestPerTeam = false

    @Flag(
        name: .customLong("final"),
        help:
            "The final leaderboard: each team ranked by the private score of its best selected submission (its best public ones when it selected none)."
    )
    var finalLeaderboard = false

    func run() async throws {
        let hub = try hubOptions.open()
        if finalLeaderboard {
            let board = try FinalLeaderboard.make(hub: hub, question: question)
            switch format {
            case .json: say(try LeaderboardFormatter.json(board), terminator: "")
            case .table, .csv:
                say(
                    LeaderboardFormatter.table(
                        header: ["rank", "team", "submission", "private \(board.scoreType)", "public \(board.scoreType)", "counted"],
                        rows: board.rows.map { row in
                            [
                                String(row.rank), row.team, row.submission, String(format: "%.4f", row.privateScore),
                                row.publicScore.map { String(format: "%.4f", $0) } ?? "", row.selected ? "selected" : "best public",
                            ]
                        }))
            }
            return
        }
        let options = Leaderboard.Options(question: question, phase: phase, bestPerTeam: bestPerTeam)
        say(try LeaderboardFormatter.render(await Leaderboard.make(hub: hub, options: options), as: format), terminator: "")
    }
}

struct SubmissionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submissions",
        abstract: "List every submission with its state, scores and times, oldest first.")

    @OptionGroup var hubOptions: HubOptions

    @Option(help: "table, json or csv.")
    var format: LeaderboardFormatter.Format = .table

    func run() async throws {
        let hub = try hubOptions.open()
        switch format {
        case .json:
            let views = try SubmissionView.makeAll(hub: hub, includeLogs: true, visibleSplits: ScoreVisibility.all)
            say(try LeaderboardFormatter.json(views), terminator: "")
        case .table, .csv:
            let leaderboard = try await Leaderboard.make(hub: hub)
            let ordered = leaderboard.with(rows: leaderboard.rows.sorted { $0.submittedAt < $1.submittedAt })
            say(try LeaderboardFormatter.render(ordered, as: format), terminator: "")
        }
    }
}

struct SelectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract:
            "Select a submission for the final (private) leaderboard, for its team (final_selection in challenge.yaml; before the frozen phase).")

    @Argument(help: "TEAM/NAME of the submission.")
    var submission: SubmissionKey

    @Flag(help: "Remove it from the team's selection instead.")
    var unselect = false

    @OptionGroup var hubOptions: HubOptions

    func run() async throws {
        let hub = try hubOptions.open()
        let changed = try await hub.selectForFinal(submission, selected: !unselect, by: organiserName())
        say(
            unselect
                ? (changed ? "\(submission.description) is no longer selected" : "\(submission.description) was not selected")
                : (changed ? "\(submission.description) is selected for the final leaderboard" : "\(submission.description) was already selected"))
    }
}
