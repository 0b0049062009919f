import ArgumentParser
import Foundation
import Hub

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

    func run() async throws {
        let hub = try hubOptions.open()
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
