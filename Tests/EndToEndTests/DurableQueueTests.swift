import Foundation
import Testing

/// The queue survives a killed server, cancellations work on running sandboxes, and queue
/// positions are reported to the pusher.
@Suite("Durable queue", .serialized)
struct DurableQueueTests {
    static func slowClassifier(seconds: Int) -> String {
        """
        import time
        from sklearn.linear_model import LogisticRegression

        class Classifier:
            def fit(self, X, y):
                time.sleep(\(seconds))
                self.model = LogisticRegression(max_iter=1000).fit(X, y)
                self.classes_ = self.model.classes_
                return self

            def predict_proba(self, X):
                return self.model.predict_proba(X)

        """
    }

    func pushSubmission(_ name: String, classifier: String, in clone: URL) async throws -> CommandResult {
        try classifier.write(to: clone.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
        _ = try await CommandRunner.git(["commit", "-qam", name, "--allow-empty"], in: clone)
        _ = try await CommandRunner.git(["tag", "submission-\(name)"], in: clone)
        return try await CommandRunner.git(["push", "origin", "main", "submission-\(name)"], in: clone)
    }

    /// Waits until `name` is running (training or testing).
    func waitUntilRunning(_ hub: TestHub, _ name: String) async throws {
        let deadline = Date().addingTimeInterval(180)
        var last: [String: Any]?
        while Date() < deadline {
            last = try await hub.submissions().first(where: { $0["submission"] as? String == name })
            let state = last?["state"] as? String
            if state == "training" || state == "testing" { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw TestHubError("\(name) never started running: \(last ?? [:])\n\(hub.logs())")
    }

    func sandboxesOf(_ hub: TestHub) async throws -> String {
        try await CommandRunner.run("/usr/bin/pgrep", ["-af", "bwrap.*\(hub.root.lastPathComponent)"]).output
    }

    @Test func killedServerRequeuesTheEvaluationAndScoresItOnce() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        // 30 s per fold: on a loaded machine this test's polling may be scheduled late.
        #expect(try await pushSubmission("slow", classifier: Self.slowClassifier(seconds: 30), in: clone).status == 0)
        try await waitUntilRunning(hub, "slow")
        hub.stop(kill: true)
        // (At once here; a loaded machine may take a few seconds to end the processes.)
        var sandboxes = try await sandboxesOf(hub)
        for _ in 0..<60 where !sandboxes.isEmpty {
            try await Task.sleep(for: .milliseconds(500))
            sandboxes = try await sandboxesOf(hub)
        }
        #expect(sandboxes.isEmpty, "the sandbox dies with the killed server: \(sandboxes)")
        let stateAfterKill = try await hub.submissions().first?["state"] as? String
        #expect(stateAfterKill == "training" || stateAfterKill == "testing", "the database still says it runs")

        try await hub.start()
        let scored = try await hub.waitForFinalState(team: "alice", name: "slow")
        #expect(scored["state"] as? String == "scored")
        let evaluation = try #require((scored["evaluations"] as? [[String: Any]])?.first)
        #expect(evaluation["attempts"] as? Int == 2)
        let folds = try #require(evaluation["folds"] as? [[String: Any]])
        #expect(folds.map { $0["fold"] as? Int } == [0, 1], "each fold scored once")
        for fold in folds {
            let scores = try #require(fold["scores"] as? [String: [String: Double]])
            #expect(scores["valid"]?.count == 3 && scores["test"]?.count == 3)
        }
    }

    @Test func cancelStopsARunningEvaluationAndQueuePositionsAreReported() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await pushSubmission("endless", classifier: Self.slowClassifier(seconds: 600), in: clone).status == 0)
        try await waitUntilRunning(hub, "endless")
        let kit = try String(contentsOf: hub.home.appendingPathComponent("starting-kit/classifier.py"), encoding: .utf8)
        let second = try await pushSubmission("second", classifier: kit + "\nVARIANT = \"second\"\n", in: clone)
        #expect(second.output.contains("submission second accepted, queued (position 1)"))
        let third = try await pushSubmission("third", classifier: kit + "\nVARIANT = \"third\"\n", in: clone)
        #expect(third.output.contains("submission third accepted, queued (position 2)"))
        let queued = try await hub.get("/api/v1/submissions/alice/third", login: "alice", token: token)
        #expect(queued.body.contains("\"queue_position\" : 2"))

        let cancel = try await hub.forkboard(["cancel", "alice/endless", "--hub", hub.home.path])
        #expect(cancel.status == 0)
        #expect(cancel.output.contains("alice/endless: cancelled 1 evaluation(s)"))
        let cancelled = try await hub.waitForFinalState(team: "alice", name: "endless", timeout: 30)
        #expect(cancelled["state"] as? String == "cancelled")
        #expect(try await hub.waitForFinalState(team: "alice", name: "second")["state"] as? String == "scored")
        #expect(try await hub.waitForFinalState(team: "alice", name: "third")["state"] as? String == "scored")
        #expect(try await sandboxesOf(hub).isEmpty, "the cancelled sandbox was stopped")
        #expect(try await hub.forkboard(["cancel", "alice/nothing", "--hub", hub.home.path]).output.contains("no submission 'alice/nothing'"))

        // Resources measured by the hub, per submission, per team and in total.
        let resources = try await hub.forkboard(["resources", "--hub", hub.home.path, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(resources.output.utf8)) as? [String: Any])
        let total = try #require(report["total"] as? [String: Any])
        #expect(total["submissions"] as? Int == 3)
        #expect((total["cpu_seconds"] as? Double ?? 0) > 0)
        #expect((total["peak_memory_bytes"] as? Int ?? 0) > 10 << 20, "a python process with scikit-learn holds more than 10 MiB")
        #expect((report["cpu_hours_per_submission"] as? Double ?? 0) > 0)
        let table = try await hub.forkboard(["resources", "--hub", hub.home.path, "--participants", "200", "--submissions-per-participant", "30"])
        #expect(table.output.contains("Projection: 200 participants x 30 submissions"))
    }

    @Test func hubFailuresAreRetriedAndDoNotCountAgainstTheTeam() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "quotas", with: "quotas:\n  minimum_interval_seconds: 0\n  maximum_per_day: 0\n  maximum_total: 1\n  count_own_errors: true", in: text
            )
        }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        // The hub loses its private data: every attempt fails through the hub's fault.
        let privateTest = hub.home.appendingPathComponent("data/private/test.csv")
        let saved = hub.root.appendingPathComponent("test.csv.saved")
        try FileManager.default.moveItem(at: privateTest, to: saved)
        #expect(try await hub.submit("unlucky", in: clone).status == 0)
        let failed = try await hub.waitForFinalState(team: "alice", name: "unlucky")
        let evaluation = try #require((failed["evaluations"] as? [[String: Any]])?.first)
        #expect(failed["state"] as? String == "checking_error")
        #expect(evaluation["attempts"] as? Int == 3, "the first run and two retries")
        #expect((evaluation["log"] as? String)?.contains("does not count against your team") == true)

        // It does not use the team's only submission; and once repaired, a re-score scores it.
        try FileManager.default.moveItem(at: saved, to: privateTest)
        #expect(try await hub.submit("second", in: clone).status == 0, "a failure of the hub gives the quota back")
        #expect(try await hub.forkboard(["rescore", "alice/unlucky", "--hub", hub.home.path]).status == 0)
        #expect(try await hub.waitForFinalState(team: "alice", name: "unlucky")["state"] as? String == "scored")
    }
}
