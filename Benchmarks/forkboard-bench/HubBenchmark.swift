import ArgumentParser
import Foundation
import GRDB
import Hub
import Ledger
import Subprocess
import SystemPackage

/// A hub at scale, served by the release `forkboard serve`: push latency against a plain
/// `git http-backend` push through the same server, the leaderboard API and a submission's
/// status under 64 concurrent connections (wrk), and the server's peak memory, on ledgers of
/// generated scored submissions; then evaluations per minute with 1 and 2 worker processes.
struct HubBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Push latency, leaderboard latency under load and memory at 100 to 10,000 submissions; evaluations per minute with 1 and 2 workers."
    )

    @Option(help: "Ledger sizes (scored submissions), comma-separated.")
    var sizes = "100,1000,10000"

    @Option(help: "Pushes timed per size (the median is shown).")
    var pushes = 7

    @Option(help: "Seconds of load per wrk run.")
    var seconds = 10

    @Option(help: "Submissions evaluated in the throughput measurement (0 skips it).")
    var evaluations = 8

    @OptionGroup var served: ServedHubOptions

    func run() async throws {
        let wrk = try served.wrk()
        var rows: [[String]] = []
        for size in sizes.split(separator: ",").compactMap({ Int($0) }) {
            let scenario = try await served.scenario(size: size)
            defer { scenario.close() }
            let hub = try await scenario.pushLatency(count: pushes, team: "bench")
            let plain = try await scenario.pushLatency(count: pushes, team: "plain")
            if let keep = ProcessInfo.processInfo.environment["FORKBOARD_BENCH_KEEP"], !keep.isEmpty {
                say("kept: \(scenario.baseURL) \(scenario.home.path)")
                try await Task.sleep(for: .seconds(Double(keep) ?? 600))
            }
            let board = try await scenario.load(wrk: wrk, path: "/api/v1/leaderboard", seconds: seconds)
            let status = try await scenario.load(wrk: wrk, path: "/api/v1/submissions/team-1/submission-1", seconds: seconds)
            let pageBytes = try await scenario.responseBytes("/api/v1/leaderboard")
            rows.append([
                String(size), String(format: "%.3f", hub), String(format: "%.3f", plain), String(format: "%.2f", hub / plain),
                String(format: "%.1f", board.p50), String(format: "%.1f", board.p99), String(format: "%.0f", board.requestsPerSecond),
                String(format: "%.1f", status.p99), String(pageBytes / 1024), String(scenario.serverPeakMemoryBytes() / (1 << 20)),
            ])
            say("measured \(size) submissions")
        }
        say("")
        say(
            LeaderboardFormatter.table(
                header: [
                    "submissions", "push s", "plain push s", "push ratio", "leaderboard p50 ms", "leaderboard p99 ms", "leaderboard req/s",
                    "status p99 ms", "page KiB", "serve peak MiB",
                ], rows: rows))
        say("push: median of \(pushes) pushes of a one-line change, from `git push` to its end (\"accepted\"), to a team repository (hooks,")
        say("intake) and to a repository without hooks served by the same server (plain git http-backend).")
        say("leaderboard and status: wrk, 2 threads, 64 connections, \(seconds) s; the leaderboard's first page (50 rows).")
        if evaluations > 0 {
            let throughput = try await HubScenario.throughput(
                count: evaluations, python: served.python, share: URL(fileURLWithPath: served.share), forkboard: served.forkboard)
            say("")
            say(LeaderboardFormatter.table(header: ["worker processes", "evaluations", "wall s", "evaluations per minute"], rows: throughput))
        }
        say("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
    }
}
