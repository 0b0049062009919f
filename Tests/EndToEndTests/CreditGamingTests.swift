import Foundation
import Testing

/// A dishonest participant's attempts on credit, through real git pushes to a running hub:
/// a trailer that would take the kit's credit and one naming no submission (both reported,
/// neither paid), the same tree pushed again (refused), an honest trailer honoured on the
/// running server and written to the notes, and a fork's code pushed again without its
/// lineage (reported as reuse).
@Suite("Credit that cannot be gamed, through git", .serialized)
struct CreditGamingTests {
    func git(_ arguments: [String], in clone: URL) async throws -> CommandResult {
        try await CommandRunner.git(arguments, in: clone)
    }

    /// Clones `team`'s repository, checks out alice's published submission from open.git as
    /// branch `work`, applies `edit` to classifier.py, commits with `message` and tags
    /// `submission-<name>`; returns the clone.
    func fork(_ hub: TestHub, team: String, token: String, name: String, message: String, edit: (String) -> String) async throws -> URL {
        let clone = try await hub.clone(team, login: team, token: token)
        _ = try await git(["remote", "add", "open", hub.cloneURL("open", login: team, token: token)], in: clone)
        #expect(try await git(["fetch", "-q", "open"], in: clone).status == 0)
        #expect(try await git(["checkout", "-q", "-b", "work", "open/alice/logreg"], in: clone).status == 0)
        let file = clone.appendingPathComponent("classifier.py")
        try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        #expect(try await git(["commit", "-qam", message], in: clone).status == 0)
        #expect(try await git(["tag", "submission-\(name)"], in: clone).status == 0)
        return clone
    }

    @Test func gamingAttemptsAreReportedRefusedOrPayNothing() async throws {
        let (hub, tokens, _) = try await CreditEndToEndTests.collaborativeHubWithAlicesSubmission()
        _ = try await hub.waitForFinalState(team: "alice", name: "logreg")

        // bob's fork says the kit gets 0% and credits a submission that does not exist.
        let bob = try await fork(
            hub, team: "bob", token: tokens["bob"]!, name: "tuned",
            message: "Tune C\n\nCredit: organisers/starting-kit 0%\nCredit: nobody/x 5%\n"
        ) {
            $0.replacingOccurrences(of: "C=3.0", with: "C=0.5")
        }
        let pushed = try await git(["push", "origin", "HEAD", "submission-tuned"], in: bob)
        #expect(pushed.status == 0, "\(pushed.output)")
        #expect(
            pushed.output.contains("remote: warning: submission tuned: ignored 'Credit: nobody/x 5%': no earlier submission is named nobody/x"),
            "\(pushed.output)")
        // The same code again with a new comment, under another name: refused, nothing reserved.
        let file = bob.appendingPathComponent("classifier.py")
        try ("# One more draw, please.\n" + String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        #expect(try await git(["commit", "-qam", "Another draw"], in: bob).status == 0)
        #expect(try await git(["tag", "submission-tuned-again"], in: bob).status == 0)
        let again = try await git(["push", "origin", "submission-tuned-again"], in: bob)
        #expect(again.status != 0)
        #expect(again.output.contains("remote: refused: submission-tuned-again: its code is that of your submission 'tuned'"), "\(again.output)")

        // carol's honest fork gives alice all of her own share, on the running server.
        let carol = try await fork(hub, team: "carol", token: tokens["carol"]!, name: "fork", message: "Carol's fork\n\nCredit: alice/logreg 100%\n")
        {
            $0.replacingOccurrences(of: "C=3.0", with: "C=1.5")
        }
        let carolPush = try await git(["push", "origin", "HEAD", "submission-fork"], in: carol)
        #expect(carolPush.status == 0 && !carolPush.output.contains("warning:"), "\(carolPush.output)")

        // bob pushes his fork's code again as a new root commit, with an improvement, and a
        // copy of alice's helper where the hub's harness copy lives.
        #expect(try await git(["checkout", "-q", "--orphan", "fresh"], in: bob).status == 0)
        try (try String(contentsOf: bob.appendingPathComponent("classifier.py"), encoding: .utf8) + "\n\nTHRESHOLD = 0.5\n")
            .write(to: bob.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
        try CreditEndToEndTests.aliceHelper.write(to: bob.appendingPathComponent(".forkboard/helpers.py"), atomically: true, encoding: .utf8)
        #expect(try await git(["add", "-A"], in: bob).status == 0)
        #expect(try await git(["commit", "-qm", "All mine"], in: bob).status == 0)
        #expect(try await git(["tag", "submission-orphan"], in: bob).status == 0)
        #expect(try await git(["push", "origin", "HEAD", "submission-orphan"], in: bob).status == 0)
        for (team, name) in [("bob", "tuned"), ("carol", "fork"), ("bob", "orphan")] {
            #expect(try await hub.waitForFinalState(team: team, name: name)["state"] as? String == "scored")
        }

        // Credit, once the server computed it.
        var byKey: [String: [String: Any]] = [:]
        for _ in 0..<120 {
            byKey = Dictionary(uniqueKeysWithValues: try await hub.submissions().map { ("\($0["team"]!)/\($0["submission"]!)", $0) })
            if (byKey["carol/fork"]?["declared_credits"] as? [String: Double])?.isEmpty == false { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let tuned = try #require(byKey["bob/tuned"])
        let measured = try #require(tuned["measured_credits"] as? [String: Double])
        let credits = try #require(tuned["credits"] as? [String: Double])
        #expect((measured["bob/tuned"] ?? 1) < 0.15, "one changed line: \(measured)")
        #expect((measured["alice/logreg"] ?? 0) > 0.3 && (measured["organisers/starting-kit"] ?? 0) > 0.1, "\(measured)")
        for (key, value) in measured {
            #expect(abs((credits[key] ?? -1) - value) < 1e-9, "a 0% trailer changes nothing: \(key)")
        }
        let carolView = try #require(byKey["carol/fork"])
        #expect(carolView["declared_credits"] as? [String: Double] == ["alice/logreg": 1])
        let carolCredits = try #require(carolView["credits"] as? [String: Double])
        let carolMeasured = try #require(carolView["measured_credits"] as? [String: Double])
        #expect(abs(carolCredits["carol/fork"] ?? -1) < 1e-12)
        #expect(abs((carolCredits["alice/logreg"] ?? 0) - (carolMeasured["alice/logreg"] ?? 0) - (carolMeasured["carol/fork"] ?? 0)) < 1e-9)
        #expect(
            abs((carolCredits["organisers/starting-kit"] ?? 0) - (carolMeasured["organisers/starting-kit"] ?? -1)) < 1e-9, "the kit keeps its floor")

        // The note of carol's commit was written again with her credit.
        let commit = try #require(carolView["commit"] as? String)
        let note = try await git(
            ["--git-dir", hub.home.appendingPathComponent("repos/ledger.git").path, "notes", "--ref", "forkboard", "show", commit],
            in: hub.root)
        let noted = try JSONSerialization.jsonObject(with: Data(note.output.utf8)) as? [[String: Any]]
        #expect(noted?.first?["declared_credits"] as? [String: Double] == ["alice/logreg": 1], "\(note.output)")

        // The leaderboard shows what carol gave away; the audit log keeps bob's ignored trailer.
        let board = try JSONSerialization.jsonObject(
            with: Data(try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--format", "json"]).output.utf8))
        let rows = (board as? [String: Any])?["rows"] as? [[String: Any]] ?? []
        let carolRow = rows.first { $0["team"] as? String == "carol" }
        #expect(carolRow?["declared_away"] as? Double == 1, "\(carolRow ?? [:])")
        let page = try await hub.get("/leaderboard", login: "carol", token: tokens["carol"]!)
        #expect(page.body.contains("Declared away</button>") && page.body.contains("<td class=\"number\">100%</td>"), "\(page.body)")
        let provenance = try await hub.forkboard(["audit", "submission", "carol/fork", "--hub", hub.home.path]).output
        #expect(provenance.contains("declared (given by Credit: trailers, of its own share): alice/logreg 100"), "\(provenance)")
        let audit = try await hub.forkboard(["audit", "log", "--hub", hub.home.path, "--format", "json"]).output
        #expect(audit.contains("credit.trailer.ignored") && (audit.contains("nobody\\/x") || audit.contains("nobody/x")), "\(audit)")

        // The orphan holds alice's code without her lineage: reported, against alice.
        let reuse = try await hub.forkboard(["audit", "reuse", "--hub", hub.home.path, "--min-lines", "3", "--format", "json"])
        let matches = try #require(try JSONSerialization.jsonObject(with: Data(reuse.output.utf8)) as? [[String: Any]], "\(reuse.output)")
        #expect(
            matches.map { "\($0["later"]!):\($0["laterFile"]!) <- \($0["earlier"]!)" }
                == ["bob/orphan:.forkboard/helpers.py <- alice/logreg", "bob/orphan:classifier.py <- alice/logreg"], "\(matches)")
    }
}
