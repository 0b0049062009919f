import Foundation
import Testing

/// Submissions in R: the wine-r template goes through the same git pushes, sandbox, limits,
/// scores and states as the Python one.
@Suite("An R challenge", .serialized)
struct RTemplateTests {
    @Test func anRSubmissionIsScoredAndABrokenOneEndsWithItsError() async throws {
        let hub = try await TestHub(template: "wine-r")
        let tokens = try await hub.addTeams(["alice", "bob"])
        try await hub.start()
        let alice = try await hub.clone("alice", login: "alice", token: tokens["alice"]!)
        #expect(FileManager.default.fileExists(atPath: alice.appendingPathComponent("classifier.R").path))
        #expect(try await hub.submit("forest", in: alice).status == 0)
        let scored = try await hub.waitForFinalState(team: "alice", name: "forest")
        #expect(scored["state"] as? String == "scored", "\(scored)")
        let evaluation = try #require((scored["evaluations"] as? [[String: Any]])?.first)
        let valid = try #require((evaluation["scores"] as? [String: [String: Double]])?["valid"])
        // The starting kit's random forest on the 133 public rows (2 folds here).
        #expect((valid["accuracy"] ?? 0) > 0.85, "\(valid)")
        #expect((valid["log_loss"] ?? 9) < 0.5, "\(valid)")
        #expect((evaluation["folds"] as? [[String: Any]])?.count == 2)
        // What it ran with: R and its packages, in the runtime and in the provenance.
        let runtime = try await hub.forkboard(["runtime", "show", "--hub", hub.home.path])
        #expect(runtime.output.contains("R: Rscript (R) version") && runtime.output.contains("randomForest=="), "\(runtime.output)")
        var provenance = try await hub.forkboard(["audit", "submission", "alice/forest", "--hub", hub.home.path])
        for _ in 0..<120 where !provenance.output.contains("R packages") {
            try await Task.sleep(for: .milliseconds(250))
            provenance = try await hub.forkboard(["audit", "submission", "alice/forest", "--hub", hub.home.path])
        }
        #expect(provenance.output.contains("Rscript (R) version") && provenance.output.contains("R packages"), "\(provenance.output)")

        // R's own error reaches the team's log.
        let bob = try await hub.clone("bob", login: "bob", token: tokens["bob"]!)
        let broken = """
            fit_classifier <- function(X, y) stop("no model for these wines yet")
            predict_classifier <- function(model, X) NULL

            """
        #expect(try await hub.submit("broken", files: ["classifier.R": broken], in: bob).status == 0)
        let failed = try await hub.waitForFinalState(team: "bob", name: "broken")
        #expect(failed["state"] as? String == "training_error", "\(failed)")
        let status = try await hub.get("/api/v1/submissions/bob/broken", login: "bob", token: tokens["bob"]!)
        #expect(status.body.contains("no model for these wines yet"), "\(status.body)")
    }
}

extension RTemplateTests {
    @Test func probabilitiesThatNameNoLabelAreAnErrorNotAScore() async throws {
        let hub = try await TestHub(template: "wine-r")
        let token = try await hub.addTeam("carol")
        try await hub.start()
        let clone = try await hub.clone("carol", login: "carol", token: token)
        let renamed = try String(contentsOf: clone.appendingPathComponent("classifier.R"), encoding: .utf8)
            .replacingOccurrences(of: "predict(model, X, type = \"prob\")", with: "unname(predict(model, X, type = \"prob\"))")
        #expect(try await hub.submit("unnamed", files: ["classifier.R": renamed], in: clone).status == 0)
        let failed = try await hub.waitForFinalState(team: "carol", name: "unnamed")
        #expect(failed["state"] as? String == "testing_error", "\(failed)")
        let status = try await hub.get("/api/v1/submissions/carol/unnamed", login: "carol", token: token)
        #expect(status.body.contains("name none of the labels (class_0, class_1, class_2)"), "\(status.body)")
    }
}
