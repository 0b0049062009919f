import ArgumentParser
import Challenge
import Foundation
import Hub

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a hub home from a challenge template.")

    @Argument(help: "The new hub home (an empty or missing directory).")
    var hub: String

    @Option(
        help:
            "The template: a name from Forkboard's templates/ directory (breast-cancer, wine-r), or the path of your own template directory (challenge.yaml, harness/, starting-kit/, prepare_data.py, requirements.txt)."
    )
    var template: String = "breast-cancer"

    @Option(
        help:
            "The Python interpreter submissions run with, with the template's requirements (default: $FORKBOARD_PYTHON, else a runtime built in the hub from the template's requirements.txt, with pip, once)."
    )
    var python: String?

    @Option(
        help:
            "Make the challenge from a ramp-workflow starting kit (problem.py, data/, submissions/starting_kit/), left as it is, instead of a template."
    )
    var rampKit: String?

    @Option(
        help:
            "A file of requirement lines (pins such as 'pandas<3', or packages to add) appended to the template's or kit's requirements.txt, without editing them."
    )
    var constraints: String?

    func run() async throws {
        let home = URL(fileURLWithPath: hub).standardizedFileURL
        let share = try Installation.shareDirectory()
        let python = self.python ?? Installation.environmentPython
        let constraints = self.constraints.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let created =
            if let rampKit {
                try await RampKitImport.createHub(
                    at: home, kit: URL(fileURLWithPath: rampKit).standardizedFileURL, share: share, python: python,
                    constraints: constraints)
            } else {
                try await HubSetup.createHub(
                    at: home, template: try HubSetup.templateDirectory(template, share: share), share: share,
                    python: python, extraRequirements: constraints)
            }
        say("Created hub '\(created.challenge.title)' at \(home.path)")
        say("Next: forkboard team add TEAM --member LOGIN --hub \(home.path)")
    }
}
