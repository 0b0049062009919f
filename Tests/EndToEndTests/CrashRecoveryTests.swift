import Foundation
import Testing

/// Processes killed with SIGKILL at random moments (during a push, its hooks' intake, an
/// evaluation or its scoring) lose nothing: every submission whose push was accepted ends
/// recorded and scored, exactly once. CI runs a few trials; `make chaos` runs twenty
/// (`FORKBOARD_CHAOS_TRIALS`).
@Suite("Killed at random moments", .serialized)
struct CrashRecoveryTests {
    static var trials: Int {
        Int(ProcessInfo.processInfo.environment["FORKBOARD_CHAOS_TRIALS"] ?? "") ?? 3
    }

    /// Short leases, sweeps and reconciliations, so that recovery is quick.
    static let service = ["--lease-seconds", "4", "--sweep-seconds", "1", "--reconcile-seconds", "2"]

    /// The processes descended from `processID` (its children, theirs, ...).
    static func descendants(of processID: Int32) -> [Int32] {
        var parents: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[parent, default: []].append(pid) }
        }
        var found: [Int32] = []
        var frontier = [processID]
        while let next = frontier.popLast() {
            for child in parents[next] ?? [] {
                found.append(child)
                frontier.append(child)
            }
        }
        return found
    }

    static func commandLine(_ processID: Int32) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(processID)/cmdline"))) ?? Data()
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }

    @Test func everyAcceptedSubmissionEndsRecordedAndScoredOnce() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start(workers: 0, extra: Self.service)
        var worker = try await hub.startWorker(extra: Self.service)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let kit = try String(contentsOf: clone.appendingPathComponent("classifier.py"), encoding: .utf8)
        var accepted: [String] = []
        var victims: [String] = []
        for trial in 0..<Self.trials {
            let name = "trial-\(trial)"
            try (kit + "\nTRIAL = \(trial)\n").write(to: clone.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
            _ = try await CommandRunner.git(["commit", "-qam", name], in: clone)
            _ = try await CommandRunner.git(["tag", "submission-\(name)"], in: clone)
            let url = hub.cloneURL("alice", login: "alice", token: token)
            let push = Task.detached { try await CommandRunner.git(["push", url, "submission-\(name)"], in: clone) }
            // Somewhere in the push, its intake, the evaluation (about 4 s) or its scoring.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...6000)))
            let victim = ["server", "worker", "hooks"].randomElement()!
            victims.append(victim)
            switch victim {
            case "server":
                hub.stop(kill: true)
            case "worker":
                TestHub.stop(worker.process, kill: true)
            default:
                // The hooks (their script, or `forkboard hook` when they run the logic themselves).
                for pid in Self.descendants(of: hub.serverProcessID ?? 0)
                where Self.commandLine(pid).contains("/hooks/") || Self.commandLine(pid).contains(" hook ") {
                    kill(pid, SIGKILL)
                }
            }
            let result = try await push.value
            if result.status == 0 { accepted.append(name) }
            if victim == "server" { try await hub.start(workers: 0, extra: Self.service) }
            if victim == "worker" { worker = try await hub.startWorker(extra: Self.service) }
        }
        // Every submission tag that reached the repository, accepted or not as the client saw it.
        let tags = try await CommandRunner.run(
            "/usr/bin/git",
            [
                "--git-dir", hub.home.appendingPathComponent("repos/teams/alice.git").path,
                "tag", "-l", "submission-*",
            ]
        ).output
            .split(separator: "\n").map { String($0.dropFirst("submission-".count)) }
        for name in accepted { #expect(tags.contains(name), "\(name) was accepted, so its tag exists") }
        #expect(!tags.isEmpty, "victims \(victims)")
        for name in tags {
            let submission = try await hub.waitForFinalState(team: "alice", name: name, timeout: 240)
            #expect(submission["state"] as? String == "scored", "\(name) (victims \(victims)): \(submission)")
            let evaluation = try #require((submission["evaluations"] as? [[String: Any]])?.first)
            #expect((1...12).contains(evaluation["attempts"] as? Int ?? 0), "claimed again only after its worker was lost")
            let folds = try #require(evaluation["folds"] as? [[String: Any]])
            #expect(folds.map { $0["fold"] as? Int } == [0, 1], "\(name): each fold scored once")
        }
        let recorded = try await hub.submissions().compactMap { $0["submission"] as? String }
        #expect(recorded.sorted() == tags.sorted(), "nothing recorded twice or without its tag (victims \(victims))")
        let verify = try await hub.forkboard(["audit", "verify", "--hub", hub.home.path])
        #expect(verify.status == 0, "\(verify.output)")
    }
}
