import Foundation
import Testing

/// A hub knows its runtime: `forkboard init` builds it from the template's requirements.txt
/// when no interpreter is given, every command uses it with no environment variable, it can
/// be shown and rebuilt, and `forkboard evaluate` builds the same one for a participant.
@Suite("Challenge runtimes", .serialized)
struct RuntimeTests {
    /// The tests' environment without `FORKBOARD_PYTHON`; the user's cache under `root`, pip's
    /// where it was (its wheels are there from `make test`'s own runtime).
    static func environmentWithoutPython(cacheIn root: URL) -> [String: String] {
        var environment = CommandRunner.environment
        environment.removeValue(forKey: "FORKBOARD_PYTHON")
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        environment["PIP_CACHE_DIR"] =
            environment["PIP_CACHE_DIR"]
            ?? (environment["XDG_CACHE_HOME"].map { $0 + "/pip" } ?? home + "/.cache/pip")
        environment["XDG_CACHE_HOME"] = root.appendingPathComponent("cache").path
        return environment
    }

    @Test func aHubBuildsItsRuntimeAndUsesItWithNoEnvironmentVariable() async throws {
        let cacheRoot = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-runtime-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: cacheRoot) }
        let environment = Self.environmentWithoutPython(cacheIn: cacheRoot)
        let hub = try await TestHub(environment: environment)
        let built = hub.home.appendingPathComponent("runtime/python/bin")
        let configuration = try String(contentsOf: hub.home.appendingPathComponent("challenge.yaml"), encoding: .utf8)
        #expect(configuration.contains("bin: \(built.path)"), "\(configuration)")

        let shown = try await hub.forkboard(["runtime", "show", "--hub", hub.home.path])
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("(built by the hub)"))
        #expect(shown.output.lowercased().contains("scikit-learn=="), "\(shown.output)")
        let log = try await hub.forkboard(["audit", "log", "--hub", hub.home.path, "--format", "json"])
        #expect(log.output.contains("runtime.recorded"))

        // Served and scored with no FORKBOARD_PYTHON anywhere.
        let (clone, _, scored) = try await hub.startAndSubmitTheStartingKit()
        #expect(scored["state"] as? String == "scored", "\(scored)")

        // A participant's evaluate builds the same runtime once, in the user's cache.
        let evaluate = try await CommandRunner.run(CommandRunner.forkboard, ["evaluate", clone.path, "--quick"], in: clone, environment: environment)
        #expect(evaluate.status == 0, "\(evaluate.output)")
        #expect(evaluate.output.contains("Building the challenge's Python runtime in \(cacheRoot.path)/cache/forkboard/runtimes/python-"))
        #expect(evaluate.output.contains("Question diagnosis: scored"))
        let again = try await CommandRunner.run(CommandRunner.forkboard, ["evaluate", clone.path, "--quick"], in: clone, environment: environment)
        #expect(again.status == 0 && !again.output.contains("Building"), "built once: \(again.output)")

        // A rebuild puts a new runtime in force, audited; refused while challenge.yaml has
        // changes that are not applied.
        let configurationFile = hub.home.appendingPathComponent("challenge.yaml")
        try (configuration + "\n# an edit\n").write(to: configurationFile, atomically: true, encoding: .utf8)
        let refused = try await hub.forkboard(["runtime", "rebuild", "--hub", hub.home.path])
        #expect(refused.status != 0 && refused.output.contains("challenge.yaml has changes that are not applied"), "\(refused.output)")
        try configuration.write(to: configurationFile, atomically: true, encoding: .utf8)
        let rebuilt = try await hub.forkboard(["runtime", "rebuild", "--hub", hub.home.path])
        #expect(rebuilt.status == 0, "\(rebuilt.output)")
        let after = try String(contentsOf: configurationFile, encoding: .utf8)
        #expect(after.contains("bin: \(hub.home.path)/runtime/python-"), "\(after)")
        #expect(after.components(separatedBy: "runtime:").count == 2, "one runtime section")
        #expect(try await hub.forkboard(["audit", "log", "--hub", hub.home.path, "--format", "json"]).output.contains("runtime.rebuilt"))
        #expect(
            try await hub.submit(
                "again",
                files: ["classifier.py": try String(contentsOf: clone.appendingPathComponent("classifier.py"), encoding: .utf8) + "\nVARIANT = 2\n"],
                in: clone
            ).status == 0)
        #expect(try await hub.waitForFinalState(team: "alice", name: "again")["state"] as? String == "scored")
        // The running server evaluated it with the new runtime, and its provenance says so.
        let job = try String(contentsOf: hub.home.appendingPathComponent("runs/alice/again/diagnosis/job.json"), encoding: .utf8)
            .replacingOccurrences(of: "\\/", with: "/")
        #expect(job.contains("runtime/python-"), "\(job)")
        var audit = try await hub.forkboard(["audit", "submission", "alice/again", "--hub", hub.home.path])
        for _ in 0..<120 where !audit.output.contains("\(hub.home.path)/runtime/python-") {
            // (The provenance is recorded just after the score.)
            try await Task.sleep(for: .milliseconds(250))
            audit = try await hub.forkboard(["audit", "submission", "alice/again", "--hub", hub.home.path])
        }
        #expect(audit.output.contains("\(hub.home.path)/runtime/python-"), "\(audit.output)")
    }
}
