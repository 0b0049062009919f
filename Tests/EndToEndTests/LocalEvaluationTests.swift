import Foundation
import Testing

/// `forkboard evaluate`: the hub's evaluation on a participant's machine, public rows only.
@Suite("Local evaluation before pushing", .serialized)
struct LocalEvaluationTests {
    /// The bagged validation value of `scoreType` in `forkboard evaluate`'s table.
    func baggedValue(_ output: String, column scoreType: String) -> String? {
        let lines = output.split(separator: "\n")
        guard let header = lines.first(where: { $0.hasPrefix("fold") })?.split(separator: " ", omittingEmptySubsequences: true),
            let bagged = lines.first(where: { $0.hasPrefix("bagged") })?.split(separator: " ", omittingEmptySubsequences: true),
            let column = header.firstIndex(of: Substring("valid_\(scoreType)"))
        else { return nil }
        // The bagged row leaves the two time columns empty.
        return String(bagged[column - 2])
    }

    @Test func evaluateMatchesTheHubAndRunsFromAClone() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(FileManager.default.fileExists(atPath: clone.appendingPathComponent(".forkboard/challenge.yaml").path))
        _ = try await CommandRunner.git(["tag", "submission-kit"], in: clone)
        #expect(try await CommandRunner.git(["push", "origin", "submission-kit"], in: clone).status == 0)
        let scored = try await hub.waitForFinalState(team: "alice", name: "kit")
        let hubAUC = try #require(
            ((scored["evaluations"] as? [[String: Any]])?.first?["scores"] as? [String: [String: Double]])?["valid"]?["roc_auc"])

        // With the hub's challenge: the same folds, sandbox and scores as the hub's evaluation.
        let organiser = try await hub.forkboard(["evaluate", clone.path, "--hub", hub.home.path])
        #expect(organiser.status == 0, "\(organiser.output)")
        #expect(baggedValue(organiser.output, column: "roc_auc") == String(format: "%.4f", hubAUC))

        // A participant, from the clone, on a quick subset, and on a commit.
        let quick = try await hub.forkboard(["evaluate", clone.path, "--quick"])
        #expect(quick.status == 0, "\(quick.output)")
        #expect(quick.output.contains("Question diagnosis: scored"))
        #expect(quick.output.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 2, "2 folds in --quick")
        try "class Classifier:\n    def fit(self, X, y):\n        raise RuntimeError('not yet')\n"
            .write(to: clone.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
        let broken = try await hub.forkboard(["evaluate", clone.path, "--quick"])
        #expect(broken.status != 0)
        #expect(broken.output.contains("Question diagnosis: training_error"))
        #expect(broken.output.contains("RuntimeError: not yet"))
        let committed = try await hub.forkboard(["evaluate", clone.path, "--commit", "HEAD", "--quick"])
        #expect(committed.status == 0, "the commit, not the broken working tree, is evaluated: \(committed.output)")
        let elsewhere = try await hub.forkboard(["evaluate", hub.root.path])
        #expect(elsewhere.status != 0)
        #expect(elsewhere.output.contains("has no .forkboard/challenge.yaml"))
    }
}
