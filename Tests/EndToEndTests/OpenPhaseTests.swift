import Foundation
import Testing

/// Closed-phase secrecy and the open-phase commons, with the real git client: fork, merge,
/// fork of a fork and cherry-pick, and the lineage each leaves.
@Suite("Closed-phase secrecy and the open-phase commons", .serialized)
struct OpenPhaseTests {
    func head(_ clone: URL) async throws -> String {
        try await CommandRunner.git(["rev-parse", "HEAD"], in: clone).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func submission(_ hub: TestHub, _ team: String, _ name: String) async throws -> [String: Any] {
        try #require(try await hub.submissions().first { $0["team"] as? String == team && $0["submission"] as? String == name })
    }

    @Test func secrecyThenForkMergeAndCherryPickThroughOpenGit() async throws {
        let hub = try await TestHub()
        let tokens = try await hub.addTeams(["alice", "bob", "carol", "dave"])
        try await hub.start()
        let alice = try await hub.clone("alice", login: "alice", token: tokens["alice"]!)
        let bob = try await hub.clone("bob", login: "bob", token: tokens["bob"]!)
        #expect(
            try await hub.submit(
                "logreg",
                files: ["classifier.py": try String(contentsOf: alice.appendingPathComponent("classifier.py"), encoding: .utf8) + "# alice's idea\n"],
                in: alice
            ).status == 0)
        let logreg = try await head(alice)
        _ = try await hub.waitForFinalState(team: "alice", name: "logreg")

        // Closed phase: nothing of alice's is reachable by bob.
        let byID = try await CommandRunner.git(["fetch", "origin", logreg], in: bob)
        #expect(byID.status != 0, "bob cannot obtain alice's commit by its id through his own repository")
        #expect(try await CommandRunner.git(["cat-file", "-e", logreg], in: bob).status != 0)
        let openURL = hub.cloneURL("open", login: "bob", token: tokens["bob"]!)
        let closed = try await CommandRunner.git(["ls-remote", openURL], in: bob)
        #expect(closed.status != 0)
        #expect(closed.output.contains("403"))

        // Participants see validation and public test scores only, until the reveal.
        let before = try await hub.get("/api/v1/submissions/alice/logreg", login: "bob", token: tokens["bob"]!)
        #expect(before.body.contains("\"public\"") && before.body.contains("\"valid\""))
        #expect(!before.body.contains("\"private\"") && !before.body.contains("\"test\""))
        let organiser = try await submission(hub, "alice", "logreg")
        let organiserScores = try #require((organiser["evaluations"] as? [[String: Any]])?.first?["scores"] as? [String: Any])
        #expect(Set(organiserScores.keys) == ["valid", "test", "public", "private"])

        // The open phase: everything is published in open.git.
        #expect(try await hub.forkboard(["phase", "set", "collaborative", "--hub", hub.home.path]).status == 0)
        #expect(try await CommandRunner.git(["push", "origin", "HEAD:refs/heads/secret-idea"], in: bob).status == 0, "an unpublished branch")
        let listed = try await CommandRunner.git(["ls-remote", openURL], in: bob)
        #expect(listed.output.contains("\(logreg)\trefs/heads/alice/logreg"))
        #expect(!listed.output.contains("secret-idea"))

        // Fork: bob builds on alice's submission.
        _ = try await CommandRunner.git(["remote", "add", "open", openURL], in: bob)
        #expect(try await CommandRunner.git(["fetch", "-q", "open"], in: bob).status == 0)
        #expect(try await CommandRunner.git(["checkout", "-q", "-b", "better", "open/alice/logreg"], in: bob).status == 0)
        #expect(try await hub.submit("better", files: ["features.py": "SCALE = True\n"], in: bob).status == 0)
        let better = try await head(bob)
        let forked = try await submission(hub, "bob", "better")
        #expect(forked["parents"] as? [String] == [logreg])
        #expect(forked["derives_from"] as? [String] == ["alice/logreg"])
        #expect(forked["phase"] as? String == "collaborative")

        // alice's second idea, from the starting kit.
        _ = try await CommandRunner.git(["checkout", "-q", "-b", "forest", "HEAD~1"], in: alice)
        #expect(
            try await hub.submit(
                "forest",
                files: [
                    "classifier.py": "# a forest instead\n" + (try String(contentsOf: alice.appendingPathComponent("classifier.py"), encoding: .utf8))
                ], in: alice, pushArguments: ["--force"]
            ).status == 0)
        let forest = try await head(alice)

        // Fork of a fork, then a merge of two teams' submissions.
        let carol = try await hub.clone("carol", login: "carol", token: tokens["carol"]!)
        _ = try await CommandRunner.git(["remote", "add", "open", hub.cloneURL("open", login: "carol", token: tokens["carol"]!)], in: carol)
        #expect(try await CommandRunner.git(["fetch", "-q", "open"], in: carol).status == 0)
        #expect(try await CommandRunner.git(["checkout", "-q", "-b", "mine", "open/bob/better"], in: carol).status == 0)
        #expect(try await hub.submit("fork-of-fork", files: ["features.py": "SCALE = False\n"], in: carol).status == 0)
        #expect(try await submission(hub, "carol", "fork-of-fork")["derives_from"] as? [String] == ["alice/logreg", "bob/better"])
        #expect(try await CommandRunner.git(["checkout", "-q", "-b", "merged", "open/bob/better"], in: carol).status == 0)
        let merge = try await CommandRunner.git(["merge", "-q", "--no-edit", "open/alice/forest"], in: carol)
        #expect(merge.status == 0, "\(merge.output)")
        _ = try await CommandRunner.git(["tag", "submission-merged"], in: carol)
        #expect(try await CommandRunner.git(["push", "origin", "HEAD", "submission-merged"], in: carol).status == 0)
        let merged = try await submission(hub, "carol", "merged")
        #expect(merged["parents"] as? [String] == [better, forest])
        #expect(merged["derives_from"] as? [String] == ["alice/logreg", "bob/better", "alice/forest"])

        // Cherry-pick: the change is copied, the lineage is not.
        let dave = try await hub.clone("dave", login: "dave", token: tokens["dave"]!)
        _ = try await CommandRunner.git(["remote", "add", "open", hub.cloneURL("open", login: "dave", token: tokens["dave"]!)], in: dave)
        #expect(try await CommandRunner.git(["fetch", "-q", "open"], in: dave).status == 0)
        // (As dave: the same author, committer and second would make the very same commit.)
        #expect(
            try await CommandRunner.git(["-c", "user.name=Dave", "-c", "user.email=dave@example.invalid", "cherry-pick", forest], in: dave).status
                == 0)
        _ = try await CommandRunner.git(["tag", "submission-picked"], in: dave)
        #expect(try await CommandRunner.git(["push", "origin", "HEAD", "submission-picked"], in: dave).status == 0)
        let picked = try await submission(hub, "dave", "picked")
        #expect(picked["derives_from"] as? [String] == [], "a cherry-pick shares no history with alice/forest")
        #expect((picked["parents"] as? [String])?.contains(forest) == false)

        // open.git is read-only and shows new submissions at once.
        #expect(try await CommandRunner.git(["push", "open", "HEAD:refs/heads/dave/sneaky"], in: dave).output.contains("403"))
        #expect(try await CommandRunner.git(["ls-remote", "open"], in: dave).output.contains("refs/heads/dave/picked"))

        // Leaderboards by phase and per team, and the reveal.
        for name in ["better", "forest", "fork-of-fork", "merged", "picked"] {
            let team = ["better": "bob", "forest": "alice", "fork-of-fork": "carol", "merged": "carol", "picked": "dave"][name]!
            _ = try await hub.waitForFinalState(team: team, name: name)
        }
        let competitive = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--phase", "competitive", "--format", "csv"])
        #expect(competitive.output.split(separator: "\n").count == 2, "only alice/logreg was pushed in the closed phase")
        let best = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--best-per-team", "--format", "json"])
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(best.output.utf8)) as? [String: Any])?["rows"] as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(Set(rows.compactMap { $0["team"] as? String }) == ["alice", "bob", "carol", "dave"])
        #expect(try await hub.forkboard(["reveal", "--hub", hub.home.path]).status == 0)
        let after = try await hub.get("/api/v1/submissions/alice/logreg", login: "bob", token: tokens["bob"]!)
        #expect(after.body.contains("\"private\""))
    }
}
