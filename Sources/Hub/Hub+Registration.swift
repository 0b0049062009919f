import Challenge
import Foundation
import Ledger

extension Hub {
    /// Whether an outsider may register a team now: `open_registration: true`, an open phase,
    /// and not closed by the organisers. Returns nil when it may, else why not.
    public func registrationRefusal(now: Date = Date()) async throws -> String? {
        guard challenge.openRegistration else { return "this challenge does not take registrations (open_registration in challenge.yaml)" }
        if try await ledger.hubState("registration_closed") == "1" { return "the organisers closed the registration" }
        let status = try await PhaseClock(hub: self).currentStatus(at: now)
        guard status.phase?.kind == .open else { return "teams register during an open phase only" }
        return nil
    }

    /// Closes (or opens again) the registration of outsiders, audited.
    public func setRegistrationClosed(_ closed: Bool, by actor: String) async throws {
        try await ledger.setHubState("registration_closed", to: closed ? "1" : "0")
        try ledger.audit(closed ? "registration.close" : "registration.open", actor: actor)
    }

    /// Registers team `name` with member `login` for an outsider, if registration is open;
    /// returns the member's token (shown once).
    /// - Throws: ``HubError/registrationRefused(_:)`` when it is closed; ``Ledger/TeamError``
    ///   for an invalid or taken team name or a taken login (nothing is recorded then); Git errors.
    public func registerTeam(_ name: String, member login: String, from address: String) async throws -> String {
        if let refusal = try await registrationRefusal() { throw HubError.registrationRefused(refusal) }
        return try HubSetup.addTeam(name, member: login, to: self, by: "registration from \(address)")
    }
}
