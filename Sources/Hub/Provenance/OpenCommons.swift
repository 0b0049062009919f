import Foundation
import Git
import Host
import Ledger

/// `repos/open.git`: every submission of every team as `refs/heads/<team>/<submission>`,
/// served read-only to participants in open phases. It has no objects of its own: its
/// `objects/info/alternates` points at the ledger's objects, so it can only ever show
/// submitted commits, never a team's unpublished branches.
public struct OpenCommons {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// `<hub>/repos/open.git`.
    public var repositoryURL: URL { hub.paths.openRepository }

    /// Creates open.git when missing.
    /// - Throws: Git or file errors.
    public func ensureRepository() throws {
        guard !FileManager.default.fileExists(atPath: repositoryURL.appendingPathComponent("HEAD").path) else { return }
        let repository = try Repository.createBare(at: repositoryURL.path)
        let alternates = repositoryURL.appendingPathComponent("objects/info/alternates")
        try FileManager.default.createDirectory(at: alternates.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((hub.paths.ledgerRepository.appendingPathComponent("objects").path + "\n").utf8).write(to: alternates)
        try repository.setConfiguration("http.receivepack", to: "false")
        try repository.setConfiguration("uploadpack.allowAnySHA1InWant", to: "false")
        try repository.setConfiguration("core.hooksPath", to: "/dev/null")
    }

    /// Publishes every recorded submission that open.git does not show yet; returns how many.
    /// Run when the commons opens (a phase change), not per request: each intake publishes
    /// its own submission (``publish(team:name:commitID:)``).
    /// - Throws: Git or database errors.
    @discardableResult
    public func synchronize() throws -> Int {
        try ensureRepository()
        let repository = try Repository.open(at: repositoryURL.path)
        let existing = Set(try repository.references(matching: "refs/heads/*").map(\.name))
        var published = 0
        for submission in try hub.ledger.submissionCommits() {
            let ref = "refs/heads/\(submission.key)"
            guard !existing.contains(ref), let commit = ObjectID(hex: submission.commitID) else { continue }
            try repository.setReference(ref, to: commit, force: true, logMessage: "publish \(submission.key)")
            published += 1
        }
        try setHeadIfMissing(repository)
        return published
    }

    /// Publishes one submission as `refs/heads/<team>/<name>`.
    /// - Throws: Git errors.
    public func publish(_ key: SubmissionKey, commitID: ObjectID) throws {
        try ensureRepository()
        let repository = try Repository.open(at: repositoryURL.path)
        try repository.setReference("refs/heads/\(key)", to: commitID, force: true, logMessage: "publish \(key)")
        try setHeadIfMissing(repository)
    }

    private func setHeadIfMissing(_ repository: Repository) throws {
        if try repository.referenceTarget("HEAD") == nil, let first = try repository.references(matching: "refs/heads/*").first {
            try repository.setHead(first.name)
        }
    }
}
