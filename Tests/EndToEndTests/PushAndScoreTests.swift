import Foundation
import Testing

/// The whole path through the real interfaces: `forkboard` CLI, `forkboard serve`, the git
/// client over HTTP, the sandboxed evaluation, the API and the leaderboards.
@Suite("Push a submission with git and see it scored", .serialized)
struct PushAndScoreTests {
    @Test func pushedSubmissionIsScoredAndRanked() async throws {
        let hub = try await TestHub()
        let aliceToken = try await hub.addTeam("alice")
        let bobToken = try await hub.addTeam("bob")
        try await hub.start()

        // alice pushes the starting kit's logistic regression.
        let alice = try await hub.clone("alice", login: "alice", token: aliceToken)
        #expect(FileManager.default.fileExists(atPath: alice.appendingPathComponent("classifier.py").path))
        #expect(FileManager.default.fileExists(atPath: alice.appendingPathComponent("data/train.csv").path))
        #expect(try await CommandRunner.git(["tag", "submission-logreg-v2"], in: alice).status == 0)
        let push = try await CommandRunner.git(["push", "origin", "main", "submission-logreg-v2"], in: alice)
        #expect(push.status == 0, "\(push.output)")
        // (An idle worker may claim it before the push's answer is written.)
        #expect(
            push.output.contains(
                "remote: submission logreg-v2 accepted, queued (position 1); follow it at \(hub.baseURL)/api/v1/submissions/alice/logreg-v2")
                || push.output.contains(
                    "remote: submission logreg-v2 accepted, evaluation started; follow it at \(hub.baseURL)/api/v1/submissions/alice/logreg-v2"),
            "\(push.output)")
        let aliceCommit = try await CommandRunner.git(["rev-parse", "HEAD"], in: alice).output.trimmingCharacters(in: .whitespacesAndNewlines)

        // bob pushes a classifier that fails while training.
        let bob = try await hub.clone("bob", login: "bob", token: bobToken)
        try "class Classifier:\n    def fit(self, X, y):\n        raise ValueError('bob forgot to implement fit')\n"
            .write(to: bob.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
        #expect(try await CommandRunner.git(["commit", "-qam", "Broken"], in: bob).status == 0)
        #expect(try await CommandRunner.git(["tag", "submission-broken"], in: bob).status == 0)
        let bobPush = try await CommandRunner.git(["push", "origin", "main", "submission-broken"], in: bob)
        #expect(bobPush.output.contains("remote: submission broken accepted, queued (position"))

        let scored = try await hub.waitForFinalState(team: "alice", name: "logreg-v2")
        #expect(scored["state"] as? String == "scored")
        #expect(scored["pusher"] as? String == "alice")
        #expect(scored["commit"] as? String == aliceCommit)
        let evaluation = try #require((scored["evaluations"] as? [[String: Any]])?.first)
        let folds = try #require(evaluation["folds"] as? [[String: Any]])
        #expect(folds.count == 2)
        let bagged = try #require(evaluation["scores"] as? [String: [String: Double]])
        let validAUC = try #require(bagged["valid"]?["roc_auc"])
        #expect(validAUC > 0.95 && validAUC <= 1, "a scaled logistic regression separates this data well")
        #expect(try #require(bagged["test"]?["accuracy"]) > 0.9)
        #expect(try #require(bagged["valid"]?["log_loss"]) < 0.3)
        #expect(try #require(evaluation["train_seconds"] as? Double) > 0)

        let broken = try await hub.waitForFinalState(team: "bob", name: "broken")
        #expect(broken["state"] as? String == "training_error")
        #expect(broken["derives_from"] as? [String] == [], "alice submitted the unchanged starting kit: it is everyone's, not her lineage")
        let brokenEvaluation = try #require((broken["evaluations"] as? [[String: Any]])?.first)
        #expect((brokenEvaluation["log"] as? String)?.contains("bob forgot to implement fit") == true)

        // The API: the team sees its log; another team sees the scores but not the log.
        let own = try await hub.get("/api/v1/submissions/bob/broken", login: "bob", token: bobToken)
        #expect(own.status == 200)
        #expect(own.body.contains("bob forgot to implement fit"))
        let other = try await hub.get("/api/v1/submissions/bob/broken", login: "alice", token: aliceToken)
        #expect(other.status == 200)
        #expect(!other.body.contains("bob forgot to implement fit"))
        #expect(other.body.contains("training_error"))

        // Leaderboards: JSON API, HTML, CLI table and CSV.
        let api = try await hub.get("/api/v1/leaderboard", login: "bob", token: bobToken)
        #expect(api.status == 200)
        let leaderboard = try #require(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
        #expect(leaderboard["official_score_type"] as? String == "roc_auc")
        let rows = try #require(leaderboard["rows"] as? [[String: Any]])
        #expect(rows.map { $0["team"] as? String } == ["alice", "bob"])
        #expect(rows.first?["rank"] as? Int == 1)
        #expect(rows.last?["rank"] is NSNull || rows.last?["rank"] == nil, "an unscored submission is listed without a rank")
        let html = try await hub.get("/leaderboard", login: "alice", token: aliceToken)
        #expect(html.status == 200)
        #expect(html.body.contains("<a href=\"/submissions/alice/logreg-v2\">logreg-v2</a>"))
        let page = try await hub.get("/submissions/alice/logreg-v2", login: "alice", token: aliceToken)
        #expect(page.status == 200 && page.body.contains("valid (bagged)"), "the submission's page: \(page.body)")
        let lineage = try await hub.get("/lineage.svg", login: "alice", token: aliceToken)
        #expect(lineage.status == 200 && lineage.body.contains("<svg") && lineage.body.contains("/submissions/alice/logreg-v2"))
        let csv = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--format", "csv"])
        #expect(csv.status == 0)
        let csvLines = csv.output.split(separator: "\n")
        #expect(
            csvLines.first
                == "rank,team,submission,valid_roc_auc,valid_accuracy,valid_log_loss,test_roc_auc,contributivity_percent,historical_percent,own_code_percent,declared_away_percent,train_seconds,test_seconds,submitted_at,state"
        )
        #expect(csvLines.dropFirst().first?.hasPrefix("1,alice,logreg-v2,") == true)
        #expect(csvLines.last?.hasSuffix(",training_error") == true)
        let table = try await hub.forkboard(["leaderboard", "--hub", hub.home.path])
        #expect(table.output.contains("alice") && table.output.contains("scored"))
    }

    @Test func refusedPushesSayWhyAndRecordNothing() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let alice = try await hub.clone("alice", login: "alice", token: token)
        func push(_ arguments: String...) async throws -> CommandResult {
            try await CommandRunner.git(["push"] + arguments, in: alice)
        }

        // A submission name outside [A-Za-z0-9._-]{1,64}.
        #expect(try await CommandRunner.git(["tag", "submission-bad+name"], in: alice).status == 0)
        let badName = try await push("origin", "submission-bad+name")
        #expect(badName.status != 0)
        #expect(badName.output.contains("remote: refused: submission-bad+name: invalid submission name 'bad+name'"))
        #expect(try await CommandRunner.git(["tag", "submission-.hidden"], in: alice).status == 0)
        #expect(
            try await push("origin", "submission-.hidden").output.contains("remote: refused: submission-.hidden: invalid submission name '.hidden'"))
        let longName = "submission-" + String(repeating: "x", count: 65)
        #expect(try await CommandRunner.git(["tag", longName], in: alice).status == 0)
        #expect(try await push("origin", longName).output.contains("remote: refused: \(longName): invalid submission name"))

        // A commit without the file the question requires.
        #expect(try await CommandRunner.git(["rm", "-q", "classifier.py"], in: alice).status == 0)
        #expect(try await CommandRunner.git(["commit", "-qm", "No classifier"], in: alice).status == 0)
        #expect(try await CommandRunner.git(["tag", "submission-empty"], in: alice).status == 0)
        let missing = try await push("origin", "submission-empty")
        #expect(missing.status != 0)
        #expect(missing.output.contains("remote: refused: submission-empty: commit"))
        #expect(missing.output.contains("lacks the files a question requires: classifier.py (question diagnosis)"))
        #expect(try await hub.submissions().isEmpty, "refused pushes record nothing")
        let remoteTags = try await CommandRunner.git(["ls-remote", "--tags", "origin"], in: alice)
        #expect(!remoteTags.output.contains("submission-"), "refused tags do not reach the hub's repository")

        // An accepted submission, then attempts to move, delete and reuse its tag.
        #expect(try await CommandRunner.git(["tag", "submission-ok", "HEAD~1"], in: alice).status == 0)
        #expect(try await push("origin", "submission-ok").output.contains("remote: submission ok accepted"))
        #expect(try await CommandRunner.git(["tag", "-f", "submission-ok", "HEAD"], in: alice).status == 0)
        let moved = try await push("--force", "origin", "submission-ok")
        #expect(moved.status != 0)
        #expect(moved.output.contains("remote: refused: submission-ok: submission tags are immutable"))
        let deleted = try await push("origin", ":refs/tags/submission-ok")
        #expect(deleted.status != 0)
        #expect(deleted.output.contains("remote: refused: submission-ok: submission tags cannot be deleted"))
        // An organiser removed the tag from the team's repository: the name stays used.
        let teamRepository = hub.home.appendingPathComponent("repos/teams/alice.git").path
        #expect(try await CommandRunner.git(["--git-dir", teamRepository, "tag", "-d", "submission-ok"], in: hub.root).status == 0)
        let reused = try await push("--force", "origin", "submission-ok")
        #expect(reused.status != 0)
        #expect(reused.output.contains("remote: refused: submission-ok: your team already used the name 'ok'"))

        let recorded = try await hub.submissions()
        #expect(recorded.count == 1)
        #expect(recorded.first?["submission"] as? String == "ok")
    }

    @Test func authenticationAndTeamAccess() async throws {
        let hub = try await TestHub()
        let aliceToken = try await hub.addTeam("alice")
        let bobToken = try await hub.addTeam("bob")
        try await hub.start()

        let wrongToken = try await CommandRunner.git(
            ["clone", hub.cloneURL("alice", login: "alice", token: String(repeating: "0", count: 64)), "x"], in: hub.root)
        #expect(wrongToken.status != 0)
        #expect(wrongToken.output.contains("Authentication failed") || wrongToken.output.contains("401"))
        #expect(try await hub.get("/git/alice.git/info/refs?service=git-upload-pack").status == 401)
        #expect(try await hub.get("/api/v1/leaderboard").status == 401)
        #expect(try await hub.get("/api/v1/leaderboard", login: "alice", token: bobToken).status == 401)
        #expect(try await hub.get("/leaderboard", login: "alice", token: aliceToken).status == 200)

        // bob may not clone alice's repository, nor push to it.
        let otherTeam = try await CommandRunner.git(["clone", hub.cloneURL("alice", login: "bob", token: bobToken), "y"], in: hub.root)
        #expect(otherTeam.status != 0)
        #expect(otherTeam.output.contains("403"))
        let bob = try await hub.clone("bob", login: "bob", token: bobToken)
        #expect(try await CommandRunner.git(["tag", "submission-sneaky"], in: bob).status == 0)
        let sneaky = try await CommandRunner.git(["push", hub.cloneURL("alice", login: "bob", token: bobToken), "submission-sneaky"], in: bob)
        #expect(sneaky.status != 0)
        #expect(sneaky.output.contains("403"))
        #expect(try await hub.submissions().isEmpty)
    }

    @Test func serverRecordsTagsThatAPushLeftUnrecorded() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let alice = try await hub.clone("alice", login: "alice", token: token)
        hub.stop()
        // As if the hub died between updating the ref and running post-receive: the tag is in
        // the team's repository but nowhere else.
        #expect(try await CommandRunner.git(["tag", "submission-orphan"], in: alice).status == 0)
        let teamRepository = hub.home.appendingPathComponent("repos/teams/alice.git").path
        let direct = try await CommandRunner.git(
            ["--git-dir", teamRepository, "fetch", "--quiet", alice.path, "refs/tags/submission-orphan:refs/tags/submission-orphan"], in: hub.root)
        try #require(direct.status == 0, "\(direct.output)")
        #expect(try await hub.submissions().isEmpty)

        try await hub.start()
        let recorded = try await hub.waitForFinalState(team: "alice", name: "orphan")
        #expect(recorded["state"] as? String == "scored")
        #expect(recorded["pusher"] as? String == "unknown")
    }

    @Test func aPushThatDoesNotComeThroughTheServerIsCheckedAndRecordedByTheHooksThemselves() async throws {
        // An organiser's push on the hub's machine, straight to the team repository: no server
        // answers the hooks, which run `forkboard hook` (found on PATH).
        let hub = try await TestHub()
        _ = try await hub.addTeam("alice")
        let clone = hub.root.appendingPathComponent("organiser")
        let teamRepository = hub.home.appendingPathComponent("repos/teams/alice.git").path
        #expect(try await CommandRunner.git(["clone", "-q", teamRepository, clone.path], in: hub.root).status == 0)
        let forkboardDirectory = URL(fileURLWithPath: CommandRunner.forkboard).deletingLastPathComponent().path
        setenv("PATH", forkboardDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"), 1)
        _ = try await CommandRunner.git(["tag", "submission-.bad"], in: clone)
        let refused = try await CommandRunner.git(["push", "origin", "submission-.bad"], in: clone)
        #expect(refused.status != 0)
        #expect(refused.output.contains("remote: refused: submission-.bad: invalid submission name"), "\(refused.output)")
        let accepted = try await hub.submit("direct", in: clone)
        #expect(accepted.status == 0, "\(accepted.output)")
        #expect(accepted.output.contains("remote: submission direct accepted, queued (position 1)"), "\(accepted.output)")
        let recorded = try #require(try await hub.submissions().first)
        #expect(recorded["submission"] as? String == "direct")
        #expect((recorded["evaluations"] as? [[String: Any]])?.first?["state"] as? String == "queued")
    }
}
