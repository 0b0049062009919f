import Foundation
import Testing

/// The hash-chained audit log: what it records, and tampering found by `audit verify`.
@Suite("Audit log", .serialized)
struct AuditTests {
    /// Runs SQL on a copy of the hub's database (with Python's sqlite3, as someone editing the
    /// file directly would) and returns `forkboard audit verify`'s output for that copy.
    func verifyAfter(_ sql: String, hub: TestHub) async throws -> CommandResult {
        let copy = hub.root.appendingPathComponent("tampered-\(UUID().uuidString.prefix(6))")
        let result = try await CommandRunner.run("/bin/cp", ["-r", hub.home.path, copy.path])
        try #require(result.status == 0)
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"
        let edit = try await CommandRunner.run(CommandRunner.python, ["-c", script, copy.appendingPathComponent("forkboard.sqlite").path, sql])
        try #require(edit.status == 0, "\(edit.output)")
        return try await hub.forkboard(["audit", "verify", "--hub", copy.path])
    }

    @Test func recordsEventsAndFindsTampering() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        _ = try await hub.addTeam("bob")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("first", in: clone).status == 0)
        _ = try await CommandRunner.git(["tag", "submission-bad+name"], in: clone)
        #expect(try await CommandRunner.git(["push", "origin", "submission-bad+name"], in: clone).status != 0)
        #expect(try await hub.forkboard(["phase", "set", "collaborative", "--hub", hub.home.path]).status == 0)
        #expect(try await hub.forkboard(["reveal", "--hub", hub.home.path]).status == 0)
        #expect(try await hub.forkboard(["team", "revoke", "bob", "--hub", hub.home.path]).status == 0)
        hub.stop()

        let log = try await hub.forkboard(["audit", "log", "--hub", hub.home.path, "--format", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.output.utf8)) as? [[String: Any]])
        let actions = entries.compactMap { $0["action"] as? String }
        // The configuration applied by init and its runtime, then the test's (fewer folds).
        #expect(
            actions == [
                "challenge.applied", "runtime.recorded", "challenge.applied", "team.created", "token.created", "team.created", "token.created",
                "push", "submission.accepted", "push", "phase.override", "reveal", "token.revoked",
            ])
        let push = try #require(entries.first { $0["action"] as? String == "push" })
        #expect(push["actor"] as? String == "alice")
        let detail = try #require(push["detail"] as? [String: Any])
        #expect(detail["client"] as? String == "127.0.0.1")
        #expect((detail["refs"] as? [[String: Any]])?.contains { $0["ref"] as? String == "refs/tags/submission-first" } == true)
        let refused = try #require(entries.last { $0["action"] as? String == "push" }?["detail"] as? [String: Any])
        #expect(refused["outcome"] as? String == "refused")
        #expect((refused["reasons"] as? [String])?.first?.contains("invalid submission name") == true)
        let aliceOnly = try await hub.forkboard(["audit", "log", "--hub", hub.home.path, "--team", "alice", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(aliceOnly.output.utf8)) as? [[String: Any]])?.count == 5)

        let intact = try await hub.forkboard(["audit", "verify", "--hub", hub.home.path])
        #expect(intact.status == 0)
        #expect(intact.output.contains("The audit log is intact: 13 entries"))
        let altered = try await verifyAfter("UPDATE audit_log SET actor = 'mallory' WHERE id = 7;", hub: hub)
        #expect(altered.status != 0)
        #expect(altered.output.contains("entry 7: its content was altered"))
        let removed = try await verifyAfter("DELETE FROM audit_log WHERE id = 8;", hub: hub)
        #expect(removed.output.contains("entry 9: entries 8 to 8 were removed"))
        let removedLast = try await verifyAfter("DELETE FROM audit_log WHERE id = 13;", hub: hub)
        #expect(removedLast.status == 0, "removing the newest entries leaves a valid shorter chain (see docs)")
        let reordered = try await verifyAfter(
            """
            UPDATE audit_log SET id = -10 WHERE id = 10; UPDATE audit_log SET id = 10 WHERE id = 11; UPDATE audit_log SET id = 11 WHERE id = -10;
            """, hub: hub)
        #expect(reordered.output.contains("entry 10: does not follow the previous entry"))
        let rehashed = try await verifyAfter("UPDATE audit_log SET detail = '{}', hash = 'x' WHERE id = 5;", hub: hub)
        #expect(rehashed.output.contains("entry 5:"))
    }
}
