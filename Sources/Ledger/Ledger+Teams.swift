import Crypto
import Foundation
import GRDB

/// Why a team or member could not be added.
public enum TeamError: Error, CustomStringConvertible, Equatable {
    case invalidName(String)
    case reservedName(String)
    case teamExists(String)
    case loginTaken(login: String, team: String)

    public var description: String {
        switch self {
        case .invalidName(let name): "'\(name)' is not a valid name: use 1 to 40 of a-z, 0-9, '_' and '-', starting with a letter or digit"
        case .reservedName(let name):
            "'\(name)' is a name the hub keeps for itself (\(Ledger.reservedTeamNames.sorted().joined(separator: ", "))): choose another"
        case .teamExists(let name): "team '\(name)' already exists"
        case .loginTaken(let login, let team): "login '\(login)' already belongs to team '\(team)'"
        }
    }
}

extension Ledger {
    /// True when `name` can name a team or a login: `[a-z0-9][a-z0-9_-]{0,39}`.
    /// (`open` and `organisers` are reserved for teams.)
    public static func isValidName(_ name: String) -> Bool {
        name.range(of: "^[a-z0-9][a-z0-9_-]{0,39}$", options: .regularExpression) != nil
    }

    /// Team names the hub keeps for itself.
    public static let reservedTeamNames: Set<String> = ["open", "organisers", "ledger"]

    /// The hexadecimal SHA-256 of a token (swift-crypto).
    public static func hash(token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random access token: 32 bytes from the system's secure generator, as 64 hex digits.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Records a new team.
    /// - Throws: ``TeamError`` for an invalid, reserved or existing name.
    public func addTeam(_ name: String, by actor: String = "hub", at time: Date = Date()) throws {
        guard Self.isValidName(name) else { throw TeamError.invalidName(name) }
        guard !Self.reservedTeamNames.contains(name) else { throw TeamError.reservedName(name) }
        try database.write { db in
            if try TeamRecord.fetchOne(db, key: name) != nil { throw TeamError.teamExists(name) }
            try TeamRecord(name: name, createdAt: time).insert(db)
            try Self.appendAudit(db, "team.created", actor: actor, team: name, at: time)
        }
    }

    /// Records a new team with its first member, both or neither, and returns the member's
    /// token (shown once; only its hash is stored).
    /// - Throws: ``TeamError`` for an invalid, reserved or existing team name, an invalid
    ///   login, or a login of another team (nothing is recorded then).
    public func addTeam(_ name: String, member login: String, by actor: String = "hub", at time: Date = Date()) throws -> String {
        guard Self.isValidName(name) else { throw TeamError.invalidName(name) }
        guard !Self.reservedTeamNames.contains(name) else { throw TeamError.reservedName(name) }
        guard Self.isValidName(login) else { throw TeamError.invalidName(login) }
        let token = Self.makeToken()
        try database.write { db in
            if try TeamRecord.fetchOne(db, key: name) != nil { throw TeamError.teamExists(name) }
            if let existing = try MemberRecord.fetchOne(db, key: login) { throw TeamError.loginTaken(login: login, team: existing.team) }
            try TeamRecord(name: name, createdAt: time).insert(db)
            try Self.appendAudit(db, "team.created", actor: actor, team: name, at: time)
            try MemberRecord(login: login, team: name, tokenSHA256: Self.hash(token: token), createdAt: time).insert(db)
            try Self.appendAudit(db, "token.created", actor: actor, team: name, detail: ["login": .text(login)], at: time)
        }
        return token
    }

    /// Removes a member: its token stops working at once. Its team and submissions stay.
    /// - Returns: false when there was no such member.
    public func revokeMember(_ login: String, by actor: String = "hub", at time: Date = Date()) throws -> Bool {
        try database.write { db in
            guard let member = try MemberRecord.fetchOne(db, key: login) else { return false }
            try member.delete(db)
            try Self.appendAudit(db, "token.revoked", actor: actor, team: member.team, detail: ["login": .text(login)], at: time)
            return true
        }
    }

    /// Adds `login` to `team` with a fresh token and returns the token (shown once; only its
    /// hash is stored). Adding an existing member of the same team replaces its token.
    /// - Throws: ``TeamError`` for an invalid login or one that belongs to another team.
    public func addMember(_ login: String, to team: String, by actor: String = "hub", at time: Date = Date()) throws -> String {
        guard Self.isValidName(login) else { throw TeamError.invalidName(login) }
        let token = Self.makeToken()
        try database.write { db in
            if let existing = try MemberRecord.fetchOne(db, key: login), existing.team != team {
                throw TeamError.loginTaken(login: login, team: existing.team)
            }
            try MemberRecord(login: login, team: team, tokenSHA256: Self.hash(token: token), createdAt: time).save(db)
            try Self.appendAudit(db, "token.created", actor: actor, team: team, detail: ["login": .text(login)], at: time)
        }
        return token
    }

    /// The member whose login and token match, or nil. Compares hashes, never tokens.
    public func authenticate(login: String, token: String) throws -> MemberRecord? {
        Self.matching(try database.read { db in try MemberRecord.fetchOne(db, key: login) }, token: token)
    }

    static func matching(_ member: MemberRecord?, token: String) -> MemberRecord? {
        guard let member else { return nil }
        let candidate = Array(hash(token: token).utf8)
        let stored = Array(member.tokenSHA256.utf8)
        guard candidate.count == stored.count else { return nil }
        // Constant-time comparison, so timing does not reveal how much of a hash matched.
        var difference: UInt8 = 0
        for index in candidate.indices { difference |= candidate[index] ^ stored[index] }
        return difference == 0 ? member : nil
    }

    /// Adds an organiser: a login that signs in like a member but belongs to no participating
    /// team, and may use the organisers' pages. Returns its token (shown once).
    /// - Throws: ``TeamError`` for an invalid login or one that belongs to a team.
    public func addOrganiser(_ login: String, by actor: String = "hub", at time: Date = Date()) throws -> String {
        try addMember(login, to: MemberRecord.organisersTeam, by: actor, at: time)
    }

    /// All participating teams, by name (not the organisers').
    public func teams() throws -> [TeamRecord] {
        try database.read { db in
            try TeamRecord.filter(!Self.reservedTeamNames.contains(TeamRecord.Columns.name)).order(TeamRecord.Columns.name).fetchAll(db)
        }
    }

    /// Every login, organisers' included, by team then login.
    public func members() async throws -> [MemberRecord] {
        try await database.read { db in try MemberRecord.order(MemberRecord.Columns.team, MemberRecord.Columns.login).fetchAll(db) }
    }

    /// True when the participating team exists.
    public func teamExists(_ name: String) throws -> Bool {
        guard !Self.reservedTeamNames.contains(name) else { return false }
        return try database.read { db in try TeamRecord.fetchOne(db, key: name) != nil }
    }

    /// True when the participating team exists, read on GRDB's threads (for requests).
    public func hasTeam(_ name: String) async throws -> Bool {
        guard !Self.reservedTeamNames.contains(name) else { return false }
        return try await database.read { db in try TeamRecord.fetchOne(db, key: name) != nil }
    }
}
