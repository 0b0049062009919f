import ArgumentParser
import Challenge
import Foundation
import Hub
import Ledger

/// Who runs an organiser's command, for the records: `$USER`, else the uid.
func organiserName() -> String {
    ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "uid-\(getuid())"
}

struct PhaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Show the current phase, the next change and the time left; or override the schedule.",
        subcommands: [Show.self, Set.self, Clear.self],
        defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the current phase (the default).")
        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            let now = Date()
            let status = try PhaseClock(hub: hub).status(at: now)
            if let phase = status.phase {
                // Set by hand: in force since the override, not since its scheduled start.
                let since = status.override?.setAt ?? phase.start
                say("Phase: \(phase.name) (\(phase.kind.rawValue)), since \(Instant.format(since))")
            } else if let first = hub.challenge.schedule.phases.first, now < first.start {
                say("Phase: none yet; '\(first.name)' starts at \(Instant.format(first.start))")
            } else {
                say("Phase: none; the challenge ended at \(Instant.format(hub.challenge.schedule.end))")
            }
            if let override = status.override {
                say("Overridden by \(override.setBy) at \(Instant.format(override.setAt)); 'forkboard phase clear' returns to the schedule")
            } else if let next = status.nextChange {
                let left = Int(next.timeIntervalSince(now))
                let what = status.nextPhase.map { "phase '\($0.name)' (\($0.kind.rawValue)) starts" } ?? "the challenge ends"
                say("Next: \(what) at \(Instant.format(next)), in \(left / 86_400)d \(left % 86_400 / 3_600)h \(left % 3_600 / 60)m \(left % 60)s")
            }
            for phase in hub.challenge.schedule.phases {
                say("  \(Instant.format(phase.start))  \(phase.name) (\(phase.kind.rawValue))")
            }
            say("  \(Instant.format(hub.challenge.schedule.end))  end")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Override the schedule: the hub is in phase NAME until 'phase clear' (recorded with who and when).")
        @Argument(help: "A phase of challenge.yaml.")
        var name: String
        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            guard hub.challenge.schedule.phase(named: name) != nil else {
                throw ValidationError("no phase '\(name)'; the phases are \(hub.challenge.schedule.phases.map(\.name).joined(separator: ", "))")
            }
            try hub.overridePhase(name, by: organiserName())
            say("Phase set to '\(name)' by \(organiserName())")
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return to the schedule.")
        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            try hubOptions.open().overridePhase(nil, by: organiserName())
            say("The schedule rules again")
        }
    }
}

struct RevealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal",
        abstract: "Show the private test scores to participants (recorded with who and when).")
    @OptionGroup var hubOptions: HubOptions

    func run() async throws {
        try hubOptions.open().ledger.reveal(by: organiserName())
        say("Private test scores are now shown to participants")
    }
}
