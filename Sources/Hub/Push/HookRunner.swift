import Foundation
import Git
import Host
import Ledger

/// The logic of the git hooks (`forkboard hook pre-receive|post-receive`). git runs the hook
/// in the team's bare repository, with the pushed ref updates on stdin and, through
/// `git http-backend`, the server's `FORKBOARD_*` variables and `REMOTE_USER` (the
/// authenticated login) in the environment. What the hook prints reaches the participant's
/// git client as `remote:` lines.
public struct HookRunner: Sendable {
    public let environment: [String: String]
    /// The hub, when the hook's logic runs in the server (which has it open) rather than in
    /// the hook's own process.
    let openedHub: Hub?

    /// - Parameters:
    ///   - environment: the hook's environment (git's, http-backend's and the server's
    ///     variables); `GIT_DIR` names the team repository.
    ///   - hub: the hub the server has open, when the hook asked the server to run its logic.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, hub: Hub? = nil) {
        self.environment = environment
        self.openedHub = hub
    }

    /// The repository the hook runs in (git sets the working directory to it).
    var repositoryPath: URL {
        URL(
            fileURLWithPath: environment["GIT_DIR"].map { $0 == "." ? FileManager.default.currentDirectoryPath : $0 }
                ?? FileManager.default.currentDirectoryPath
        ).standardizedFileURL
    }

    /// The team: the repository's name without `.git`.
    var team: String {
        let name = repositoryPath.lastPathComponent
        return name.hasSuffix(".git") ? String(name.dropLast(4)) : name
    }

    /// The hub: the server's, else `FORKBOARD_HUB`, else three levels above
    /// `repos/teams/<team>.git`.
    func openHub() throws -> Hub {
        if let openedHub { return openedHub }
        if let home = environment["FORKBOARD_HUB"], !home.isEmpty {
            return try Hub(home: URL(fileURLWithPath: home))
        }
        return try Hub(home: repositoryPath.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
    }

    /// The team repository with the push's quarantined objects: from git's environment in the
    /// hook's own process; in the server, opened at `GIT_DIR` (which must be one of the hub's
    /// team repositories) with `GIT_OBJECT_DIRECTORY` added to its objects.
    /// - Throws: ``HubError/unknownTeam(_:)`` for a `GIT_DIR` outside the hub; ``GitError``.
    func openRepository(of hub: Hub) throws -> Repository {
        guard openedHub != nil else { return try Repository.openFromEnvironment(startingAt: repositoryPath.path) }
        let teams = hub.paths.teamRepositories.resolvingSymlinksInPath().path
        guard repositoryPath.deletingLastPathComponent().resolvingSymlinksInPath().path == teams,
            repositoryPath.lastPathComponent.hasSuffix(".git")
        else {
            throw HubError.unknownTeam(repositoryPath.lastPathComponent)
        }
        // The quarantine is a directory of the repository's own objects (git names it); nothing
        // else is read.
        let objects = repositoryPath.appendingPathComponent("objects").resolvingSymlinksInPath().path + "/"
        for name in ["GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH"] {
            guard let path = environment[name] else { continue }
            guard URL(fileURLWithPath: path).resolvingSymlinksInPath().path.hasPrefix(objects) else {
                throw HubError.preparationFailed("\(name) is not a directory of the repository's objects")
            }
        }
        let quarantine = environment["GIT_OBJECT_DIRECTORY"].map { [$0] } ?? []
        return try Repository.open(at: repositoryPath.path, alsoReadingObjectsFrom: quarantine)
    }

    /// The most push options read (git sends a handful; a hand-made push may claim more).
    public static let maximumPushOptions = 64

    /// The push options (`git push -o key=value`; `-o key` gives an empty value), which git
    /// passes to hooks as `GIT_PUSH_OPTION_COUNT` and `GIT_PUSH_OPTION_<i>` when the repository
    /// advertises them. At most ``maximumPushOptions`` are read.
    var pushOptions: [String: String] {
        let count = min(max(Int(environment["GIT_PUSH_OPTION_COUNT"] ?? "") ?? 0, 0), Self.maximumPushOptions)
        var options: [String: String] = [:]
        for index in 0..<count {
            guard let option = environment["GIT_PUSH_OPTION_\(index)"] else { continue }
            if let equals = option.firstIndex(of: "=") {
                options[String(option[..<equals])] = String(option[option.index(after: equals)...])
            } else {
                options[option] = ""
            }
        }
        return options
    }

    /// Checks the push; returns the exit status (0 accepts) and the lines to print. Every
    /// checked push is in the audit log with its outcome and reasons, refused ones included,
    /// and so is a push the hub could not check (when it could open its ledger).
    /// - Parameter input: git's lines, as bytes (a ref's name need not be UTF-8).
    public func preReceive(input: [UInt8]) -> (status: Int32, lines: [String]) {
        let updates = PushUpdate.parse(input)
        let pusher = environment["REMOTE_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        var hub: Hub?
        func audit(_ refusals: [String]) throws {
            try hub?.ledger.audit(
                "push", actor: pusher, team: team,
                detail: [
                    "client": .text(environment["REMOTE_ADDR"] ?? ""),
                    "refs": .list(updates.map { .object(["ref": .text($0.ref), "old": .text($0.oldID.hex), "new": .text($0.newID.hex)]) }),
                    "outcome": .text(refusals.isEmpty ? "accepted" : "refused"),
                    "reasons": .list(refusals.map(AuditValue.text)),
                ])
        }
        do {
            hub = try openHub()
            let repository = try openRepository(of: hub!)
            let quarantine = environment["GIT_QUARANTINE_PATH"].map { URL(fileURLWithPath: $0) }
            // git tells hooks of a push from a shallow clone by a temporary shallow file.
            let shallow = !(environment["GIT_SHALLOW_FILE"] ?? "").isEmpty
            let refusals = try PushPolicy(hub: hub!, team: team).refusals(
                of: updates, repository: repository, quarantine: quarantine,
                pusher: pusher, fromShallowClone: shallow)
            try audit(refusals)
            guard !refusals.isEmpty else { return (0, []) }
            return (
                1,
                refusals.map { "refused: \($0)" }
                    + ["nothing of this push was accepted (git applies a push all or nothing): fix the above and push again"]
            )
        } catch {
            let line = "the hub could not check this push (\(error)); nothing was recorded, try again or tell the organisers"
            try? audit([line])
            return (1, ["refused: " + line])
        }
    }

    /// As ``preReceive(input:)-(_:[UInt8])``, for text.
    public func preReceive(input: String) -> (status: Int32, lines: [String]) {
        preReceive(input: Array(input.utf8))
    }

    /// As ``postReceive(input:)-(_:[UInt8])``, for text.
    public func postReceive(input: String) -> [String] {
        postReceive(input: Array(input.utf8))
    }

    /// Records the pushed submission tags and queues their evaluation; returns the lines to
    /// print. Never fails the push (it has already happened): a failure here is repaired by
    /// the reconciler at the server's next start-up or pass.
    public func postReceive(input: [UInt8]) -> [String] {
        let updates = PushUpdate.parse(input).filter { $0.submissionName != nil && $0.isCreation && $0.isValidUTF8 }
        guard !updates.isEmpty else { return [] }
        let pusher = environment["REMOTE_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        let baseURL = environment["FORKBOARD_BASE_URL"] ?? ""
        let description = pushOptions["description"]
        var lines: [String] = []
        do {
            let hub = try openHub()
            let intake = Intake(hub: hub)
            for update in updates {
                let name = update.submissionName!
                do {
                    let accepted = try intake.accept(SubmissionKey(team: team, name: name), pusher: pusher, description: description)
                    let position = accepted.queuePositions.min().map { "queued (position \($0))" } ?? "evaluation started"
                    let follow = baseURL.isEmpty ? "" : "; follow it at \(baseURL)/api/v1/submissions/\(team)/\(name)"
                    lines.append("submission \(name) accepted, \(position)\(follow)")
                    // The tag is new in this push, even when the reconciler recorded it first
                    // (between git's update of the tag and this hook): the pusher is told.
                    let ignored = (try? CreditTrailerCheck.problems(hub: hub, submission: accepted.submission)) ?? []
                    for problem in ignored { lines.append("warning: submission \(name): \(problem)") }
                    if !ignored.isEmpty {
                        try? hub.ledger.audit(
                            "credit.trailer.ignored", actor: pusher, team: team,
                            detail: [
                                "submission": .text(name), "problems": .list(ignored.map(AuditValue.text)),
                            ])
                    }
                } catch {
                    lines.append("submission \(name) received but not yet recorded (\(error)); the hub will record it at its next check")
                }
            }
        } catch {
            lines.append("submissions received but not yet recorded (\(error)); the hub will record them at its next check")
        }
        return lines
    }
}
