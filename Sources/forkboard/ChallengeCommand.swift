import ArgumentParser
import Foundation
import Challenge
import Host
import Hub
import Ledger

struct ChallengeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "challenge",
        abstract: "The challenge's configuration in force: what it is, and applying a changed challenge.yaml.",
        discussion: """
            Every process of a hub (server, workers, hooks, commands) uses the configuration the ledger records as applied, \
            not challenge.yaml as it is on disk: edit the file, then 'forkboard challenge reload' checks it, records it in the \
            audit log with its hash, and every running process uses it within seconds.
            """,
        subcommands: [Status.self, Reload.self, Check.self],
        defaultSubcommand: Status.self)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the configuration in force and whether challenge.yaml differs from it.")

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            let record = hub.configurationRecord
            say("In force: sha256 \(record.sha256), applied \(Instant.format(record.appliedAt)) by \(record.appliedBy)")
            switch hub.challenge.executor {
            case .local: say("Evaluations run on this machine (executor: local).")
            case .slurm(let settings):
                say(
                    "Evaluations run on Slurm: partition \(settings.partition ?? "(the default)"), job directories in \(settings.sharedDirectory)/\(hub.identifier)/runs, "
                        + "\(settings.jobsInFlight) job(s) in flight per process, one job per \(settings.granularity.rawValue).")
            }
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
                say(
                    "Applied challenge.yaml (sha256 \(record.sha256)); running processes use it within seconds. "
                        + "Scores already recorded stay as they were: 'forkboard rescore --all' evaluates again with it.")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a challenge before participants come: challenge.yaml, the data, the runtime, and the starting kit run in the sandbox.",
            discussion: """
                DIR is a hub home, or a template directory (challenge.yaml, harness/, starting-kit/, prepare_data.py, \
                requirements.txt), which is then made into a hub in a temporary directory first (its data prepared, its runtime \
                built unless --python or FORKBOARD_PYTHON gives one). Prints one line per finding (ok, warning, error); exits \
                with status 1 when any is an error.
                """)

        @Argument(help: "A hub home or a template directory.")
        var directory: String

        @Option(
            help: "For a template: the interpreter submissions run with (default: $FORKBOARD_PYTHON, else a runtime built from its requirements.txt)."
        )
        var python: String?

        func run() async throws {
            let directory = URL(fileURLWithPath: self.directory).standardizedFileURL
            let isHub = HubHome(directory).exists
            var home = directory
            var temporary: URL?
            defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
            if !isHub {
                let made = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-check-\(UUID().uuidString.prefix(8))")
                temporary = made
                say("\(directory.path) is a template: making a hub from it in \(made.path)")
                do {
                    _ = try await HubSetup.createHub(
                        at: made, template: directory, share: try Installation.shareDirectory(),
                        python: python ?? Installation.environmentPython)
                } catch {
                    say("error: template: \(error)")
                    throw ExitCode.failure
                }
                home = made
            }
            let check = await ChallengeCheck.run(home: home)
            for finding in check.findings { say(finding.description) }
            for projection in check.projections { say("\n" + projection.table()) }
            let errors = check.findings.filter { $0.severity == .error }.count
            let warnings = check.findings.filter { $0.severity == .warning }.count
            say(check.passed ? "Passed (\(warnings) warning(s))." : "Failed: \(errors) error(s), \(warnings) warning(s).")
            if !check.passed { throw ExitCode.failure }
        }
    }
}
