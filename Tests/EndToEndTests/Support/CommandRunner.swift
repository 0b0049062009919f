import Foundation
import TestSupport

/// The result of a finished command.
struct CommandResult {
    let status: Int32
    let output: String
}

/// Runs real programs (the built `forkboard`, `git`, `curl`) as subprocesses.
enum CommandRunner {
    /// The repository's root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `forkboard` executable built beside the test bundle.
    static var forkboard: String {
        if let explicit = ProcessInfo.processInfo.environment["FORKBOARD_EXECUTABLE"], !explicit.isEmpty { return explicit }
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("forkboard").path
    }

    /// The Python interpreter of the runtime `make test` sets up.
    static var python: String {
        if let explicit = ProcessInfo.processInfo.environment["FORKBOARD_PYTHON"], !explicit.isEmpty { return explicit }
        return repositoryRoot.appendingPathComponent(".runtime/venv/bin/python").path
    }

    /// An environment for git that ignores the machine's and the user's configuration.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["FORKBOARD_PYTHON"] = python
        environment.removeValue(forKey: "FORKBOARD_HUB")
        return environment
    }

    /// Runs `executable` with `arguments` and waits for it on a Dispatch thread, so that the
    /// test's task gives its cooperative thread back meanwhile (on a 2-core machine, tests
    /// blocking the cooperative threads in waits for processes wake other tests' polling late);
    /// stdout and stderr are combined.
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil,
        environment: [String: String] = environment
    ) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(executable, arguments, in: directory, environment: environment) })
            }
        }
    }

    /// Seconds a command may run before it is killed (its result then says so): no command of
    /// a test takes this long, so a hung one fails its test instead of hanging the run.
    static let timeoutSeconds: TimeInterval = 600

    /// Runs `executable` with `arguments` and blocks until it exits, or kills it after
    /// ``timeoutSeconds``; stdout and stderr are combined (through a file: a daemon the
    /// command starts may keep its output open). Only where no task can wait (a deinit).
    static func runBlocking(
        _ executable: String, _ arguments: [String], in directory: URL? = nil,
        environment: [String: String] = environment
    ) throws -> CommandResult {
        let outcome = try ChildProcess.run(executable, arguments, environment: environment, directory: directory?.path, timeout: timeoutSeconds)
        return CommandResult(status: outcome.status, output: outcome.output)
    }

    /// Runs git with an author set; stdout and stderr combined.
    static func git(_ arguments: [String], in directory: URL) async throws -> CommandResult {
        try await run(
            "/usr/bin/git",
            [
                "-c", "user.name=Participant", "-c", "user.email=participant@example.invalid",
                "-c", "init.defaultBranch=main",
            ] + arguments, in: directory)
    }
}
