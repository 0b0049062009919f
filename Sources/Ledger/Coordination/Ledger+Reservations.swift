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
    /// What the files of that tree do (``SubmissionRecord/codeFingerprint``).
    public var codeFingerprint: String?

    public init(
        team: String, name: String, pusher: String, phase: String?, reservedAt: Date, treeID: String? = nil,
        codeFingerprint: String? = nil
    ) {
        self.team = team
        self.name = name
        self.pusher = pusher
        self.phase = phase
        self.reservedAt = reservedAt
        self.treeID = treeID
        self.codeFingerprint = codeFingerprint
    }
}

/// A new submission a push asks for: its name, its commit's tree and what that tree's files do.
public struct RequestedSubmission: Sendable, Equatable {
    public var name: String
    /// 40 hexadecimal digits.
    public var treeID: String
    /// 64 hexadecimal digits (``SubmissionRecord/codeFingerprint``).
    public var codeFingerprint: String

    public init(name: String, treeID: String, codeFingerprint: String) {
        self.name = name
        self.treeID = treeID
        self.codeFingerprint = codeFingerprint
    }
}

extension Ledger {
    /// Checks a push's new submissions against the names the team used or reserved, against
    /// the code of its earlier submissions (the same code is scored once: a second copy, even
    /// with other comments or spacing, would be a second draw of a random model, not a new
    /// submission) and against its
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
    public func reserveSubmissions(
        team: String, requested: [RequestedSubmission], pusher: String, phase: String?, at time: Date,
        countOwnErrors: Bool, quota: ([Date]) -> String?
    ) throws -> [(name: String, refusal: String)] {
        try database.write { db in
            let reservations = try SubmissionReservation.filter(SubmissionReservation.Columns.team == team).fetchAll(db)
            let used = Set(try String.fetchAll(db, sql: "SELECT name FROM submissions WHERE team = ?", arguments: [team]))
                .union(reservations.map(\.name))
            var counted = try Self.quotaCountingSubmissionTimes(db, team: team, countOwnErrors: countOwnErrors) + reservations.map(\.reservedAt)
            var refusals: [(name: String, refusal: String)] = []
            var taken = used
            var codes = Dictionary(reservations.compactMap { reservation in reservation.codeFingerprint.map { ($0, reservation.name) } }) {
                first, _ in first
            }
            for submission in requested {
                let name = submission.name
                let sameCode =
                    try codes[submission.codeFingerprint]
                    ?? String.fetchOne(
                        db, sql: "SELECT name FROM submissions WHERE team = ? AND codeFingerprint = ? ORDER BY id LIMIT 1",
                        arguments: [team, submission.codeFingerprint])
                if used.contains(name) {
                    refusals.append((name, "your team already used the name '\(name)'; choose another"))
                } else if let other = taken.first(where: { $0.lowercased() == name.lowercased() }) {
                    refusals.append(
                        (
                            name,
                            "'\(name)' differs only by case from your submission '\(other)' (their files would collide on case-insensitive file systems, in exports for one); choose another name"
                        ))
                } else if let sameCode {
                    refusals.append((name, Self.sameCodeRefusal(earlier: sameCode)))
                } else if let refusal = quota(counted) {
                    refusals.append((name, refusal))
                } else {
                    counted.append(time)
                    taken.insert(name)
                    codes[submission.codeFingerprint] = name
                }
            }
            guard refusals.isEmpty else { return refusals }
            for submission in requested {
                try SubmissionReservation(
                    team: team, name: submission.name, pusher: pusher, phase: phase, reservedAt: time, treeID: submission.treeID,
                    codeFingerprint: submission.codeFingerprint
                ).insert(db)
            }
            return []
        }
    }

    /// Why a submission whose code is that of the team's submission `earlier` is refused.
    public static func sameCodeRefusal(earlier: String) -> String {
        "its code is that of your submission '\(earlier)' (only comments, docstrings, blank lines or spacing differ, if anything): the hub scores the same code once, so a copy cannot be a second draw of a random model; change the code to submit again (organisers can rescore a submission)"
    }

    /// Fills in the tree and code fingerprint of submissions recorded before the hub kept
    /// them, with `identify` a commit's tree and fingerprint (nil when the commit cannot be
    /// read); returns how many it filled.
    /// - Throws: a GRDB error, or what `identify` throws.
    @discardableResult
    public func fillMissingTrees(_ identify: (String) throws -> (treeID: String, codeFingerprint: String)?) throws -> Int {
        let missing = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, commitID FROM submissions WHERE treeID IS NULL OR codeFingerprint IS NULL")
                .map { ($0["id"] as Int64, $0["commitID"] as String) }
        }
        let found = try missing.compactMap { id, commit in try identify(commit).map { (id, $0) } }
        guard !found.isEmpty else { return 0 }
        try database.write { db in
            for (id, identity) in found {
                try db.execute(
                    sql: "UPDATE submissions SET treeID = ?, codeFingerprint = ? WHERE id = ?",
                    arguments: [identity.treeID, identity.codeFingerprint, id])
            }
        }
        return found.count
    }

    /// The reservation of `team`'s submission `name`, if pre-receive made one that is not
    /// recorded yet.
    public func reservation(_ key: SubmissionKey) throws -> SubmissionReservation? {
        try database.read { db in try SubmissionReservation.fetchOne(db, key: ["team": key.team, "name": key.name]) }
    }

    /// Reservations made before `instant`: pushes whose recording is late (or that failed
    /// after pre-receive, if their tag does not exist).
    public func reservations(before instant: Date) throws -> [SubmissionReservation] {
        try database.read { db in
            try SubmissionReservation.filter(SubmissionReservation.Columns.reservedAt < instant).order(SubmissionReservation.Columns.reservedAt)
                .fetchAll(db)
        }
    }

    /// Drops a reservation whose push did not happen (its tag never reached the repository).
    public func dropReservation(_ key: SubmissionKey) throws {
        _ = try database.write { db in
            try SubmissionReservation.deleteOne(db, key: ["team": key.team, "name": key.name])
        }
    }
}

extension SubmissionReservation {
    /// The reserved submission's team and name.
    public var key: SubmissionKey { SubmissionKey(team: team, name: name) }

    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let reservedAt = Column("reservedAt")
        static let team = Column("team")
    }
}
