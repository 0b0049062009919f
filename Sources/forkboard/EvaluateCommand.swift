import ArgumentParser
import Challenge
import Evaluation
import Foundation
import Host
import Hub

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Run the hub's evaluation on a working tree or commit, on the public training data only (cross-validation), in the same sandbox.")

    @Argument(help: "A working tree (your clone), or with --commit a repository.")
    var path: String = "."

    @Option(help: "Evaluate this commit of the repository at PATH instead of its working tree.")
    var commit: String?

    @Option(help: "The question (default: every question whose required files the tree holds).")
    var question: String?

    @Flag(help: "A quick check on a quarter of the rows and 2 folds.")
    var quick = false

    @Option(help: "Use this hub home's challenge instead of the starting kit's .forkboard/ (organisers).")
    var hub: String?

    @Option(
        help:
            "The Python interpreter, with the challenge's packages (default: $FORKBOARD_PYTHON, else a runtime built once from the starting kit's .forkboard/requirements.txt); ignored with --hub."
    )
    var python: String?

    func run() async throws {
        let root = URL(fileURLWithPath: path).standardizedFileURL
        let source: LocalEvaluation.Source
        if let hub {
            source = .hub(try Hub(home: URL(fileURLWithPath: hub)))
        } else if let python = python ?? Installation.environmentPython {
            source = .startingKit(root, python: try Executables.locate(python))
        } else {
            source = .startingKit(root, python: try await Self.startingKitRuntime(root))
        }
        let tree = try commit.map { try LocalEvaluation.export(revision: $0, repository: root) } ?? root
        defer { if commit != nil { try? FileManager.default.removeItem(at: tree) } }
        let results = try await LocalEvaluation(source: source, quick: quick).run(tree: tree, questionName: question)
        var failed = false
        for result in results {
            say("Question \(result.question.name): \(result.outcome.status.rawValue)")
            if result.outcome.status == .scored {
                say(LocalEvaluation.table(result))
            } else {
                failed = true
                say(result.outcome.log)
            }
        }
        if failed { throw ExitCode.failure }
    }

    /// The runtime built (once) from the starting kit's `.forkboard/requirements.txt`.
    static func startingKitRuntime(_ root: URL) async throws -> String {
        let requirements = root.appendingPathComponent(LocalEvaluation.directoryName).appendingPathComponent("requirements.txt")
        guard FileManager.default.fileExists(atPath: requirements.path) else {
            throw ValidationError(
                "\(requirements.path) is missing (a starting kit from an older hub): pass --python with an interpreter that has the challenge's packages"
            )
        }
        return try await RuntimeBuilder.cachedPython(requirements: requirements) { say($0) }
    }
}
