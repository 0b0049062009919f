import ArgumentParser
import Foundation
import GRDB
import Host
import Hub
import Ledger
import Subprocess
import SystemPackage

/// A hub made from the breast-cancer template, its ledger filled with generated scored
/// submissions, served by a `forkboard serve` process with no workers.
final class HubScenario {
    let home: URL
    let hub: Hub
    let server: Process
    let baseURL: String
    let forkboard: String
    /// Tokens of the teams that push (`bench`: the hub's hooks; `plain`: none).
    private var tokens: [String: String] = [:]

    init(size: Int, python: String, share: URL, forkboard: String) async throws {
        self.forkboard = forkboard
        home = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-bench-hub-\(UUID().uuidString.prefix(8))")
        hub = try await HubSetup.createHub(at: home, templateName: "breast-cancer", share: share, python: python)
        try await hub.useCurrentRankingSpecifications()
        try Self.fill(hub.ledger, submissions: size)
        for team in ["bench", "plain"] { tokens[team] = try HubSetup.addTeam(team, member: team, to: hub) }
        // A repository without hooks: pushes to it are plain git http-backend pushes.
        let noHooks = home.appendingPathComponent("no-hooks")
        try FileManager.default.createDirectory(at: noHooks, withIntermediateDirectories: true)
        _ = try await Self.run("/usr/bin/git", ["--git-dir", hub.paths.teamRepository("plain").path, "config", "core.hooksPath", noHooks.path])
        (server, baseURL) = try Self.serve(forkboard: forkboard, home: home, workers: 0)
    }

    func close() {
        server.terminate()
        server.waitUntilExit()
        try? FileManager.default.removeItem(at: home)
    }

    /// Starts `forkboard serve --port 0` and returns it with its address once it listens.
    static func serve(forkboard: String, home: URL, workers: Int) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: forkboard)
        process.arguments = ["serve", "--hub", home.path, "--port", "0", "--workers", String(workers)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var text = ""
        while true {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw ValidationError("forkboard serve did not start: \(text)") }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                let handle = output.fileHandleForReading
                Thread.detachNewThread { while !handle.availableData.isEmpty {} }
                return (process, String(text[range]))
            }
        }
    }

    /// Median seconds of `count` pushes of a one-line change with a new submission tag to
    /// `team`'s repository, from `git push` to its end.
    func pushLatency(count: Int, team: String) async throws -> Double {
        let clone = home.appendingPathComponent("clone-\(team)")
        let url = baseURL.replacingOccurrences(of: "http://", with: "http://\(team):\(tokens[team]!)@") + "/git/\(team).git"
        _ = try await Self.run("/usr/bin/git", ["clone", "-q", url, clone.path])
        var times: [Double] = []
        for index in 0..<(count + 1) {
            let file = clone.appendingPathComponent("classifier.py")
            try (String(contentsOf: file, encoding: .utf8) + "# change \(index)\n").write(to: file, atomically: true, encoding: .utf8)
            _ = try await Self.run("/usr/bin/git", ["-C", clone.path, "commit", "-qam", "change \(index)"])
            _ = try await Self.run("/usr/bin/git", ["-C", clone.path, "tag", "submission-push-\(index)"])
            let seconds = try await Timing.seconds {
                _ = try await Self.run("/usr/bin/git", ["-C", clone.path, "push", "-q", "origin", "HEAD", "submission-push-\(index)"])
            }
            if index > 0 { times.append(seconds) }  // the first warms the server up
        }
        return Timing.median(times)
    }

    /// Latency percentiles (ms) and throughput of `path` under 64 connections for `seconds`,
    /// after a 2-second warm-up under the same load.
    func load(wrk: String, path: String, seconds: Int, headers: [String] = []) async throws -> (p50: Double, p99: Double, requestsPerSecond: Double) {
        let credentials = Data("bench:\(tokens["bench"]!)".utf8).base64EncodedString()
        let arguments =
            ["-t2", "-c64", "--latency", "-H", "Authorization: Basic \(credentials)"] + headers.flatMap { ["-H", $0] } + [baseURL + path]
        _ = try await Self.run(wrk, ["-d2s"] + arguments)
        let output = try await Self.run(wrk, ["-d\(seconds)s"] + arguments)
        func milliseconds(_ label: String) -> Double {
            guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }),
                let value = line.split(separator: " ").last
            else { return .nan }
            for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where value.hasSuffix(unit) {
                return (Double(value.dropLast(unit.count)) ?? .nan) * factor
            }
            return .nan
        }
        let rate = output.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }?.split(separator: " ").last.flatMap { Double($0) } ?? .nan
        if output.contains("Non-2xx") { throw ValidationError("\(path) answered errors under load:\n\(output)") }
        return (milliseconds("50%"), milliseconds("99%"), rate)
    }

    /// Bytes of one answer of `path` (as sent: compressed when `headers` ask for it).
    func responseBytes(_ path: String, headers: [String] = []) async throws -> Int {
        let written = try await Self.run(
            "/usr/bin/curl",
            ["-s", "-o", "/dev/null", "-w", "%{size_download}", "-u", "bench:\(tokens["bench"]!)"]
                + headers.flatMap { ["-H", $0] } + [baseURL + path])
        return Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The server's peak resident memory (VmHWM), in bytes.
    func serverPeakMemoryBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(server.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return (line?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
    }

    /// Runs a program; returns its output, or throws with it when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments),
            environment: .inherit.updating([
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_TERMINAL_PROMPT": "0",
                "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
                "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
            ]),
            output: .string(limit: 1 << 22), error: .combinedWithOutput)
        guard result.terminationStatus.isSuccess else {
            throw ValidationError("\(executable) \(arguments.first ?? "") failed: \(result.standardOutput)")
        }
        return result.standardOutput
    }

    /// Writes `count` scored submissions of `count / 10` teams into the ledger, in one
    /// transaction, with what a real evaluation records: 12 bagged scores, 5 folds of 12 scores
    /// and run times, contributivity. Credit is marked up to date.
    static func fill(_ ledger: Ledger, submissions count: Int) throws {
        let teams = max(1, count / 10)
        let now = Date()
        try ledger.database.write { db in
            for team in 0..<teams {
                try db.execute(sql: "INSERT INTO teams (name, createdAt) VALUES (?, ?)", arguments: ["team-\(team)", now])
            }
            let submission = try db.makeStatement(
                sql: """
                    INSERT INTO submissions (team, name, commitID, pusher, submittedAt, phase, treeID) VALUES (?, ?, ?, ?, ?, 'competitive', ?)
                    """)
            let evaluation = try db.makeStatement(
                sql: """
                    INSERT INTO evaluations (submissionID, question, state, attempts, queuedAt, startedAt, finishedAt, log, trainSeconds,
                        testSeconds, worker, rankingKey) VALUES (?, 'diagnosis', 'scored', 1, ?, ?, ?, 'fold 0: train 1.20 s, predict 0.40 s', 6.0, 2.0, 'bench', ?)
                    """)
            let bagged = try db.makeStatement(sql: "INSERT INTO bagged_scores (evaluationID, split, scoreType, value) VALUES (?, ?, ?, ?)")
            let foldScore = try db.makeStatement(sql: "INSERT INTO fold_scores (evaluationID, fold, split, scoreType, value) VALUES (?, ?, ?, ?, ?)")
            let foldRun = try db.makeStatement(
                sql: """
                    INSERT INTO fold_runs (evaluationID, fold, trainSeconds, testSeconds, trainCPUSeconds, testCPUSeconds, trainPeakMemoryBytes,
                        testPeakMemoryBytes) VALUES (?, ?, 1.2, 0.4, 1.1, 0.3, 150000000, 120000000)
                    """)
            let credit = try db.makeStatement(sql: "INSERT INTO contributivity (evaluationID, value, historical, computedAt) VALUES (?, ?, ?, ?)")
            var generator = SystemRandomNumberGenerator()
            for index in 0..<count {
                let time = now.addingTimeInterval(Double(index - count))
                let commit = String(format: "%040x", index + 1)
                try submission.execute(arguments: ["team-\(index % teams)", "submission-\(index)", commit, "member", time, String(commit.reversed())])
                let roc = Double.random(in: 0.90...0.999, using: &generator)
                try evaluation.execute(arguments: [db.lastInsertedRowID, time, time, time, -roc])
                let id = db.lastInsertedRowID
                for split in ["valid", "test", "public", "private"] {
                    for (type, value) in [("roc_auc", roc), ("accuracy", roc - 0.03), ("log_loss", 1.1 - roc)] {
                        try bagged.execute(arguments: [id, split, type, value])
                        for fold in 0..<5 { try foldScore.execute(arguments: [id, fold, split, type, value - Double(fold) / 1000]) }
                    }
                }
                for fold in 0..<5 { try foldRun.execute(arguments: [id, fold]) }
                try credit.execute(arguments: [id, 1.0 / Double(count), 1.0 / Double(count), now])
            }
            try db.execute(sql: "INSERT OR REPLACE INTO counters (name, value) VALUES ('results', 1), ('credit', 1)")
        }
        // As a hub that has run for a while: the write-ahead log checkpointed into the database.
        try ledger.database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Evaluations per minute of `count` submissions of the starting kit with 1, then 2,
    /// `forkboard worker` processes (each with one worker) beside a server without workers.
    static func throughput(count: Int, python: String, share: URL, forkboard: String) async throws -> [[String]] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-bench-workers-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: home) }
        let hub = try await HubSetup.createHub(at: home, templateName: "breast-cancer", share: share, python: python)
        let token = try HubSetup.addTeam("alice", member: "alice", to: hub)
        let (server, baseURL) = try serve(forkboard: forkboard, home: home, workers: 0)
        defer { server.terminate(); server.waitUntilExit() }
        let clone = home.appendingPathComponent("clone")
        _ = try await run(
            "/usr/bin/git",
            ["clone", "-q", baseURL.replacingOccurrences(of: "http://", with: "http://alice:\(token)@") + "/git/alice.git", clone.path])
        for index in 0..<count {
            let file = clone.appendingPathComponent("classifier.py")
            try (String(contentsOf: file, encoding: .utf8) + "# variant \(index)\n").write(to: file, atomically: true, encoding: .utf8)
            _ = try await run("/usr/bin/git", ["-C", clone.path, "commit", "-qam", "variant \(index)"])
            _ = try await run("/usr/bin/git", ["-C", clone.path, "tag", "submission-variant-\(index)"])
            _ = try await run("/usr/bin/git", ["-C", clone.path, "push", "-q", "origin", "HEAD", "submission-variant-\(index)"])
        }
        var rows: [[String]] = []
        for processes in [1, 2] {
            if processes > 1 { _ = try await run(forkboard, ["rescore", "--all", "--hub", home.path]) }
            let workers = try (0..<processes).map { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: forkboard)
                process.arguments = ["worker", "--hub", home.path]
                process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
                process.standardError = FileHandle(forWritingAtPath: "/dev/null")
                try process.run()
                return process
            }
            let seconds = try await Timing.seconds {
                while try hub.ledger.submissionDetails().contains(where: { !$0.state.isFinal }) {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            for worker in workers { worker.terminate(); worker.waitUntilExit() }
            let scored = try hub.ledger.submissionDetails().filter { $0.state == .scored }.count
            guard scored == count else { throw ValidationError("only \(scored) of \(count) evaluations were scored") }
            rows.append([String(processes), String(count), String(format: "%.1f", seconds), String(format: "%.1f", Double(count) / seconds * 60)])
        }
        return rows
    }
}

/// What the benchmarks that serve a generated hub with the release `forkboard serve` and load
/// it with wrk need: the interpreter, the share directory, the executable.
struct ServedHubOptions: ParsableArguments {
    @Option(help: "The Python interpreter (default: $FORKBOARD_PYTHON, else python3).")
    var python = ProcessInfo.processInfo.environment["FORKBOARD_PYTHON"] ?? "python3"

    @Option(help: "The directory holding templates/ and hooks/ (default: the current directory).")
    var share = FileManager.default.currentDirectoryPath

    @Option(help: "The forkboard executable (default: the one built beside this benchmark).")
    var forkboard = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("forkboard").path

    /// The path of wrk.
    /// - Throws: `ValidationError` naming what is missing: the release executable or wrk.
    func wrk() throws -> String {
        guard FileManager.default.isExecutableFile(atPath: forkboard) else {
            throw ValidationError("no forkboard executable at \(forkboard): run 'swift build -c release' first")
        }
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw ValidationError("wrk is needed for the load: apt-get install wrk")
        }
        return wrk
    }

    /// A hub of `size` generated scored submissions, served.
    func scenario(size: Int) async throws -> HubScenario {
        try await HubScenario(size: size, python: python, share: URL(fileURLWithPath: share), forkboard: forkboard)
    }
}
