import Foundation
import TestSupport
import Git
@testable import Credit

/// A ledger-like repository built with the git command line in a temporary directory: one
/// work tree whose branches are the teams' histories (tests of lineage credit).
struct LineageFixture {
    let directory: URL

    /// Creates an empty repository (branch `main`).
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-lineage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try git("init", "--quiet")
    }

    /// Runs git in the work tree with the user's and the system's configuration kept out, and
    /// returns its trimmed output.
    /// - Throws: ``LineageFixtureError`` when git exits non-zero.
    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try git(arguments)
    }

    @discardableResult
    func git(_ arguments: [String], input: Data? = nil) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        let outcome = try ChildProcess.run(
            "/usr/bin/git",
            [
                "-c", "user.name=Lineage Test", "-c", "user.email=lineage@example.invalid",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgSign=false",
            ] + arguments, environment: environment, directory: directory.path, input: input ?? Data(), separateError: true)
        guard outcome.status == 0 else {
            throw LineageFixtureError(message: "git \(arguments.joined(separator: " ")): \(outcome.error)")
        }
        let data = Data(outcome.output.utf8)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `text` to the work-tree file `path` (directories created).
    func write(_ text: String, to path: String) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The content of the work-tree file `path`.
    func read(_ path: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
    }

    /// Replaces line `number` (1-based) of `path` with `text`.
    func replaceLine(_ number: Int, of path: String, with text: String) throws {
        var lines = try read(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[number - 1] = text
        try write(lines.joined(separator: "\n"), to: path)
    }

    /// Appends lines to `path`.
    func append(_ text: String, to path: String) throws {
        try write(try read(path) + text, to: path)
    }

    /// Renames a file with `git mv` (the destination's directories created).
    func move(_ source: String, to destination: String) throws {
        let url = directory.appendingPathComponent(destination).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try git("mv", source, destination)
    }

    /// Deletes a file with `git rm`.
    func delete(_ path: String) throws {
        try git("rm", "--quiet", path)
    }

    /// Stages everything and commits; returns the new commit.
    @discardableResult
    func commit(_ message: String) throws -> ObjectID {
        try git("add", "--all")
        try git("commit", "--quiet", "--allow-empty", "-m", message)
        return try head()
    }

    /// The commit checked out.
    func head() throws -> ObjectID {
        guard let id = ObjectID(hex: try git("rev-parse", "HEAD")) else {
            throw LineageFixtureError(message: "HEAD is not a commit")
        }
        return id
    }

    /// Creates branch `branch` at `start` and checks it out.
    func branch(_ branch: String, at start: ObjectID) throws {
        try git("checkout", "--quiet", "-b", branch, start.hex)
    }

    /// Merges `other` into the branch checked out with a merge commit; returns it.
    @discardableResult
    func merge(_ other: ObjectID, message: String) throws -> ObjectID {
        try git("merge", "--quiet", "--no-ff", "--no-edit", "-m", message, other.hex)
        return try head()
    }

    /// The repository, opened with the wrapper.
    func open() throws -> Repository {
        try Repository.open(at: directory.path)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `count` numbered lines `prefix 1` ... `prefix count`, each ending with a newline.
    static func lines(_ prefix: String, _ count: Int, from first: Int = 1) -> String {
        (first..<(first + count)).map { "\(prefix) \($0)\n" }.joined()
    }
}

extension LineageShares {
    /// The token counts as fixture lines (``LineageFixture/lines(_:_:from:)`` writes lines of
    /// two tokens: a name and a number).
    var fixtureLines: [String: Int] { tokenCounts.mapValues { $0 / 2 } }
}

struct LineageFixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
