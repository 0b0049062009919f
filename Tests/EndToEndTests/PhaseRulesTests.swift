import Foundation
import Testing

/// The rules a push must satisfy: phase, quotas, sizes and paths, each refused with one clear
/// `remote:` line; and what a push may say of itself (a description).
@Suite("Rules of phases, quotas and sizes", .serialized)
struct PhaseRulesTests {
    @Test func scheduleIsEnforcedToTheSecondWhateverTheTimeZone() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "phases",
                with: TestHub.phases(
                    [("competitive", "closed", 45), ("collaborative", "open", 3600), ("final", "frozen", 7200)], end: 10_800), in: text)
        }
        let token = try await hub.addTeam("alice")
        try await hub.start(timeZone: "Pacific/Kiritimati")
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let early = try await hub.submit("early", in: clone)
        #expect(early.status != 0)
        #expect(early.output.contains("remote: refused: submission-early: the challenge is not open yet: phase 'competitive' starts at"))
        let phase = try await hub.forkboard(["phase", "--hub", hub.home.path])
        #expect(phase.output.contains("Phase: none yet; 'competitive' starts at"))

        // The start instant, to the second: wait until it has passed.
        let start = try #require(
            hub.home.path.isEmpty
                ? nil
                : try String(contentsOf: hub.home.appendingPathComponent("challenge.yaml"), encoding: .utf8)
                    .split(separator: "\n").first { $0.contains("start:") }?.split(separator: " ").last.map(String.init))
        let startDate = try Date.ISO8601FormatStyle().parse(start)
        try await Task.sleep(for: .seconds(max(0, startDate.timeIntervalSinceNow) + 1.2))
        let onTime = try await CommandRunner.git(["push", "origin", "HEAD", "submission-early"], in: clone)
        #expect(onTime.status == 0, "\(onTime.output)")
        #expect(onTime.output.contains("remote: submission early accepted"))

        // An override, recorded with who and when, then back to the schedule.
        #expect(try await hub.forkboard(["phase", "set", "final", "--hub", hub.home.path]).status == 0)
        let overridden = try await hub.forkboard(["phase", "--hub", hub.home.path])
        #expect(overridden.output.contains("Phase: final (frozen)"))
        #expect(overridden.output.contains("Overridden by"))
        let since = overridden.output.split(separator: "\n").first { $0.hasPrefix("Phase: final") }?.split(separator: " ").last.map(String.init)
        let sinceDate = try Date.ISO8601FormatStyle().parse(try #require(since))
        #expect(sinceDate <= Date(), "in force since it was set, not since its scheduled start: \(overridden.output)")
        let frozen = try await hub.submit("frozen", in: clone)
        #expect(frozen.output.contains("remote: refused: submission-frozen: phase 'final' is frozen: no new submissions"))
        #expect(try await hub.forkboard(["phase", "set", "nonsense", "--hub", hub.home.path]).output.contains("no phase 'nonsense'"))
        #expect(try await hub.forkboard(["phase", "clear", "--hub", hub.home.path]).status == 0)
        #expect(try await CommandRunner.git(["push", "origin", "HEAD", "submission-frozen"], in: clone).status == 0)
        let recorded = try await hub.submissions()
        #expect(recorded.map { $0["phase"] as? String } == ["competitive", "competitive"])
    }

    @Test func endedChallengeRefuses() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection("phases", with: TestHub.phases([("competitive", "closed", -7200)], end: -3600), in: text)
        }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("late", in: clone).output.contains("remote: refused: submission-late: the challenge ended at"))
    }

    @Test func quotasSayWhenTheNextSubmissionIsAllowed() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "quotas", with: "quotas:\n  minimum_interval_seconds: 3600\n  maximum_per_day: 0\n  maximum_total: 0\n  count_own_errors: true",
                in: text)
        }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("first", in: clone).status == 0)
        let submittedAt = try #require(try await hub.submissions().first?["submitted_at"] as? String)
        let next = try Date.ISO8601FormatStyle().parse(submittedAt).addingTimeInterval(3600)
        let second = try await hub.submit("second", in: clone)
        #expect(second.status != 0)
        #expect(
            second.output.contains(
                "remote: refused: submission-second: quota: one submission every 3600 s; your next is allowed at \(next.formatted(Date.ISO8601FormatStyle()))"
            ))
        // Deleting the team's branch gives nothing back and deletes no submission.
        #expect(try await CommandRunner.git(["push", "origin", "HEAD:refs/heads/work"], in: clone).status == 0)
        #expect(try await CommandRunner.git(["push", "origin", ":work"], in: clone).status == 0)
        #expect(try await hub.submissions().count == 1)
        #expect(try await hub.submit("third", in: clone).output.contains("quota: one submission every 3600 s"))
    }

    @Test func dailyAndTotalQuotasCountCancelledButNotOwnErrorsWhenConfigured() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "quotas", with: "quotas:\n  minimum_interval_seconds: 0\n  maximum_per_day: 2\n  maximum_total: 0\n  count_own_errors: false",
                in: text)
        }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let broken = "class Classifier:\n    def fit(self, X, y):\n        raise ValueError('broken')\n"
        #expect(try await hub.submit("broken", files: ["classifier.py": broken], in: clone).status == 0)
        #expect(try await hub.waitForFinalState(team: "alice", name: "broken")["state"] as? String == "training_error")
        let kit = try String(contentsOf: hub.home.appendingPathComponent("starting-kit/classifier.py"), encoding: .utf8)
        #expect(try await hub.submit("one", files: ["classifier.py": kit], in: clone).status == 0, "the team's own error does not count")
        #expect(try await hub.forkboard(["cancel", "alice/one", "--hub", hub.home.path]).status == 0)
        #expect(try await hub.submit("two", files: ["classifier.py": kit + "\n"], in: clone).status == 0)
        let third = try await hub.submit("three", files: ["classifier.py": kit + "\n\n"], in: clone)
        #expect(third.status != 0, "the cancelled submission still counts")
        #expect(third.output.contains("remote: refused: submission-three: quota: at most 2 submissions per UTC day; your next is allowed at"))
        #expect(third.output.contains("T00:00:00Z"))
    }

    @Test func sizesAndPathsAreLimited() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "push_limits", with: "push_limits:\n  largest_blob_bytes: 150000\n  push_bytes: 400000\n  files: 30\n  tree_bytes: 500000", in: text)
        }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        func random(_ bytes: Int) -> String {
            var generator = SystemRandomNumberGenerator()
            return String((0..<bytes).map { _ in Character(UnicodeScalar(UInt8.random(in: 33...126, using: &generator))) })
        }
        let big = try await hub.submit("big-file", files: ["weights.txt": random(200_000)], in: clone)
        #expect(big.status != 0)
        #expect(big.output.contains("weights.txt in commit"))
        #expect(big.output.contains("bytes, more than the limit of 150000 bytes per file"))
        _ = try await CommandRunner.git(["reset", "-q", "--hard", "origin/main"], in: clone)

        let many = Dictionary(uniqueKeysWithValues: (0..<40).map { ("extra/file\($0).py", "x = \($0)\n") })
        let tooMany = try await hub.submit("many-files", files: many, in: clone)
        #expect(tooMany.output.contains("files, more than the limit of 30"))
        _ = try await CommandRunner.git(["reset", "-q", "--hard", "origin/main"], in: clone)

        let chunks = Dictionary(uniqueKeysWithValues: (0..<4).map { ("chunk\($0).txt", random(120_000)) })
        let heavy = try await hub.submit("heavy", files: chunks, in: clone)
        #expect(heavy.output.contains("remote: refused: push:"))
        #expect(heavy.output.contains("exceed the limit of 400000 bytes per push"))
        _ = try await CommandRunner.git(["reset", "-q", "--hard", "origin/main"], in: clone)

        let control = try await hub.submit("control", files: ["bad\u{07}name.py": "x = 1\n"], in: clone)
        #expect(control.output.contains("has a path with a control character"))
        _ = try await CommandRunner.git(["reset", "-q", "--hard", "origin/main"], in: clone)

        // One file of 140 kB named five times: a small push that would take 700 kB on disk.
        let copy = random(140_000)
        let copies = Dictionary(uniqueKeysWithValues: (0..<5).map { ("copy\($0).txt", copy) })
        let bomb = try await hub.submit("tree-bomb", files: copies, in: clone)
        #expect(bomb.status != 0)
        #expect(bomb.output.contains("bytes together, more than the limit of 500000 bytes (a file named twice counts twice)"), "\(bomb.output)")
        _ = try await CommandRunner.git(["reset", "-q", "--hard", "origin/main"], in: clone)

        // A name no file system stores, made with git's plumbing (no file can have it).
        let blob = try await CommandRunner.git(["hash-object", "-w", "classifier.py"], in: clone).output.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let longName = String(repeating: "n", count: 300) + ".py"
        #expect(try await CommandRunner.git(["update-index", "--add", "--cacheinfo", "100644,\(blob),\(longName)"], in: clone).status == 0)
        _ = try await CommandRunner.git(["commit", "-qm", "long name"], in: clone)
        _ = try await CommandRunner.git(["tag", "submission-long-name"], in: clone)
        let long = try await CommandRunner.git(["push", "origin", "HEAD", "submission-long-name"], in: clone)
        #expect(long.output.contains("has a name longer than 255 bytes"), "\(long.output)")
        _ = try await CommandRunner.git(["tag", "-d", "submission-long-name"], in: clone)
        _ = try await CommandRunner.git(["reset", "-q", "--hard", "origin/main"], in: clone)
        // The same rules hold for branches, not only for submission tags.
        try random(200_000).write(to: clone.appendingPathComponent("weights.txt"), atomically: true, encoding: .utf8)
        _ = try await CommandRunner.git(["add", "-A"], in: clone)
        _ = try await CommandRunner.git(["commit", "-qm", "big on a branch"], in: clone)
        #expect(try await CommandRunner.git(["push", "origin", "HEAD:refs/heads/experiment"], in: clone).output.contains("per file"))
        #expect(try await hub.submissions().isEmpty)
    }

    @Test func pushOptionDescriptionIsStored() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let push = try await hub.submit("described", in: clone, pushArguments: ["-o", "description=Scaled logistic regression, C=1"])
        #expect(push.status == 0, "\(push.output)")
        #expect(try await hub.submissions().first?["description"] as? String == "Scaled logistic regression, C=1")
        // Options of any shape, however odd, are read without harm.
        let odd = try await hub.submit("odd-options", in: clone, pushArguments: ["-o", "=", "-o", "", "-o", "description=a=b, é ☃"])
        #expect(odd.status == 0, "\(odd.output)")
        #expect(odd.output.contains("submission odd-options accepted"))
        #expect(try await hub.submissions().last?["description"] as? String == "a=b, é ☃")
        #expect(try await hub.get("/api/v1/leaderboard", login: "alice", token: token).status == 200, "the server still answers")
    }
}
