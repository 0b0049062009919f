import Foundation

/// A hub made with the real `forkboard` command line in a temporary directory, optionally
/// served by a real `forkboard serve` process.
final class TestHub: @unchecked Sendable {
    let root: URL
    let home: URL
    private var server: Process?
    private(set) var baseURL = ""

    /// Creates the hub from the breast-cancer template, with `folds` folds to keep tests quick;
    /// `configure` may rewrite challenge.yaml.
    init(folds: Int = 2, configure: (String) -> String = { $0 }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-e2e-\(UUID().uuidString.prefix(8))")
        home = root.appendingPathComponent("hub")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let created = try forkboard(["init", home.path, "--template", "breast-cancer", "--python", CommandRunner.python])
        guard created.status == 0 else { throw TestHubError("forkboard init failed: \(created.output)") }
        let configuration = home.appendingPathComponent("challenge.yaml")
        var text = try String(contentsOf: configuration, encoding: .utf8)
        text = text.replacingOccurrences(of: "count: 5", with: "count: \(folds)")
        try configure(text).write(to: configuration, atomically: true, encoding: .utf8)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs `forkboard` with `arguments`.
    func forkboard(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run(CommandRunner.forkboard, arguments, in: root)
    }

    /// Adds a team with one member and returns the member's token.
    func addTeam(_ team: String, member: String? = nil) throws -> String {
        let result = try forkboard(["team", "add", team, "--member", member ?? team, "--hub", home.path])
        guard result.status == 0, let line = result.output.split(separator: "\n").first(where: { $0.contains("Access token") }),
              let token = line.split(separator: " ").last else {
            throw TestHubError("team add failed: \(result.output)")
        }
        return String(token)
    }

    /// Starts `forkboard serve --port 0` and waits until it listens.
    func start(workers: Int = 1) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.forkboard)
        process.arguments = ["serve", "--hub", home.path, "--port", "0", "--workers", String(workers)]
        process.environment = CommandRunner.environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        server = process
        var buffer = ""
        let handle = output.fileHandleForReading
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            buffer += String(decoding: data, as: UTF8.self)
            if let range = buffer.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                baseURL = String(buffer[range])
                // Keep draining stdout so the server never blocks on a full pipe.
                Thread.detachNewThread { while !handle.availableData.isEmpty {} }
                return
            }
        }
        throw TestHubError("forkboard serve did not start: \(buffer)")
    }

    /// Stops the server with SIGTERM, or SIGKILL when `kill` is true.
    func stop(kill: Bool = false) {
        guard let server, server.isRunning else { return }
        if kill { Foundation.kill(server.processIdentifier, SIGKILL) } else { server.terminate() }
        server.waitUntilExit()
        self.server = nil
    }

    /// `http://login:token@127.0.0.1:port/git/<repository>.git`
    func cloneURL(_ repository: String, login: String, token: String) -> String {
        baseURL.replacingOccurrences(of: "http://", with: "http://\(login):\(token)@") + "/git/\(repository).git"
    }

    /// Clones `repository` into a fresh participant directory and returns it.
    func clone(_ repository: String, login: String, token: String, as name: String? = nil) throws -> URL {
        let directory = root.appendingPathComponent("participants").appendingPathComponent(name ?? login)
        try FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
        let result = try CommandRunner.git(["clone", "--quiet", cloneURL(repository, login: login, token: token), directory.path], in: root)
        guard result.status == 0 else { throw TestHubError("clone failed: \(result.output)") }
        return directory
    }

    /// Every submission, as `forkboard submissions --format json` lists it.
    func submissions() throws -> [[String: Any]] {
        let result = try forkboard(["submissions", "--hub", home.path, "--format", "json"])
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
            if let submission = try submissions().first(where: { $0["team"] as? String == team && $0["submission"] as? String == name }),
               let state = submission["state"] as? String, final.contains(state) {
                return submission
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw TestHubError("\(team)/\(name) did not finish within \(timeout) s")
    }

    /// GET `path` with curl, with basic authentication when given; returns status and body.
    func get(_ path: String, login: String? = nil, token: String? = nil) throws -> (status: Int, body: String) {
        var arguments = ["-s", "-w", "\n%{http_code}", baseURL + path]
        if let login, let token { arguments += ["-u", "\(login):\(token)"] }
        let result = try CommandRunner.run("/usr/bin/curl", arguments)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}

struct TestHubError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
