import Foundation
import TestSupport

/// A hub made with the real `forkboard` command line in a temporary directory, optionally
/// served by a real `forkboard serve` process.
final class TestHub: @unchecked Sendable {
    let root: URL
    let home: URL
    private var server: ChildProcess?
    private var workers: [ChildProcess] = []
    private var launched = 0
    private(set) var baseURL = ""
    /// The environment of the `forkboard` processes it runs.
    let environment: [String: String]

    /// Creates the hub from `template`, with `folds` folds to keep tests quick;
    /// `configure` may rewrite challenge.yaml (whose phases are absolute by then: use
    /// ``replaceSection(_:with:in:)``). With `environment` (the processes' environment), the
    /// hub builds its own runtime unless it holds `FORKBOARD_PYTHON`.
    init(
        template: String = "breast-cancer", rampKit: URL? = nil, folds: Int = 2, environment: [String: String]? = nil,
        initArguments: [String] = [], configure: (String) -> String = { $0 }
    ) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-e2e-\(UUID().uuidString.prefix(8))")
        home = root.appendingPathComponent("hub")
        self.environment = environment ?? CommandRunner.environment
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let python = environment == nil ? ["--python", CommandRunner.python] : []
        let created = try await forkboard(
            ["init", home.path] + (rampKit.map { ["--ramp-kit", $0.path] } ?? ["--template", template]) + python + initArguments)
        guard created.status == 0 else { throw TestHubError("forkboard init failed: \(created.output)") }
        let configuration = home.appendingPathComponent("challenge.yaml")
        var text = try String(contentsOf: configuration, encoding: .utf8)
        text = text.replacingOccurrences(of: "count: 5", with: "count: \(folds)")
        try configure(text).write(to: configuration, atomically: true, encoding: .utf8)
        let reload = try await forkboard(["challenge", "reload", "--hub", home.path])
        guard reload.status == 0 else { throw TestHubError("challenge reload failed: \(reload.output)") }
    }

    deinit {
        stop()
        for worker in workers { Self.stop(worker) }
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs `forkboard` with `arguments`.
    func forkboard(_ arguments: [String]) async throws -> CommandResult {
        try await CommandRunner.run(CommandRunner.forkboard, arguments, in: root, environment: environment)
    }

    /// Adds teams of one member each (named as the team); returns their tokens by team.
    func addTeams(_ teams: [String]) async throws -> [String: String] {
        var tokens: [String: String] = [:]
        for team in teams { tokens[team] = try await addTeam(team) }
        return tokens
    }

    /// Adds a team with one member and returns the member's token.
    func addTeam(_ team: String, member: String? = nil) async throws -> String {
        let result = try await forkboard(["team", "add", team, "--member", member ?? team, "--hub", home.path])
        guard result.status == 0, let line = result.output.split(separator: "\n").first(where: { $0.contains("Access token") }),
            let token = line.split(separator: " ").last
        else {
            throw TestHubError("team add failed: \(result.output)")
        }
        return String(token)
    }

    /// Starts `forkboard serve --port 0` with `workers` workers (and `extra` arguments) and
    /// waits until it listens; it is the hub's server from then on.
    func start(workers: Int = 1, timeZone: String? = nil, extra: [String] = []) async throws {
        var environment = self.environment
        if let timeZone { environment["TZ"] = timeZone }
        let (process, url) = try await launch(
            ["serve", "--hub", home.path, "--port", "0", "--workers", String(workers)] + extra,
            until: #"http://127\.0\.0\.1:[0-9]+"#, environment: environment)
        server = process
        baseURL = url
    }

    /// Starts `forkboard worker` with `count` workers (and `extra` arguments) and waits until
    /// it runs; returns its process and its name.
    func startWorker(count: Int = 1, extra: [String] = []) async throws -> (process: ChildProcess, name: String) {
        let (process, line) = try await launch(["worker", "--hub", home.path, "--count", String(count)] + extra, until: #"worker-[^:]+"#)
        workers.append(process)
        return (process, line)
    }

    /// Starts `forkboard` with `arguments` and waits until its output matches `pattern`;
    /// returns the process and the match. Its output (stdout and stderr) goes to a log file
    /// in the test's directory (``logs``).
    func launch(_ arguments: [String], until pattern: String, environment: [String: String]? = nil) async throws -> (ChildProcess, String) {
        launched += 1
        let log = root.appendingPathComponent("\(arguments.first ?? "forkboard")-\(launched).log")
        let process = try ChildProcess(
            CommandRunner.forkboard, arguments, environment: environment ?? self.environment,
            directory: root.path, output: log.path)
        let deadline = Date().addingTimeInterval(120)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: pattern, options: .regularExpression) { return (process, String(text[range])) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestHubError("forkboard \(arguments.first ?? "") did not start: \(text)")
    }

    /// The last `lines` lines of every log of the processes this hub started.
    func logs(lines: Int = 40) -> String {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
        return files.map { name in
            let text = (try? String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return "== \(name)\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Stops the server with SIGTERM, or SIGKILL when `kill` is true.
    func stop(kill: Bool = false) {
        guard let server else { return }
        Self.stop(server, kill: kill)
        self.server = nil
    }

    /// The server's process identifier, while it runs.
    var serverProcessID: Int32? { server?.processIdentifier }

    /// Stops `process` with SIGTERM, or SIGKILL when `kill` is true, and waits for it: after
    /// SIGTERM at most 90 s (the hub's bounded shutdown takes at most 60), then it is killed, and
    /// that is said on the standard error, so a hung shutdown fails no test by hanging it.
    static func stop(_ process: ChildProcess, kill: Bool = false) {
        guard process.isRunning else { return }
        process.signal(kill ? SIGKILL : SIGTERM)
        if process.wait(killingAfter: 90).killed {
            FileHandle.standardError.write(Data("TestHub: process \(process.processIdentifier) did not stop within 90 s of SIGTERM; killed\n".utf8))
        }
    }

    /// `http://login:token@127.0.0.1:port/git/<repository>.git`
    func cloneURL(_ repository: String, login: String, token: String) -> String {
        baseURL.replacingOccurrences(of: "http://", with: "http://\(login):\(token)@") + "/git/\(repository).git"
    }

    /// Clones `repository` into a fresh participant directory and returns it.
    func clone(_ repository: String, login: String, token: String, as name: String? = nil) async throws -> URL {
        let directory = root.appendingPathComponent("participants").appendingPathComponent(name ?? login)
        try FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
        let result = try await CommandRunner.git(["clone", "--quiet", cloneURL(repository, login: login, token: token), directory.path], in: root)
        guard result.status == 0 else { throw TestHubError("clone failed: \(result.output)") }
        return directory
    }

    /// Adds `team`, starts the server, and pushes the starting kit as `team`'s submission
    /// `kit`; returns the team's clone and token, and the submission once final (within
    /// `timeout` seconds).
    func startAndSubmitTheStartingKit(
        team: String = "alice", timeout: TimeInterval = 300
    ) async throws -> (
        clone: URL, token: String, submission: [String: Any]
    ) {
        let token = try await addTeam(team)
        try await start()
        let clone = try await clone(team, login: team, token: token)
        let push = try await submit("kit", in: clone)
        guard push.status == 0 else { throw TestHubError("the starting kit's push failed: \(push.output)") }
        return (clone, token, try await waitForFinalState(team: team, name: "kit", timeout: timeout))
    }

    /// Every submission, as `forkboard submissions --format json` lists it.
    func submissions() async throws -> [[String: Any]] {
        let result = try await forkboard(["submissions", "--hub", home.path, "--format", "json"])
        guard result.status == 0, let list = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]] else {
            throw TestHubError("submissions failed: \(result.output)")
        }
        return list
    }

    /// Waits until `team/name` reaches a final state and returns its JSON.
    func waitForFinalState(team: String, name: String, timeout: TimeInterval = 300) async throws -> [String: Any] {
        let final: Set<String> = ["scored", "checking_error", "training_error", "testing_error", "scoring_error", "cancelled"]
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let submission = try await submissions().first(where: { $0["team"] as? String == team && $0["submission"] as? String == name }),
                let state = submission["state"] as? String, final.contains(state)
            {
                return submission
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw TestHubError("\(team)/\(name) did not finish within \(timeout) s")
    }

    /// GET `path` with curl, with basic authentication when given; returns status and body.
    func get(_ path: String, login: String? = nil, token: String? = nil) async throws -> (status: Int, body: String) {
        var arguments = ["-s", "-w", "\n%{http_code}", baseURL + path]
        if let login, let token { arguments += ["-u", "\(login):\(token)"] }
        let result = try await CommandRunner.run("/usr/bin/curl", arguments)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}

extension TestHub {
    /// `text` with the top-level section `key:` (up to the next top-level key) replaced.
    static func replaceSection(_ key: String, with section: String, in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("\(key):") }) else { return text + "\n" + section }
        var end = start + 1
        while end < lines.count, lines[end].isEmpty || lines[end].hasPrefix(" ") || lines[end].hasPrefix("\t") { end += 1 }
        lines.replaceSubrange(start..<end, with: section.components(separatedBy: "\n"))
        return lines.joined(separator: "\n")
    }

    /// A schedule section with phases starting at the given offsets from now (seconds).
    static func phases(_ phases: [(name: String, kind: String, start: Double)], end: Double) -> String {
        let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        var text = "phases:\n"
        for (index, phase) in phases.enumerated() {
            text += "  - name: \(phase.name)\n    kind: \(phase.kind)\n    start: \(Date().addingTimeInterval(phase.start).formatted(format))\n"
            if index == phases.count - 1 { text += "    end: \(Date().addingTimeInterval(end).formatted(format))\n" }
        }
        return text
    }

    /// Commits `files` (path to content) in `clone`, tags `submission-<name>` and pushes it
    /// with `extra` push arguments. Unless `distinct` is false, the commit also writes
    /// `submissions/<name>.txt` (a comment), so that each submission's files differ (the hub
    /// refuses a team's second submission of the same tree) and merges do not conflict.
    func submit(
        _ name: String, files: [String: String] = [:], in clone: URL, pushArguments extra: [String] = [],
        distinct: Bool = true
    ) async throws -> CommandResult {
        var files = files
        if distinct { files["submissions/\(name).txt"] = "# \(name)\n" }
        for (path, content) in files {
            let url = clone.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        _ = try await CommandRunner.git(["add", "-A"], in: clone)
        _ = try await CommandRunner.git(["commit", "-qm", name, "--allow-empty"], in: clone)
        _ = try await CommandRunner.git(["tag", "submission-\(name)"], in: clone)
        return try await CommandRunner.git(["push"] + extra + ["origin", "HEAD", "submission-\(name)"], in: clone)
    }
}

struct TestHubError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
