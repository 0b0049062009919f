import Foundation
import Testing

/// What the hub checked is what it records: one configuration in force for every process, the
/// instant and phase a push was checked with, refusals that name their real cause (and are all
/// audited), and names kept as they are.
@Suite("What the hub checked is what it records", .serialized)
struct CheckedIsRecordedTests {
    /// The organisers' JSON audit log.
    static func audit(_ hub: TestHub) async throws -> [[String: Any]] {
        let result = try await hub.forkboard(["audit", "log", "--hub", hub.home.path, "--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    }

    /// The official score type of the leaderboard, as the API and the CLI say.
    static func officialScoreTypes(_ hub: TestHub, login: String, token: String) async throws -> (api: String?, cli: String?) {
        let api = try await hub.get("/api/v1/leaderboard", login: login, token: token)
        let cli = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--format", "json"])
        func official(_ text: String) -> String? {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["official_score_type"] as? String
        }
        return (official(api.body), official(cli.output))
    }

    @Test func aChangedConfigurationTakesEffectEverywhereOnceApplied() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("first", in: clone).status == 0)
        _ = try await hub.waitForFinalState(team: "alice", name: "first")

        // The organisers change the score types while the server runs.
        let file = hub.home.appendingPathComponent("challenge.yaml")
        let changed = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "score_types: [roc_auc, accuracy, log_loss]", with: "score_types: [balanced_accuracy, roc_auc]")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let refused = try await hub.forkboard(["rescore", "--all", "--hub", hub.home.path])
        #expect(refused.status != 0)
        #expect(refused.output.contains("challenge.yaml changed since it was applied: run 'forkboard challenge reload' first"), "\(refused.output)")
        #expect(try await hub.forkboard(["challenge", "--hub", hub.home.path]).output.contains("challenge.yaml changed since"))
        var official = try await Self.officialScoreTypes(hub, login: "alice", token: token)
        #expect(official.api == "roc_auc" && official.cli == "roc_auc", "until it is applied, nothing changes: \(official)")

        let reload = try await hub.forkboard(["challenge", "reload", "--hub", hub.home.path])
        #expect(reload.status == 0, "\(reload.output)")
        let hash = try await CommandRunner.run("/usr/bin/sha256sum", [file.path]).output.split(separator: " ").first.map(String.init)
        #expect(reload.output.contains("Applied challenge.yaml (sha256 \(hash ?? "?"))"))
        let applied = try await Self.audit(hub).last { $0["action"] as? String == "challenge.applied" }
        #expect((applied?["detail"] as? [String: Any])?["sha256"] as? String == hash, "the audit log holds the applied file's hash")
        official = try await Self.officialScoreTypes(hub, login: "alice", token: token)
        #expect(official.api == "balanced_accuracy" && official.cli == "balanced_accuracy", "CLI and API agree: \(official)")

        #expect(try await hub.forkboard(["rescore", "--all", "--hub", hub.home.path]).status == 0)
        let deadline = Date().addingTimeInterval(240)
        var scores: [String: Double] = [:]
        while Date() < deadline {
            let first = try await hub.submissions().first
            if first?["state"] as? String == "scored" {
                scores = ((first?["evaluations"] as? [[String: Any]])?.first?["scores"] as? [String: [String: Double]])?["valid"] ?? [:]
                if scores["balanced_accuracy"] != nil { break }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(Set(scores.keys) == ["balanced_accuracy", "roc_auc"], "re-scored once, with the new score types: \(scores)")
        let board = try await hub.get("/api/v1/leaderboard", login: "alice", token: token)
        #expect(board.body.contains("\"rank\" : 1"), "ranked by the new official score")
    }

    @Test func aChangeOfTheQuestionsWaitsForRunningEvaluations() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("slow", files: ["classifier.py": DurableQueueTests.slowClassifier(seconds: 8)], in: clone).status == 0)
        try await DurableQueueTests().waitUntilRunning(hub, "slow")
        let file = hub.home.appendingPathComponent("challenge.yaml")
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "count: 2", with: "count: 3")
            .write(to: file, atomically: true, encoding: .utf8)
        let blocked = try await hub.forkboard(["challenge", "reload", "--hub", hub.home.path])
        #expect(blocked.status != 0)
        #expect(blocked.output.contains("1 evaluation(s) are running"), "\(blocked.output)")
        #expect(blocked.output.contains("forkboard cancel TEAM/NAME"))
        _ = try await hub.waitForFinalState(team: "alice", name: "slow")
        #expect(try await hub.forkboard(["challenge", "reload", "--hub", hub.home.path]).status == 0, "nothing runs any more")
    }

    @Test func aPushIsRecordedWithTheInstantAndPhaseItWasCheckedWith() async throws {
        let frozenIn: Double = 25
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "phases",
                with: TestHub.phases(
                    [("competitive", "closed", -60), ("final", "frozen", frozenIn)], end: 3600), in: text)
        }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let file = try String(contentsOf: hub.home.appendingPathComponent("challenge.yaml"), encoding: .utf8)
        let frozenStart = try Date.ISO8601FormatStyle().parse(
            try #require(file.split(separator: "\n").filter { $0.contains("start:") }.last?.split(separator: " ").last.map(String.init)))
        try #require(frozenStart.timeIntervalSinceNow > 3, "the push must be checked before the frozen phase")
        // A slow post-receive: the push is recorded after the frozen phase began.
        let hooks = hub.home.appendingPathComponent("hooks")
        try FileManager.default.moveItem(at: hooks.appendingPathComponent("post-receive"), to: hooks.appendingPathComponent("post-receive.real"))
        let delay = Int(frozenStart.timeIntervalSinceNow.rounded(.up)) + 2
        try "#!/bin/bash\nsleep \(delay)\nexec \"${0%/*}/post-receive.real\"\n"
            .write(to: hooks.appendingPathComponent("post-receive"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hooks.appendingPathComponent("post-receive").path)

        let checkedBefore = Date()
        let push = try await hub.submit("last-minute", in: clone)
        #expect(push.status == 0, "\(push.output)")
        #expect(Date() > frozenStart, "recorded after the frozen phase began")
        let recorded = try #require(try await hub.submissions().first)
        #expect(recorded["phase"] as? String == "competitive")
        let submittedAt = try Date.ISO8601FormatStyle().parse(try #require(recorded["submitted_at"] as? String))
        #expect(submittedAt < frozenStart && submittedAt >= checkedBefore.addingTimeInterval(-1), "the instant pre-receive decided with")
        let board = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--phase", "competitive", "--format", "json"])
        #expect(board.output.contains("\"submission\" : \"last-minute\""))
    }

    @Test func aShallowPushIsToldWhatToDoAndEveryRefusalIsAudited() async throws {
        let hub = try await TestHub()
        let tokens = ["alice": try await hub.addTeam("alice"), "bob": try await hub.addTeam("bob")]
        try await hub.start(workers: 0)
        #expect(try await hub.forkboard(["phase", "set", "collaborative", "--hub", hub.home.path]).status == 0)
        let alice = try await hub.clone("alice", login: "alice", token: tokens["alice"]!)
        #expect(
            try await hub.submit(
                "base",
                files: [
                    "classifier.py": "# alice's idea\n" + (try String(contentsOf: alice.appendingPathComponent("classifier.py"), encoding: .utf8))
                ], in: alice
            ).status == 0)

        // bob forks alice's submission from a shallow clone of open.git.
        let bob = hub.root.appendingPathComponent("participants/bob")
        #expect(
            try await CommandRunner.git(
                ["clone", "-q", "--depth", "1", "--branch", "alice/base", hub.cloneURL("open", login: "bob", token: tokens["bob"]!), bob.path],
                in: hub.root
            ).status == 0)
        _ = try await CommandRunner.git(["remote", "add", "team", hub.cloneURL("bob", login: "bob", token: tokens["bob"]!)], in: bob)
        try "# bob's change\n".write(to: bob.appendingPathComponent("features.py"), atomically: true, encoding: .utf8)
        _ = try await CommandRunner.git(["add", "features.py"], in: bob)
        _ = try await CommandRunner.git(["commit", "-qm", "bob's change"], in: bob)
        _ = try await CommandRunner.git(["tag", "submission-fork"], in: bob)
        let refusalsBefore = try await Self.audit(hub).filter { ($0["detail"] as? [String: Any])?["outcome"] as? String == "refused" }.count
        let shallow = try await CommandRunner.git(["push", "team", "submission-fork"], in: bob)
        #expect(shallow.status != 0)
        #expect(shallow.output.contains("this push comes from a shallow clone"), "\(shallow.output)")
        #expect(shallow.output.contains("git fetch --unshallow open"))
        #expect(!shallow.output.contains("the hub could not check this push"), "not the hub's fault")
        let refusals = try await Self.audit(hub).filter { ($0["detail"] as? [String: Any])?["outcome"] as? String == "refused" }
        #expect(refusals.count == refusalsBefore + 1, "the refused push is in the audit log")
        #expect(refusals.last?["team"] as? String == "bob")

        #expect(try await CommandRunner.git(["fetch", "-q", "--unshallow"], in: bob).status == 0)
        let whole = try await CommandRunner.git(["push", "team", "submission-fork"], in: bob)
        #expect(whole.status == 0, "\(whole.output)")
        let fork = try #require(try await hub.submissions().first { $0["submission"] as? String == "fork" })
        #expect(fork["derives_from"] as? [String] == ["alice/base"])

        // A push the web server refuses before git sees it is audited too.
        let intruder = try await CommandRunner.git(
            ["push", hub.cloneURL("alice", login: "bob", token: tokens["bob"]!), "HEAD:refs/heads/bob"], in: bob)
        #expect(intruder.status != 0)
        let last = try await Self.audit(hub).last { $0["action"] as? String == "push" }
        #expect(last?["actor"] as? String == "bob")
        #expect(((last?["detail"] as? [String: Any])?["reasons"] as? [String])?.first == "bob is not a member of team 'alice'")
    }

    @Test func namesAreKeptAsTheyAreOrRefused() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start(workers: 0)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        // Two branch names that are not UTF-8 and that a lossy log would show alike.
        let script =
            "git -c user.name=P -c user.email=p@example.invalid push origin HEAD:refs/heads/br$(printf '\\377') HEAD:refs/heads/br$(printf '\\376') 2>&1"
        let invalid = try await CommandRunner.run("/bin/bash", ["-c", script], in: clone)
        #expect(invalid.status != 0)
        #expect(invalid.output.contains("refs/heads/br\\xff: the name is not valid UTF-8"), "\(invalid.output)")
        #expect(invalid.output.contains("refs/heads/br\\xfe: the name is not valid UTF-8"))
        let pushed = try await Self.audit(hub).last { $0["action"] as? String == "push" }
        let refs = ((pushed?["detail"] as? [String: Any])?["refs"] as? [[String: Any]])?.compactMap { $0["ref"] as? String }
        #expect(refs == ["refs/heads/br\\xff", "refs/heads/br\\xfe"], "the audit log tells them apart: \(refs ?? [])")

        // Names that differ only by case.
        #expect(try await hub.submit("Model", in: clone).status == 0)
        let collision = try await hub.submit("model", in: clone)
        #expect(collision.status != 0)
        #expect(collision.output.contains("'model' differs only by case from your submission 'Model'"), "\(collision.output)")
    }
}
