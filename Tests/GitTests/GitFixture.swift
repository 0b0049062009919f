import Foundation
import TestSupport

/// Real repositories made with the git command line, in a temporary directory.
struct GitFixture {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-git-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs git in `directory` (relative to the fixture) and returns its trimmed stdout.
    /// - Throws: when git exits non-zero.
    @discardableResult
    func git(_ arguments: String..., in subdirectory: String = "", environment extra: [String: String] = [:]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment.merge(extra) { $1 }
        let outcome = try ChildProcess.run(
            "/usr/bin/git", ["-c", "user.name=Test Author", "-c", "user.email=author@example.invalid", "-c", "init.defaultBranch=main"] + arguments,
            environment: environment, directory: (subdirectory.isEmpty ? directory : directory.appendingPathComponent(subdirectory)).path,
            separateError: true)
        guard outcome.status == 0 else {
            throw FixtureError(message: "git \(arguments.joined(separator: " ")): \(outcome.error)")
        }
        let data = Data(outcome.output.utf8)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func write(_ text: String, to path: String) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
