import ArgumentParser
import Challenge
import Foundation
import Hub
import Ledger

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Provenance and audit: the hash-chained log, its verification, a submission's provenance, reuse without lineage.",
        subcommands: [Log.self, Verify.self, Submission.self, Reuse.self])

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the audit log.")
        @OptionGroup var hubOptions: HubOptions
        @Option(help: "Only entries at or after this instant (ISO 8601, UTC).")
        var since: String?
        @Option(help: "Only entries about this team.")
        var team: String?
        @Option(help: "table or json.")
        var format: LeaderboardFormatter.Format = .table

        func run() async throws {
            let hub = try hubOptions.open()
            let sinceDate = try since.map { text -> Date in
                guard let date = Instant.parse(text, reference: nil) else {
                    throw ValidationError("--since: '\(text)' is not an ISO 8601 instant like 2026-12-01T09:00:00Z")
                }
                return date
            }
            let entries = try hub.ledger.auditEntries(since: sinceDate, team: team)
            switch format {
            case .json:
                say(try LeaderboardFormatter.json(entries.map(AuditEntryView.init)), terminator: "")
            case .table, .csv:
                let rows = entries.map { [String($0.id ?? 0), Instant.format($0.at), $0.actor, $0.action, $0.team ?? "", $0.detail] }
                say(LeaderboardFormatter.table(header: ["id", "at", "actor", "action", "team", "detail"], rows: rows), terminator: "")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the hash chain; report the first entry altered, removed or reordered.")
        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            if let problem = try hub.ledger.verifyAuditLog() {
                say("The audit log was tampered with: \(problem)")
                throw ExitCode(2)
            }
            say("The audit log is intact: \(try hub.ledger.auditEntries().count) entries, chained from the first.")
        }
    }
}
