import Foundation
import Host
import Hub
import Ledger
import Subprocess
import SystemPackage

/// What `forkboard demo` does as participants: clone, edit, commit, tag and push with the
/// real git client over HTTP.
struct DemoScenario {
    let baseURL: String
    let workDirectory: URL

    static let randomForest = """
        \"\"\"A random forest: a different idea from the starting kit's logistic regression.\"\"\"
        from sklearn.ensemble import RandomForestClassifier


        class Classifier:
            def __init__(self):
                self.model = RandomForestClassifier(n_estimators=200, random_state=0)

            def fit(self, X, y):
                self.model.fit(X, y)
                self.classes_ = self.model.classes_
                return self

            def predict_proba(self, X):
                return self.model.predict_proba(X)

        """

    /// Clones the team's repository, optionally replaces classifier.py, commits, tags
    /// `submission-<submission>` and pushes; prints git's output (the hub's `remote:` lines).
    func push(team: String, token: String, submission: String, classifier: String?, message: String = "Try a random forest") async throws {
        let clone = workDirectory.appendingPathComponent(team)
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let host = baseURL.dropFirst("http://".count)
        try await git(["clone", "--quiet", "http://\(team):\(token)@\(host)/git/\(team).git", clone.path], in: workDirectory)
        if let classifier {
            try classifier.write(to: clone.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
            try await git(["commit", "--quiet", "-am", message], in: clone)
        }
        try await git(["tag", "submission-\(submission)"], in: clone)
        say("\(team): git push origin main submission-\(submission)")
        let output = try await git(["push", "origin", "main", "submission-\(submission)"], in: clone)
        for line in output.split(separator: "\n") where line.hasPrefix("remote:") { say("  \(line)") }
    }

    /// Forks another team's submission through open.git in the open phase: clone, fetch open,
    /// branch from the submission, tune it, commit, tag and push to the team's own repository.
    func fork(team: String, token: String, from source: String, submission: String) async throws {
        let clone = workDirectory.appendingPathComponent(team)
        let host = baseURL.dropFirst("http://".count)
        try await git(["clone", "--quiet", "http://\(team):\(token)@\(host)/git/\(team).git", clone.path], in: workDirectory)
        try await git(["remote", "add", "open", "http://\(team):\(token)@\(host)/git/open.git"], in: clone)
        try await git(["fetch", "--quiet", "open"], in: clone)
        try await git(["checkout", "--quiet", "-b", "tuned", "open/\(source)"], in: clone)
        let path = clone.appendingPathComponent("classifier.py")
        let tuned = try String(contentsOf: path, encoding: .utf8)
            .replacingOccurrences(of: "max_iter=1000)", with: "C=0.3, max_iter=1000)")
        try tuned.write(to: path, atomically: true, encoding: .utf8)
        try await git(["commit", "--quiet", "-am", "Stronger regularisation of \(source)"], in: clone)
        try await git(["tag", "submission-\(submission)"], in: clone)
        say("\(team): git fetch open; git checkout -b tuned open/\(source); ...; git push origin tuned submission-\(submission)")
        let output = try await git(["push", "origin", "tuned", "submission-\(submission)"], in: clone)
        for line in output.split(separator: "\n") where line.hasPrefix("remote:") { say("  \(line)") }
    }

    /// Waits until `count` submissions are in a final state; returns true when all are scored.
    func waitUntilFinished(hub: Hub, count: Int, timeout: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let details = try hub.ledger.submissionDetails()
            if details.count >= count, details.allSatisfy({ $0.state.isFinal }) {
                return details.allSatisfy { $0.state == .scored }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        say("timed out waiting for the evaluations")
        return false
    }

    /// Runs git with an isolated configuration; returns stdout and stderr combined.
    @discardableResult
    func git(_ arguments: [String], in directory: URL) async throws -> String {
        let result = try await Subprocess.run(
            .path(FilePath(try Executables.git())),
            arguments: Arguments(["-c", "user.name=Demo participant", "-c", "user.email=participant@forkboard.invalid"] + arguments),
            environment: .inherit.updating(["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_TERMINAL_PROMPT": "0"]),
            workingDirectory: FilePath(directory.path),
            output: .string(limit: 1 << 20),
            error: .combinedWithOutput)
        guard result.terminationStatus.isSuccess else {
            throw DemoError(message: "git \(arguments.first ?? "") failed: \(result.standardOutput)")
        }
        return result.standardOutput
    }
}

struct DemoError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
