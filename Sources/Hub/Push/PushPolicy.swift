import Challenge
import Foundation
import Git
import Ledger

/// The rules a push to a team repository must satisfy, checked in pre-receive on the
/// still-quarantined objects. Each refusal is one line naming the ref and the rule.
public struct PushPolicy {
    public let hub: Hub
    public let team: String

    public init(hub: Hub, team: String) {
        self.hub = hub
        self.team = team
    }

    /// A submission name: 1 to 64 of `A-Z a-z 0-9 . _ -`, not starting with `.` nor ending
    /// with `.lock` (git could not name the ledger's `refs/submissions/<team>/<name>`).
    public static func isValidSubmissionName(_ name: String) -> Bool {
        name.range(of: "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$", options: .regularExpression) != nil
            && !name.hasSuffix(".lock") && !name.contains("..")
    }

    /// The refusals of this push, one line each; empty when it is accepted. When every rule
    /// but the quotas passes, the quotas are checked and the new submission names reserved in
    /// one transaction (``Ledger/reserveSubmissions(team:names:pusher:phase:at:countOwnErrors:quota:)``),
    /// so that simultaneous pushes cannot all pass one quota; the reservation keeps `now` and
    /// the phase at `now`, which the recording of the push will use.
    /// - Parameters:
    ///   - repository: the team repository opened from the hook's environment, so that it
    ///     sees the quarantined objects.
    ///   - pusher: the authenticated login.
    /// - Throws: database errors.
    public func refusals(
        of updates: [PushUpdate], repository: Repository, quarantine: URL? = nil, pusher: String = "unknown",
        fromShallowClone: Bool = false, now: Date = Date()
    ) throws -> [String] {
        if fromShallowClone {
            // git refuses to update refs from a shallow clone (receive.shallowUpdate is off): say
            // so now, before anything is reserved.
            return updates.map { "\($0.ref): \(Self.shallowClone)" }
        }
        let usedNames = try hub.ledger.submissionNames(team: team)
        var refusals = updates.filter { !$0.isValidUTF8 }.map { update in
            "\(update.ref): the name is not valid UTF-8 (git keeps any bytes, the hub could not show it as it is): name branches and tags with UTF-8 text"
        }
        refusals += try sizeRefusals(of: updates.filter(\.isValidUTF8), repository: repository, quarantine: quarantine)
        let status = try PhaseClock(hub: hub).status(at: now)
        var accepted: [RequestedSubmission] = []
        for update in updates where update.isValidUTF8 {
            guard let name = update.submissionName else { continue }
            let tag = "submission-\(name)"
            if !update.oldID.isZero {
                refusals.append(
                    update.isDeletion
                        ? "\(tag): submission tags cannot be deleted; the submission stays recorded"
                        : "\(tag): submission tags are immutable; tag your new commit with a new name")
                continue
            }
            guard Self.isValidSubmissionName(name) else {
                refusals.append(
                    "\(tag): invalid submission name '\(name)': use 1 to 64 of A-Z a-z 0-9 . _ -, not starting with '.' nor ending with '.lock'")
                continue
            }
            if usedNames.contains(name) {
                refusals.append("\(tag): your team already used the name '\(name)'; choose another")
                continue
            }
            if let other = (usedNames.union(accepted.map(\.name))).first(where: { $0.lowercased() == name.lowercased() }) {
                refusals.append("\(tag): \(Self.caseCollision(name, other))")
                continue
            }
            let commitID: ObjectID
            let commit: Commit
            do {
                commitID = try repository.peelToCommit(update.newID)
                commit = try repository.commit(commitID)
            } catch {
                refusals.append("\(tag): does not point at a commit")
                continue
            }
            let applicable = try hub.questions { path in try repository.entry(atPath: path, inTree: commit.treeID)?.kind == .blob }
            if applicable.isEmpty {
                let needs = hub.challenge.questions.map { question in
                    "\(question.requiredFiles.joined(separator: ", ")) (question \(question.name))"
                }.joined(separator: "; or ")
                refusals.append("\(tag): commit \(commitID.hex.prefix(12)) lacks the files a question requires: \(needs)")
                continue
            }
            if let refusal = phaseRefusal(status, now: now) {
                refusals.append("\(tag): \(refusal)")
                continue
            }
            accepted.append(
                RequestedSubmission(
                    name: name, treeID: commit.treeID.hex,
                    codeFingerprint: try CodeFingerprint.of(tree: commit.treeID, in: repository)))
        }
        guard refusals.isEmpty, !accepted.isEmpty else { return refusals }
        return try hub.ledger.reserveSubmissions(
            team: team, requested: accepted, pusher: pusher, phase: status.phase?.name, at: now,
            countOwnErrors: hub.challenge.quotas.countOwnErrors
        ) { counted in quotaRefusal(now: now, counted: counted) }
        .map { "submission-\($0.name): \($0.refusal)" }
    }

    /// What a push from a shallow clone is told.
    static let shallowClone =
        "this push comes from a shallow clone, whose history stops short, and the hub records a submission's history (its lineage): run 'git fetch --unshallow' (for a clone of open.git: 'git fetch --unshallow open') and push again"

    /// The refusal of a name that differs only by case from another of the team's.
    public static func caseCollision(_ name: String, _ other: String) -> String {
        "'\(name)' differs only by case from your submission '\(other)' (their files would collide on case-insensitive file systems, in exports for one); choose another name"
    }

    /// Why the phase refuses submissions, or nil when it accepts them.
    func phaseRefusal(_ status: PhaseClock.Status, now: Date) -> String? {
        let schedule = hub.challenge.schedule
        guard let phase = status.phase else {
            if let first = schedule.phases.first, now < first.start {
                return "the challenge is not open yet: phase '\(first.name)' starts at \(Instant.format(first.start))"
            }
            return "the challenge ended at \(Instant.format(schedule.end)); no new submissions"
        }
        guard phase.kind != .frozen else {
            return "phase '\(phase.name)' is frozen: no new submissions"
        }
        return nil
    }

    /// Why the team's quotas refuse one more submission now, with when the next is allowed,
    /// or nil. `times` are the instants of the team's submissions that count.
    func quotaRefusal(now: Date, counted times: [Date]) -> String? {
        let quotas = hub.challenge.quotas
        if quotas.maximumTotal > 0, times.count >= quotas.maximumTotal {
            return "quota: at most \(quotas.maximumTotal) submissions in all, and your team has made \(times.count); no more are allowed"
        }
        if quotas.minimumIntervalSeconds > 0, let last = times.max() {
            let next = last.addingTimeInterval(TimeInterval(quotas.minimumIntervalSeconds))
            if now < next {
                return "quota: one submission every \(quotas.minimumIntervalSeconds) s; your next is allowed at \(Instant.format(next))"
            }
        }
        if quotas.maximumPerDay > 0 {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let today = calendar.startOfDay(for: now)
            let todays = times.filter { $0 >= today }.count
            if todays >= quotas.maximumPerDay {
                let tomorrow = calendar.date(byAdding: .day, value: 1, to: today)!
                return "quota: at most \(quotas.maximumPerDay) submissions per UTC day; your next is allowed at \(Instant.format(tomorrow))"
            }
        }
        return nil
    }

    /// Refusals for what the push brings: its size, the largest file, the number of files of a
    /// commit's tree, and file names (relative, no `..`, no control characters). Applied to
    /// every new commit of the push, branches included: everything pushed is stored.
    func sizeRefusals(of updates: [PushUpdate], repository: Repository, quarantine: URL?) throws -> [String] {
        let limits = hub.challenge.pushLimits
        var refusals: [String] = []
        if let quarantine {
            let size = Self.directorySize(quarantine)
            if size > limits.pushBytes {
                refusals.append("push: \(size) bytes exceed the limit of \(limits.pushBytes) bytes per push")
            }
        }
        let existing = try repository.references(matching: "refs/*").map(\.target).compactMap { try? repository.peelToCommit($0) }
        var checkedTrees = Set<ObjectID>()
        for update in updates where !update.isDeletion {
            guard let tip = try? repository.peelToCommit(update.newID) else {
                refusals.append("\(update.ref): must point at a commit (or a tag of one)")
                continue
            }
            let history: [ObjectID]
            do {
                history = try repository.history(from: tip, hiding: existing)
            } catch {
                // A parent the push did not bring: the client's clone is shallow.
                guard let (commit, parent) = try Self.missingParent(from: tip, in: repository) else { throw error }
                refusals.append("\(update.ref): commit \(commit.hex.prefix(12))'s parent \(parent.hex.prefix(12)) is missing: \(Self.shallowClone)")
                continue
            }
            for commitID in history {
                let commit = try repository.commit(commitID)
                guard checkedTrees.insert(commit.treeID).inserted else { continue }
                let entries = try repository.allEntries(inTree: commit.treeID)
                let files = entries.filter { $0.entry.kind != .tree }
                if files.count > limits.files {
                    refusals.append(
                        "\(update.ref): commit \(commitID.hex.prefix(12)) has \(files.count) files, more than the limit of \(limits.files)")
                }
                var treeBytes = 0
                for (path, entry) in entries {
                    if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || entry.name == ".." || entry.name == "." {
                        refusals.append(
                            "\(update.ref): commit \(commitID.hex.prefix(12)) has a path with a control character or '..': \(path.debugDescription)")
                        break
                    }
                    if entry.name.utf8.count > TreeExportError.longestName {
                        refusals.append(
                            "\(update.ref): commit \(commitID.hex.prefix(12)) has a name longer than \(TreeExportError.longestName) bytes: \(path.prefix(80))..."
                        )
                        break
                    }
                    guard entry.kind == .blob else { continue }
                    let size = try repository.objectSize(entry.id)
                    treeBytes += size
                    if size > limits.largestBlobBytes {
                        refusals.append(
                            "\(update.ref): \(path) in commit \(commitID.hex.prefix(12)) is \(size) bytes, more than the limit of \(limits.largestBlobBytes) bytes per file"
                        )
                    }
                }
                if treeBytes > limits.treeBytes {
                    refusals.append(
                        "\(update.ref): the files of commit \(commitID.hex.prefix(12)) take \(treeBytes) bytes together, more than the limit of \(limits.treeBytes) bytes (a file named twice counts twice)"
                    )
                }
            }
        }
        return refusals
    }

    /// The first commit, from `tip` back, whose parent is missing from `repository` (and that
    /// parent), looking at most 100,000 commits; nil when every parent is there.
    static func missingParent(from tip: ObjectID, in repository: Repository) throws -> (commit: ObjectID, parent: ObjectID)? {
        var pending = [tip]
        var seen: Set<ObjectID> = [tip]
        while let next = pending.popLast(), seen.count < 100_000 {
            for parent in try repository.commit(next).parentIDs {
                guard repository.contains(parent) else { return (next, parent) }
                if seen.insert(parent).inserted { pending.append(parent) }
            }
        }
        return nil
    }

    /// Total size in bytes of the files under `directory`.
    static func directorySize(_ directory: URL) -> Int {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total = 0
        for case let url as URL in enumerator {
            total += (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return total
    }
}
