import ArgumentParser
import Challenge
import Foundation
import Hub

struct RuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Show or rebuild the runtime (interpreter and packages) that submissions run with.",
        subcommands: [Show.self, Rebuild.self],
        defaultSubcommand: Show.self)

    static func print(_ description: HubRuntime.Description) {
        say(
            "Interpreter: \(description.interpreter.isEmpty ? "(cannot run)" : description.interpreter) in \(description.binDirectory)"
                + (description.builtByHub ? " (built by the hub)" : ""))
        say(
            "Read-only in the sandbox: \(description.readOnlyPaths.isEmpty ? "(nothing besides /usr)" : description.readOnlyPaths.joined(separator: ", "))"
        )
        say("Packages (\(description.packages.count)):")
        for package in description.packages { say("  \(package)") }
        if let rVersion = description.rVersion {
            say("R: \(rVersion)")
            say("R packages (\(description.rPackages?.count ?? 0)):")
            for package in description.rPackages ?? [] { say("  \(package)") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the runtime in force: interpreter, paths and package versions.")

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            RuntimeCommand.print(await HubRuntime.describe(hub: try hubOptions.open()))
        }
    }

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a new runtime from the hub's requirements.txt (pip's output shown) and put it in force for every process; audited.",
            discussion:
                "Refused while evaluations run. Scores already recorded stay as they were: 'forkboard rescore --all' evaluates again with the new runtime."
        )

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            let previous = hub.challenge.runtime.map { URL(fileURLWithPath: $0.binDirectory).deletingLastPathComponent().path }
            let description = try await HubRuntime.rebuild(hub: hub, by: organiserName(), showProgress: true)
            say("Rebuilt; running processes use it for their next evaluation, within seconds.")
            if let previous, previous.hasPrefix(hub.home.path + "/") {
                say("The previous runtime, \(previous), is kept: delete it once every process of the hub has picked the new one up.")
            }
            RuntimeCommand.print(description)
        }
    }
}
