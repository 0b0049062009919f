import ArgumentParser
import Foundation
import Challenge
import Hub

struct ChallengeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "challenge",
        abstract: "The challenge's configuration in force: what it is, and applying a changed challenge.yaml.",
        discussion: """
            Every process of a hub (server, workers, hooks, commands) uses the configuration the ledger records as applied, \
            not challenge.yaml as it is on disk: edit the file, then 'forkboard challenge reload' checks it, records it in the \
            audit log with its hash, and every running process uses it within seconds.
            """,
        subcommands: [Status.self, Reload.self],
        defaultSubcommand: Status.self)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the configuration in force and whether challenge.yaml differs from it.")

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            let record = hub.configurationRecord
            say("In force: sha256 \(record.sha256), applied \(Instant.format(record.appliedAt)) by \(record.appliedBy)")
            if try hub.configurationFileIsApplied() {
                say("challenge.yaml is the configuration in force.")
            } else {
                say("challenge.yaml changed since: run 'forkboard challenge reload' to check it and apply it.")
            }
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check challenge.yaml and make it the configuration in force for every process of the hub.")

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            switch try hub.reloadConfiguration(by: organiserName()) {
            case .unchanged:
                say("challenge.yaml is already in force (sha256 \(hub.configurationRecord.sha256)).")
            case .applied(let record):
                try await hub.useCurrentRankingSpecifications()
                say("Applied challenge.yaml (sha256 \(record.sha256)); running processes use it within seconds. "
                    + "Scores already recorded stay as they were: 'forkboard rescore --all' evaluates again with it.")
            }
        }
    }
}
