import Foundation
import Testing

/// Several processes on one hub: `forkboard worker` processes beside `forkboard serve`, live
/// leases, workers killed or stopped mid-evaluation, and a second server started on a live hub.
@Suite("Many workers, one hub", .serialized)
struct ManyWorkersTests {
    /// Short leases and sweeps, so that a dead worker's evaluation returns quickly.
    static let quickLeases = ["--lease-seconds", "6", "--sweep-seconds", "1"]

    /// The evaluations of `team/name` as the organisers' JSON lists them.
    static func evaluation(_ hub: TestHub, _ name: String) async throws -> [String: Any]? {
        try await hub.submissions().first { $0["submission"] as? String == name }
            .flatMap { ($0["evaluations"] as? [[String: Any]])?.first }
    }

    /// Waits until `condition` holds for `name`'s evaluation; returns it.
    static func waitFor(
        _ hub: TestHub, _ name: String, timeout: TimeInterval = 120,
        _ condition: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let evaluation = try await evaluation(hub, name), condition(evaluation) { return evaluation }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestHubError("\(name): the condition did not hold within \(timeout) s: \(try await evaluation(hub, name) ?? [:])")
    }

    static func isRunning(_ evaluation: [String: Any]) -> Bool {
        ["training", "testing"].contains(evaluation["state"] as? String ?? "")
    }

    @Test func workerProcessesBesideTheServerShareTheQueueAndScoreEachSubmissionOnce() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start(workers: 0)
        let first = try await hub.startWorker()
        let second = try await hub.startWorker()
        #expect(first.name != second.name)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let kit = try String(contentsOf: clone.appendingPathComponent("classifier.py"), encoding: .utf8)
        let names = (1...6).map { "s\($0)" }
        for (index, name) in names.enumerated() {
            let push = try await hub.submit(name, files: ["classifier.py": kit + "\n# variant \(index)\n"], in: clone)
            #expect(push.status == 0, "\(push.output)")
        }
        var workers: [String] = []
        for name in names {
            let submission = try await hub.waitForFinalState(team: "alice", name: name)
            #expect(submission["state"] as? String == "scored")
            let evaluation = try #require((submission["evaluations"] as? [[String: Any]])?.first)
            #expect(evaluation["attempts"] as? Int == 1, "\(name) was evaluated once")
            let folds = try #require(evaluation["folds"] as? [[String: Any]])
            #expect(folds.map { $0["fold"] as? Int } == [0, 1])
            workers.append(evaluation["worker"] as? String ?? "")
        }
        let processes = Set(workers.map { $0.split(separator: "-").dropLast().joined(separator: "-") })
        #expect(processes == [first.name, second.name], "both worker processes evaluated submissions: \(workers)")
        // The server, which runs no worker, still computes credit from the workers' results.
        let deadline = Date().addingTimeInterval(60)
        var credited = false
        while Date() < deadline, !credited {
            let board = try await hub.get("/api/v1/leaderboard?limit=10", login: "alice", token: token)
            credited = board.body.contains("\"contributivity\"")
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(credited, "contributivity computed by the server's credit service")

        // A job's directory is self-contained: `forkboard run-job` runs it again, alone.
        let job = hub.home.appendingPathComponent("runs/alice/s1/diagnosis")
        try FileManager.default.removeItem(at: job.appendingPathComponent("report.json"))
        let rerun = try await hub.forkboard(["run-job", job.path])
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(rerun.output.contains("fold 1: train succeeded"), "\(rerun.output)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: job.appendingPathComponent("report.json"))) as? [String: Any])
        #expect((report["folds"] as? [[String: Any]])?.count == 2)
        let incomplete = try await hub.forkboard(["run-job", hub.root.path])
        #expect(incomplete.status == 3, "a directory that is not a job is not the submission's failure: \(incomplete.output)")
        #expect(incomplete.output.contains("cannot read the job's job.json"))
    }

    @Test func aKilledWorkersEvaluationReturnsToTheQueueWithinItsLeaseAndALiveOneIsLeftAlone() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start(workers: 0, extra: Self.quickLeases)
        let doomed = try await hub.startWorker(extra: Self.quickLeases)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("slow", files: ["classifier.py": DurableQueueTests.slowClassifier(seconds: 10)], in: clone).status == 0)
        let running = try await Self.waitFor(hub, "slow", Self.isRunning)
        #expect((running["worker"] as? String)?.hasPrefix(doomed.name) == true)
        TestHub.stop(doomed.process, kill: true)
        let killedAt = Date()
        let rescuer = try await hub.startWorker(extra: Self.quickLeases)
        let taken = try await Self.waitFor(hub, "slow") { ($0["worker"] as? String)?.hasPrefix(rescuer.name) == true }
        let waited = Date().timeIntervalSince(killedAt)
        // The lease (6 s) and one sweep (1 s), and a new worker's start: seconds here, more on a
        // loaded machine; a hub that swept only at start-up would never give it back.
        #expect(waited < 6 + 1 + 30, "back in the queue within the lease and one sweep, and claimed: \(waited) s")
        #expect(taken["attempts"] as? Int == 2)

        // A second server on the live hub takes nothing from the running worker.
        let (secondServer, _) = try await hub.launch(
            ["serve", "--hub", hub.home.path, "--port", "0", "--workers", "0"] + Self.quickLeases,
            until: #"http://127\.0\.0\.1:[0-9]+"#)
        defer { TestHub.stop(secondServer) }
        try await Task.sleep(for: .seconds(3))
        let stillRunning = try #require(try await Self.evaluation(hub, "slow"))
        #expect(Self.isRunning(stillRunning), "\(stillRunning)")
        #expect((stillRunning["worker"] as? String)?.hasPrefix(rescuer.name) == true)
        #expect(stillRunning["attempts"] as? Int == 2)

        let scored = try await hub.waitForFinalState(team: "alice", name: "slow")
        #expect(scored["state"] as? String == "scored")
        let evaluation = try #require((scored["evaluations"] as? [[String: Any]])?.first)
        #expect(evaluation["attempts"] as? Int == 2)
        #expect((evaluation["folds"] as? [[String: Any]])?.count == 2, "each fold scored once")
    }

    @Test func aServerStoppedDuringTrainingReturnsTheEvaluationWithoutBlamingTheTeam() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("interrupted", files: ["classifier.py": DurableQueueTests.slowClassifier(seconds: 10)], in: clone).status == 0)
        _ = try await Self.waitFor(hub, "interrupted", Self.isRunning)
        hub.stop()
        let stopped = try #require(try await Self.evaluation(hub, "interrupted"))
        #expect(stopped["state"] as? String == "queued", "a shutdown is not the team's failure: \(stopped)")
        #expect(stopped["attempts"] as? Int == 0, "and not an attempt")
        #expect((stopped["log"] as? String)?.contains("its worker was stopped") == true)
        #expect(try await CommandRunner.run("/usr/bin/pgrep", ["-af", "bwrap.*\(hub.root.lastPathComponent)"]).output.isEmpty)

        try await hub.start()
        let scored = try await hub.waitForFinalState(team: "alice", name: "interrupted")
        #expect(scored["state"] as? String == "scored")
        #expect((scored["evaluations"] as? [[String: Any]])?.first?["attempts"] as? Int == 1)
    }

    @Test func simultaneousPushesCannotGetRoundAQuota() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "quotas", with: "quotas:\n  minimum_interval_seconds: 0\n  maximum_per_day: 0\n  maximum_total: 4\n  count_own_errors: true", in: text
            )
        }
        let token = try await hub.addTeam("alice")
        try await hub.start(workers: 0)
        let first = try await hub.clone("alice", login: "alice", token: token, as: "alice-0")
        #expect(try await hub.submit("earlier", in: first).status == 0)
        // Ten clones, each with its own commit and tag, push at the same moment.
        var clones: [URL] = []
        for index in 1...10 {
            let clone = try await hub.clone("alice", login: "alice", token: token, as: "alice-\(index)")
            try "# attempt \(index)\n".write(to: clone.appendingPathComponent("attempt.txt"), atomically: true, encoding: .utf8)
            _ = try await CommandRunner.git(["add", "attempt.txt"], in: clone)
            _ = try await CommandRunner.git(["commit", "-qm", "attempt \(index)"], in: clone)
            _ = try await CommandRunner.git(["tag", "submission-rush-\(index)"], in: clone)
            clones.append(clone)
        }
        let results = try await withThrowingTaskGroup(of: CommandResult.self) { group in
            for (index, clone) in clones.enumerated() {
                group.addTask { try await CommandRunner.git(["push", "origin", "submission-rush-\(index + 1)"], in: clone) }
            }
            return try await group.reduce(into: [CommandResult]()) { $0.append($1) }
        }
        let accepted = results.filter { $0.status == 0 }
        #expect(accepted.count == 3, "one earlier submission and a quota of 4: exactly 3 of the 10")
        for refused in results.filter({ $0.status != 0 }) {
            #expect(
                refused.output.contains("remote: refused: submission-rush-") && refused.output.contains("quota: at most 4 submissions in all"),
                "\(refused.output)")
        }
        let recorded = try await hub.submissions().compactMap { $0["submission"] as? String }
        #expect(recorded.count == 4, "\(recorded)")
        let audit = try await hub.forkboard(["audit", "log", "--hub", hub.home.path, "--format", "json"])
        #expect(audit.output.components(separatedBy: "\"refused\"").count - 1 == 7, "every refused push is in the audit log")
    }
}
