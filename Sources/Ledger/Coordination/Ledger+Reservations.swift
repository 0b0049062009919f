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

    public init(team: String, name: String, pusher: String, phase: String?, reservedAt: Date) {
        self.team = team
        self.name = name
        self.pusher = pusher
        self.phase = phase
        self.reservedAt = reservedAt
    }
}

extension Ledger {
    /// Checks a push's new submission names against the names the team used or reserved and
    /// against its quotas, and reserves them all, in one IMMEDIATE transaction: concurrent
    /// pushes (each in its own hook process) are serialised, so that a quota allowing `n` more
    /// submissions lets exactly `n` through. Nothing is reserved when any name is refused.
    /// - Parameters:
    ///   - names: the push's new submission names, in order.
    ///   - quota: given the instants that count in the team's quotas (recorded submissions,
    ///     reservations, and the names of this push before this one), why one more is refused
    ///     at `at`, or nil.
    /// - Returns: the refusals by name; empty when every name was reserved.
    /// - Throws: a GRDB error when the database cannot be written.
    public func reserveSubmissions(team: String, names: [String], pusher: String, phase: String?, at time: Date,
                                   countOwnErrors: Bool, quota: ([Date]) -> String?) throws -> [(name: String, refusal: String)] {
        try database.write { db in
            let reservations = try SubmissionReservation.filter(Column("team") == team).fetchAll(db)
            let used = Set(try String.fetchAll(db, sql: "SELECT name FROM submissions WHERE team = ?", arguments: [team]))
                .union(reservations.map(\.name))
            var counted = try Self.quotaCountingSubmissionTimes(db, team: team, countOwnErrors: countOwnErrors) + reservations.map(\.reservedAt)
            var refusals: [(name: String, refusal: String)] = []
            var taken = used
            for name in names {
                if used.contains(name) {
                    refusals.append((name, "your team already used the name '\(name)'; choose another"))
                } else if let other = taken.first(where: { $0.lowercased() == name.lowercased() }) {
                    refusals.append((name, "'\(name)' differs only by case from your submission '\(other)' (their files would collide on case-insensitive file systems, in exports for one); choose another name"))
                } else if let refusal = quota(counted) {
                    refusals.append((name, refusal))
                } else {
                    counted.append(time)
                    taken.insert(name)
                }
            }
            guard refusals.isEmpty else { return refusals }
            for name in names {
                try SubmissionReservation(team: team, name: name, pusher: pusher, phase: phase, reservedAt: time).insert(db)
            }
            return []
        }
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
