import Foundation
import GRDB

/// A submission name that pre-receive accepted and that post-receive has not recorded yet.
/// It holds the name and a place in the team's quotas from the moment the push was checked,
/// so that simultaneous pushes cannot all pass one quota, and it carries the instant, phase
/// and pusher the check was made with, which the recording keeps.
public struct SubmissionReservation: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "submission_reservations"
    public var team: String
    public var name: String
    public var pusher: String
    /// The phase pre-receive decided with.
    public var phase: String?
    /// The instant pre-receive decided with, UTC.
    public var reservedAt: Date
    /// The tree of the commit it names (40 hexadecimal digits).
    public var treeID: String?

    public init(team: String, name: String, pusher: String, phase: String?, reservedAt: Date, treeID: String? = nil) {
        self.team = team
        self.name = name
        self.pusher = pusher
        self.phase = phase
        self.reservedAt = reservedAt
        self.treeID = treeID
    }
}

/// A new submission a push asks for: its name and its commit's tree.
public struct RequestedSubmission: Sendable, Equatable {
    public var name: String
    /// 40 hexadecimal digits.
    public var treeID: String

    public init(name: String, treeID: String) {
        self.name = name
        self.treeID = treeID
    }
}

extension Ledger {
    /// Checks a push's new submissions against the names the team used or reserved, against
    /// the trees of its earlier submissions (the same files are scored once: a second copy
    /// would be a second draw of a random model, not a new submission) and against its
    /// quotas, and reserves them all, in one IMMEDIATE transaction: concurrent
    /// pushes (each in its own hook process) are serialised, so that a quota allowing `n` more
    /// submissions lets exactly `n` through. Nothing is reserved when any name is refused.
    /// - Parameters:
    ///   - requested: the push's new submissions, in order.
    ///   - quota: given the instants that count in the team's quotas (recorded submissions,
    ///     reservations, and the names of this push before this one), why one more is refused
    ///     at `at`, or nil.
    /// - Returns: the refusals by name; empty when every name was reserved.
    /// - Throws: a GRDB error when the database cannot be written.
    public func reserveSubmissions(team: String, requested: [RequestedSubmission], pusher: String, phase: String?, at time: Date,
                                   countOwnErrors: Bool, quota: ([Date]) -> String?) throws -> [(name: String, refusal: String)] {
        try database.write { db in
            let reservations = try SubmissionReservation.filter(Column("team") == team).fetchAll(db)
            let used = Set(try String.fetchAll(db, sql: "SELECT name FROM submissions WHERE team = ?", arguments: [team]))
                .union(reservations.map(\.name))
            var counted = try Self.quotaCountingSubmissionTimes(db, team: team, countOwnErrors: countOwnErrors) + reservations.map(\.reservedAt)
            var refusals: [(name: String, refusal: String)] = []
            var taken = used
            var trees = Dictionary(reservations.compactMap { reservation in reservation.treeID.map { ($0, reservation.name) } }) { first, _ in first }
            for submission in requested {
                let name = submission.name
                let sameTree = try trees[submission.treeID] ?? String.fetchOne(
                    db, sql: "SELECT name FROM submissions WHERE team = ? AND treeID = ? ORDER BY id LIMIT 1", arguments: [team, submission.treeID])
                if used.contains(name) {
                    refusals.append((name, "your team already used the name '\(name)'; choose another"))
                } else if let other = taken.first(where: { $0.lowercased() == name.lowercased() }) {
                    refusals.append((name, "'\(name)' differs only by case from your submission '\(other)' (their files would collide on case-insensitive file systems, in exports for one); choose another name"))
                } else if let sameTree {
                    refusals.append((name, Self.sameTreeRefusal(treeID: submission.treeID, earlier: sameTree)))
                } else if let refusal = quota(counted) {
                    refusals.append((name, refusal))
                } else {
                    counted.append(time)
                    taken.insert(name)
                    trees[submission.treeID] = name
                }
            }
            guard refusals.isEmpty else { return refusals }
            for submission in requested {
                try SubmissionReservation(team: team, name: submission.name, pusher: pusher, phase: phase, reservedAt: time, treeID: submission.treeID).insert(db)
            }
            return []
        }
    }

    /// Why a submission whose files are those of the team's submission `earlier` is refused.
    public static func sameTreeRefusal(treeID: String, earlier: String) -> String {
        "its files are exactly those of your submission '\(earlier)' (tree \(treeID.prefix(12))): the hub scores the same code once, so a copy cannot be a second draw of a random model; change the code to submit again (organisers can rescore a submission)"
    }

    /// Fills in the tree of submissions recorded before the hub kept it, with `treeOf` a
    /// commit's tree (nil when the commit cannot be read); returns how many it filled.
    /// - Throws: a GRDB error, or what `treeOf` throws.
    @discardableResult
    public func fillMissingTrees(_ treeOf: (String) throws -> String?) throws -> Int {
        let missing = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, commitID FROM submissions WHERE treeID IS NULL").map { ($0["id"] as Int64, $0["commitID"] as String) }
        }
        let trees = try missing.compactMap { id, commit in try treeOf(commit).map { (id, $0) } }
        guard !trees.isEmpty else { return 0 }
        try database.write { db in
            for (id, tree) in trees {
                try db.execute(sql: "UPDATE submissions SET treeID = ? WHERE id = ?", arguments: [tree, id])
            }
        }
        return trees.count
    }

    /// Reservations made before `instant`: pushes whose recording is late (or that failed
    /// after pre-receive, if their tag does not exist).
    public func reservations(before instant: Date) throws -> [SubmissionReservation] {
        try database.read { db in
            try SubmissionReservation.filter(Column("reservedAt") < instant).order(Column("reservedAt")).fetchAll(db)
        }
    }

    /// Drops a reservation whose push did not happen (its tag never reached the repository).
    public func dropReservation(team: String, name: String) throws {
        _ = try database.write { db in
            try SubmissionReservation.deleteOne(db, key: ["team": team, "name": name])
        }
    }
}
