import Challenge
import Foundation
import Ledger

/// The phase the hub is in: the organisers' override when there is one, else the schedule's.
public struct PhaseClock {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// Where the challenge stands at an instant.
    public struct Status: Sendable {
        /// The phase in force; nil before the first phase starts or after the last ends.
        public let phase: Phase?
        /// Who set the override in force, and when; nil when the schedule rules.
        public let override: PhaseOverrideRecord?
        /// The next scheduled change (a start or the end), or nil.
        public let nextChange: Date?
        /// The phase after the next change, or nil when that change is the end.
        public let nextPhase: Phase?

        /// True when the phase accepts submissions (closed or open).
        public var acceptsSubmissions: Bool { phase.map { $0.kind != .frozen } ?? false }
        /// True when open.git and everyone's code may be read.
        public var isCommonsOpen: Bool {
            guard let phase else { return false }
            return phase.kind == .open || phase.kind == .frozen
        }
    }

    /// The status at `instant`.
    /// - Throws: database errors.
    public func status(at instant: Date = Date()) throws -> Status {
        status(at: instant, override: try hub.ledger.phaseOverride())
    }

    /// The status at `instant`, read on GRDB's threads (for requests).
    /// - Throws: database errors.
    public func currentStatus(at instant: Date = Date()) async throws -> Status {
        status(at: instant, override: try await hub.ledger.phaseState().override)
    }

    private func status(at instant: Date, override: PhaseOverrideRecord?) -> Status {
        let schedule = hub.challenge.schedule
        let phase = override.flatMap { schedule.phase(named: $0.phase ?? "") } ?? schedule.phase(at: instant)
        let next = schedule.nextChange(after: instant)
        return Status(
            phase: phase, override: override, nextChange: override == nil ? next : nil,
            nextPhase: next.flatMap { schedule.phase(at: $0) })
    }

    /// Whether participants may see private test scores: after `forkboard reveal`, or in a
    /// frozen phase that is the schedule's last.
    public func privateScoresVisible(at instant: Date = Date()) throws -> Bool {
        privateScoresVisible(at: instant, revealed: try hub.ledger.firstReveal() != nil, override: try hub.ledger.phaseOverride())
    }

    /// As ``privateScoresVisible(at:)``, read on GRDB's threads (for requests).
    /// - Throws: database errors.
    public func privateScoresAreVisible(at instant: Date = Date()) async throws -> Bool {
        let state = try await hub.ledger.phaseState()
        return privateScoresVisible(at: instant, revealed: state.revealed, override: state.override)
    }

    /// Whether participants may see private test scores at `instant`, given the ledger's
    /// phase override and reveal (as ``Ledger/LedgerVersion`` reads them).
    public func privateScoresVisible(at instant: Date, revealed: Bool, override: PhaseOverrideRecord?) -> Bool {
        if revealed { return true }
        let status = status(at: instant, override: override)
        if let phase = status.phase, phase.kind == .frozen, phase == hub.challenge.schedule.phases.last { return true }
        return instant >= hub.challenge.schedule.end
    }
}
