import ArgumentParser
import Foundation
import Hub

/// The web pages at scale, served by the release `forkboard serve` on a generated ledger
/// (1,000 teams and 10,000 scored submissions by default): the leaderboard page, a
/// submission's page, the lineage SVG and the leaderboard API under 64 concurrent
/// connections (wrk): p50, p99 and requests per second. The lineage SVG's first render
/// (Graphviz `dot`) is timed alone; later requests read it from the cache, kept until the
/// ledger changes.
struct WebBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Leaderboard page, submission page and lineage SVG under 64 connections at 10,000 submissions.")

    @Option(help: "Scored submissions in the generated ledger (a tenth as many teams).")
    var size = 10_000

    @Option(help: "Seconds of load per wrk run.")
    var seconds = 10

    @OptionGroup var served: ServedHubOptions

    func run() async throws {
        let wrk = try served.wrk()
        let scenario = try await served.scenario(size: size)
        defer { scenario.close() }
        let started = Date()
        let svgBytes = try await scenario.responseBytes("/lineage.svg")
        let firstRender = Date().timeIntervalSince(started)
        var rows: [[String]] = []
        let gzip = ["Accept-Encoding: gzip"]
        for (label, path, headers) in [
            ("leaderboard page", "/leaderboard", []), ("submission page", "/submissions/team-1/submission-1", []),
            ("lineage SVG (cached)", "/lineage.svg", []), ("lineage SVG (cached, gzip)", "/lineage.svg", gzip),
            ("leaderboard API", "/api/v1/leaderboard", []),
        ] {
            let result = try await scenario.load(wrk: wrk, path: path, seconds: seconds, headers: headers)
            let bytes = try await scenario.responseBytes(path, headers: headers)
            rows.append([
                label, path, String(format: "%.1f", result.p50), String(format: "%.1f", result.p99),
                String(format: "%.0f", result.requestsPerSecond), String(bytes / 1024),
            ])
        }
        say("")
        say(LeaderboardFormatter.table(header: ["page", "path", "p50 ms", "p99 ms", "req/s", "KiB"], rows: rows))
        say("\(size) scored submissions of \(max(1, size / 10)) teams; wrk, 2 threads, 64 connections, \(seconds) s per page after 2 s of warm-up.")
        say(
            String(
                format: "lineage SVG: first render %.1f s (Graphviz dot, %d KiB), then served from the cache until the ledger changes.",
                firstRender, svgBytes / 1024))
        say("serve peak memory: \(scenario.serverPeakMemoryBytes() / (1 << 20)) MiB; cores: \(ProcessInfo.processInfo.activeProcessorCount)")
    }
}
