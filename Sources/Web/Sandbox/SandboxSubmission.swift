import Foundation
import Git
import Host
import Hub
import Ledger
import Subprocess
import SystemPackage

/// A submission made in the browser (RAMP's sandbox): the hub writes a real commit with
/// libgit2 (author and committer: the signed-in member) on top of a base commit (the team's
/// `main`, or any submission the member may read: "start from this submission"), tags it
/// `submission-NAME`, and pushes it to the team's repository with git, so that the push goes
/// through git-receive-pack and the same hooks as any push: policy, quotas, refusal messages,
/// intake, lineage and credit, with `REMOTE_USER` naming the member.
struct SandboxSubmission: Sendable {
    /// A file of the new commit, replacing or adding one of the base's.
    struct File: Sendable, Equatable {
        let path: String
        let content: String
    }

    /// What the push said.
    struct Outcome: Sendable {
        let accepted: Bool
        /// git's `remote:` lines (the hooks' messages) and its own.
        let messages: [String]
    }

    let hub: Hub
    let settings: ServerSettings

    /// A path a participant may write: relative, no `..`, no `.git`, printable.
    static func isAcceptable(path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.isEmpty && !path.hasPrefix("/") && path.utf8.count <= 255
            && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && $0.lowercased() != ".git" }
            && path.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7f && $0 != "\\" }
    }

    /// Commits `files` on `base` (`nil`: the team's `main`), tags and pushes the submission.
    /// - Parameters:
    ///   - updatesMain: whether the push also moves the team's `main` (when the base is its head).
    /// - Throws: ``Git/GitError`` when the base cannot be read or the commit written; a
    ///   Foundation error when the work directory cannot be written.
    func submit(
        member: MemberRecord, name: String, description: String?, base: ObjectID, updatesMain: Bool, files: [File],
        remoteAddress: String
    ) async throws -> Outcome {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-sandbox-\(UUID().uuidString.prefix(12))")
        defer { try? FileManager.default.removeItem(at: work) }
        let hub = self.hub
        let commit: ObjectID = try await BlockingWork.run {
            let repository = try Repository.createBare(at: work.appendingPathComponent("work.git").path)
            // The base's objects: every submission's commit is in the ledger, the team's main in its repository.
            let ledger = try Repository.open(at: hub.paths.ledgerRepository.path)
            if ledger.contains(base) {
                _ = try repository.copyObjects(reachableFrom: base, in: ledger)
            } else {
                _ = try repository.copyObjects(reachableFrom: base, in: try Repository.open(at: hub.paths.teamRepository(member.team).path))
            }
            let tree = work.appendingPathComponent("tree")
            try repository.export(tree: try repository.commit(base).treeID, to: tree)
            for file in files {
                let target = tree.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.content.utf8).write(to: target)
            }
            let signature = Signature(name: member.login, email: "\(member.login)@forkboard.invalid")
            let message = "\(name)\n\nMade in the hub's browser sandbox by \(member.login).\n"
            let commit = try repository.createCommit(
                tree: try repository.writeTree(fromDirectory: tree), parents: [base], message: message,
                signature: signature, reference: "refs/heads/sandbox")
            try repository.setReference("refs/tags/submission-\(name)", to: commit, force: false, logMessage: "sandbox submission")
            return commit
        }
        var arguments = ["--git-dir", work.appendingPathComponent("work.git").path, "push", "--porcelain"]
        if let description, !description.isEmpty { arguments += ["--push-option=description=\(description)"] }
        arguments += [hub.paths.teamRepository(member.team).path, "refs/tags/submission-\(name):refs/tags/submission-\(name)"]
        if updatesMain { arguments.append("\(commit.hex):refs/heads/main") }
        var environment: [Environment.Key: String?] = [
            "REMOTE_USER": member.login, "REMOTE_ADDR": remoteAddress, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "HOME": hub.home.path, "FORKBOARD_HUB": hub.home.path, "FORKBOARD_EXECUTABLE": settings.executablePath,
            "FORKBOARD_BASE_URL": settings.baseURL.value, "GIT_TERMINAL_PROMPT": "0",
        ]
        if !settings.hookPort.value.isEmpty {
            environment["FORKBOARD_HOOK_PORT"] = settings.hookPort.value
            environment["FORKBOARD_HOOK_SECRET"] = settings.hookSecret
        }
        let result = try await Subprocess.run(
            .path(FilePath(settings.gitPath)), arguments: Arguments(arguments),
            environment: .inherit.updating(environment),
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
        return Outcome(
            accepted: result.terminationStatus.isSuccess, messages: Self.messages(of: result.standardError + "\n" + result.standardOutput, name: name)
        )
    }

    /// What git's push said, as a participant needs it: the hooks' `remote:` lines without the
    /// prefix, a taken name said plainly, and none of git's hints or the hub's paths.
    static func messages(of output: String, name: String) -> [String] {
        var messages: [String] = []
        for line in output.split(separator: "\n").map(String.init) {
            if line.hasPrefix("remote: ") {
                let text = String(line.dropFirst("remote: ".count)).trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { messages.append(text) }
            } else if line.contains("already exists") && line.contains("submission-\(name)") {
                messages.append("the submission name '\(name)' is already used by your team: choose another")
            }
        }
        return messages.isEmpty ? ["the hub refused the submission"] : messages
    }
}
