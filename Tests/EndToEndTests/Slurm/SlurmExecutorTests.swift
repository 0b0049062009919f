import Foundation
import Testing

/// Evaluations dispatched to a real one-node Slurm cluster (Debian's slurmctld and slurmd on
/// localhost, started by `scripts/slurm-test-cluster`): pushed through git, submitted with
/// sbatch, followed with squeue, scored by the hub exactly as the local executor scores them.
@Suite("Slurm executor", .serialized)
struct SlurmExecutorTests {
    /// A classifier that sleeps in `fit`, long enough to be seen running.
    static func sleeping(seconds: Int, marker: String) -> String {
        """
        import time
        from sklearn.linear_model import LogisticRegression

        # \(marker)
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

    /// The scores of a submission as `forkboard submissions` lists them.
    static func scores(_ submission: [String: Any]) -> [String: [String: Double]] {
        let evaluation = (submission["evaluations"] as? [[String: Any]])?.first
        return evaluation?["scores"] as? [String: [String: Double]] ?? [:]
    }

    static func evaluation(_ submission: [String: Any]) -> [String: Any] {
        (submission["evaluations"] as? [[String: Any]])?.first ?? [:]
    }

    @Test func theStartingKitScoresAsWithTheLocalExecutorInOneJobOrOneTaskPerFold() async throws {
        let local = try await TestHub()
        let expected = Self.scores(try await local.startAndSubmitTheStartingKit().submission)
        #expect(!expected.isEmpty)

        for granularity in ["evaluation", "fold"] {
            let (hub, _) = try await TestHub.onSlurm(settings: "  job_per: \(granularity)")
            let submission = try await hub.startAndSubmitTheStartingKit().submission
            #expect(submission["state"] as? String == "scored", "\(granularity): \(hub.logs())")
            #expect(Self.scores(submission) == expected, "\(granularity): same scores as the local executor")
            let job = try #require(Self.evaluation(submission)["batch_job"] as? String)
            #expect(job.hasPrefix("slurm:"))
            let states = try await SlurmCluster.shared.states(of: [String(job.dropFirst("slurm:".count))])
            #expect(!states.isEmpty && states.values.allSatisfy { $0 == "COMPLETED" }, "\(granularity): \(states)")
            if granularity == "fold" { #expect(states.count == 2, "one array task per fold: \(states)") }
            let folds = Self.evaluation(submission)["folds"] as? [[String: Any]] ?? []
            #expect(folds.count == 2)
        }
    }

    @Test func aRescoreRunsANewJobAndTwoHubsShareOneSharedDirectoryWithoutMixingUp() async throws {
        let (first, shared) = try await TestHub.onSlurm()
        let (second, _) = try await TestHub.onSlurm(shared: shared)
        let kit = try await first.startAndSubmitTheStartingKit().submission
        let token = try await second.addTeam("alice")
        try await second.start()
        let clone = try await second.clone("alice", login: "alice", token: token)
        // The same team and submission name in the other hub, a different model.
        let push = try await second.submit("kit", files: ["classifier.py": Classifiers.randomForest(estimators: 5, seed: 9)], in: clone)
        #expect(push.status == 0, "\(push.output)")
        let forest = try await second.waitForFinalState(team: "alice", name: "kit")
        #expect(kit["state"] as? String == "scored" && forest["state"] as? String == "scored")
        #expect(Self.scores(kit) != Self.scores(forest), "each hub scored its own submission")
        let firstJob = try await first.slurmJobs()["kit"]
        let secondJob = try await second.slurmJobs()["kit"]
        #expect(firstJob != nil && firstJob != secondJob)
        let hubDirectories = try FileManager.default.contentsOfDirectory(atPath: shared.path).filter { !$0.hasPrefix(".") }
        #expect(hubDirectories.count == 2, "one directory per hub: \(hubDirectories)")

        // A re-score while the controller still remembers the first job: a new job, scored again.
        let rescore = try await first.forkboard(["rescore", "alice/kit", "--hub", first.home.path])
        #expect(rescore.status == 0, "\(rescore.output)")
        let deadline = Date().addingTimeInterval(120)
        var rescored: [String: Any] = [:]
        while Date() < deadline {
            rescored = try await first.waitForFinalState(team: "alice", name: "kit")
            if let job = Self.evaluation(rescored)["batch_job"] as? String, job != "slurm:\(firstJob ?? "")" { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(Self.evaluation(rescored)["batch_job"] as? String != "slurm:\(firstJob ?? "")", "the re-score ran in a new job")
        #expect(rescored["state"] as? String == "scored" && Self.scores(rescored) == Self.scores(kit))
    }

    @Test func fourSubmissionsOnTwoSlotsRunTwoAtATimeAndAllAreScored() async throws {
        // Two jobs fit on the node at once, whatever its CPU count.
        let cpus = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        let (hub, _) = try await TestHub.onSlurm(settings: "  jobs_in_flight: 4\n  cpus_per_task: \(cpus)")
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let names = (1...4).map { "sleepy-\($0)" }
        for name in names {
            let push = try await hub.submit(name, files: ["classifier.py": Self.sleeping(seconds: 3, marker: name)], in: clone)
            #expect(push.status == 0, "\(push.output)")
        }
        var mostRunning = 0
        var sawWaitingBesideTwoRunning = false
        let deadline = Date().addingTimeInterval(240)
        var finished: [String: String] = [:]
        while finished.count < names.count, Date() < deadline {
            let jobs = try await hub.slurmJobs()
            let states = try await SlurmCluster.shared.states(of: Array(jobs.values))
            let running = states.values.filter { $0 == "RUNNING" }.count
            mostRunning = max(mostRunning, running)
            if running == 2, states.values.contains("PENDING") { sawWaitingBesideTwoRunning = true }
            for submission in try await hub.submissions() {
                if let state = submission["state"] as? String, ["scored", "training_error", "testing_error", "checking_error"].contains(state) {
                    finished[submission["submission"] as? String ?? ""] = state
                }
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(finished.count == 4 && finished.values.allSatisfy { $0 == "scored" }, "\(finished) \(hub.logs())")
        #expect(mostRunning == 2, "at most two jobs ran at once")
        #expect(sawWaitingBesideTwoRunning, "the others waited in Slurm's queue")
        #expect(Set(try await hub.slurmJobs().values).count == 4, "one job per evaluation")
    }

    @Test func cancellingAnEvaluationCancelsItsSlurmJob() async throws {
        let (hub, _) = try await TestHub.onSlurm()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let push = try await hub.submit("slow", files: ["classifier.py": Self.sleeping(seconds: 120, marker: "slow")], in: clone)
        #expect(push.status == 0, "\(push.output)")
        let job = try await waitForJob("slow", in: hub, state: "RUNNING")
        let cancel = try await hub.forkboard(["cancel", "alice/slow", "--hub", hub.home.path])
        #expect(cancel.status == 0)
        #expect(cancel.output.contains("cancelled slurm:\(job) on the cluster"), "\(cancel.output)")
        _ = try await waitForJob("slow", in: hub, state: "CANCELLED")
        #expect(try await hub.waitForFinalState(team: "alice", name: "slow", timeout: 30)["state"] as? String == "cancelled")
    }

    @Test func aJobSlurmStopsForItsMemoryEndsInATrainingErrorThatSaysSo() async throws {
        // Slurm's own memory enforcement (--mem, given last, wins over the hub's) stops the job
        // before the sandbox's larger limit does.
        let (hub, _) = try await TestHub.onSlurm(settings: "  sbatch_arguments: [\"--mem=400M\"]")
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let greedy = """
            import time
            from sklearn.linear_model import LogisticRegression

            class Classifier:
                def fit(self, X, y):
                    hoard = bytearray(1200 * 1024 * 1024)
                    for index in range(0, len(hoard), 4096):
                        hoard[index] = 1
                    time.sleep(5)
                    self.model = LogisticRegression().fit(X, y)
                    self.classes_ = self.model.classes_
                    return self

                def predict_proba(self, X):
                    return self.model.predict_proba(X)

            """
        let push = try await hub.submit("greedy", files: ["classifier.py": greedy], in: clone)
        #expect(push.status == 0, "\(push.output)")
        let submission = try await hub.waitForFinalState(team: "alice", name: "greedy", timeout: 120)
        #expect(submission["state"] as? String == "training_error", "\(submission) \(hub.logs())")
        let log = Self.evaluation(submission)["log"] as? String ?? ""
        #expect(log.contains("went over its memory"), "\(log)")
        #expect(Self.evaluation(submission)["attempts"] as? Int == 1, "the submission's own failure is not retried")
    }

    @Test func aNodeFailureIsRetriedAsTheInfrastructuresFault() async throws {
        let (hub, shared) = try await TestHub.onSlurm()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let push = try await hub.submit("unlucky", files: ["classifier.py": Self.sleeping(seconds: 8, marker: "unlucky")], in: clone)
        #expect(push.status == 0, "\(push.output)")
        let first = try await waitForJob("unlucky", in: hub, state: "RUNNING")
        // The node dies with everything on it: its daemons, and the job's processes.
        try await SlurmCluster.shared.killNode()
        for process in processes(containing: shared.path, and: "run-job") {
            for victim in [process] + CrashRecoveryTests.descendants(of: process) { kill(victim, SIGKILL) }
        }
        let deadline = Date().addingTimeInterval(120)
        var state = ""
        while Date() < deadline {
            state = try await SlurmCluster.shared.states(of: [first])[first] ?? ""
            if state == "NODE_FAIL" { break }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(state == "NODE_FAIL")
        try await SlurmCluster.shared.startNode()
        let submission = try await hub.waitForFinalState(team: "alice", name: "unlucky", timeout: 180)
        #expect(submission["state"] as? String == "scored", "\(submission) \(hub.logs())")
        let second = try await hub.slurmJobs()["unlucky"]
        #expect(second != nil && second != first, "the retry ran in a new job")
        #expect(Self.evaluation(submission)["attempts"] as? Int == 2)
    }

    @Test func testShardsRunAsArrayTasksAndANodeFailureRunsTheLostTaskAgainAlone() async throws {
        let (hub, shared) = try await TestHub.onSlurm(template: "plasticc", folds: 3, settings: "  jobs_in_flight: 2") {
            PlasticcTests.withShardedQuestion($0, shards: 3)
        }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("kit", in: clone).status == 0)
        // A test shard's run is under way on the node: the node dies.
        var running: String?
        let deadline = Date().addingTimeInterval(300)
        while running == nil, Date() < deadline {
            running = processes(containing: shared.path, and: "--task").map(CrashRecoveryTests.commandLine).first { $0.contains("shard-") }
            try await Task.sleep(for: .milliseconds(200))
        }
        let lost = try #require(
            running.flatMap { $0.firstMatch(of: /fold-[0-9]+\/shard-[0-9]+/) }.map { String($0.output) }, "a shard ran: \(hub.logs())")
        try await SlurmCluster.shared.killNode()
        for process in processes(containing: shared.path, and: "run-job") {
            for victim in [process] + CrashRecoveryTests.descendants(of: process) { kill(victim, SIGKILL) }
        }
        let arraysFile = { () -> URL? in
            (try? FileManager.default.subpathsOfDirectory(atPath: shared.path).first { $0.hasSuffix("kit/sharded/batch/arrays.json") })
                .map { shared.appendingPathComponent($0) }
        }
        var failed = false
        let nodeDeadline = Date().addingTimeInterval(120)
        while !failed, Date() < nodeDeadline {
            let listed = (arraysFile().flatMap { try? JSONSerialization.jsonObject(with: Data(contentsOf: $0)) } as? [[String: Any]]) ?? []
            let ids = listed.compactMap { $0["slurmID"] as? String }
            failed = try await SlurmCluster.shared.states(of: ids).values.contains("NODE_FAIL")
            try await Task.sleep(for: .seconds(1))
        }
        #expect(failed, "the lost tasks ended in NODE_FAIL")
        try await SlurmCluster.shared.startNode()
        let submission = try await hub.waitForFinalState(team: "alice", name: "kit", timeout: 900)
        let evaluations = try #require(submission["evaluations"] as? [[String: Any]])
        let byQuestion = Dictionary(
            uniqueKeysWithValues: evaluations.compactMap { evaluation in (evaluation["question"] as? String).map { ($0, evaluation) } })
        let sharded = try #require(byQuestion["sharded"])
        let whole = try #require(byQuestion["classification"])
        #expect(sharded["state"] as? String == "scored" && whole["state"] as? String == "scored", "\(evaluations) \(hub.logs())")
        #expect(sharded["attempts"] as? Int == 1, "the sharded evaluation was not started again: only its lost tasks were")
        // Its arrays: the training tasks, the predictions, then the lost runs on their own.
        let listed = try JSONSerialization.jsonObject(with: Data(contentsOf: try #require(arraysFile()))) as? [[String: Any]] ?? []
        #expect(listed.count >= 3, "a round of the lost tasks: \(listed)")
        #expect(listed.dropFirst(2).contains { ($0["tasks"] as? [String])?.contains(lost) == true }, "\(lost) was submitted again: \(listed)")
        #expect((listed.first?["tasks"] as? [String]) == ["fold-0/train", "fold-1/train", "fold-2/train"])
        // The same scores as the one-run question's.
        let wholeScores = try #require(whole["scores"] as? [String: [String: Double]])
        let shardedScores = try #require(sharded["scores"] as? [String: [String: Double]])
        for (split, scores) in wholeScores {
            for (name, value) in scores {
                let other = shardedScores[split]?[name]
                #expect(
                    other.map { abs($0 - value) <= 1e-12 * max(1, abs(value)) } == true, "\(split) \(name): whole \(value), sharded \(other ?? .nan)")
            }
        }
    }

    @Test func aHubKilledWithJobsInFlightFollowsThemAgainAndScoresEachOnce() async throws {
        let (hub, shared) = try await TestHub.onSlurm(settings: "  jobs_in_flight: 2")
        let token = try await hub.addTeam("alice")
        let service = ["--lease-seconds", "4", "--sweep-seconds", "1"]
        try await hub.start(extra: service)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let names = ["first", "second"]
        for name in names {
            let push = try await hub.submit(name, files: ["classifier.py": Self.sleeping(seconds: 10, marker: name)], in: clone)
            #expect(push.status == 0, "\(push.output)")
        }
        var before: [String: String] = [:]
        let deadline = Date().addingTimeInterval(60)
        while before.count < 2, Date() < deadline {
            before = try await hub.slurmJobs()
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(before.count == 2, "both jobs were submitted")
        hub.stop(kill: true)
        let states = try await SlurmCluster.shared.states(of: Array(before.values))
        #expect(states.values.allSatisfy { ["PENDING", "RUNNING", "COMPLETED"].contains($0) }, "the jobs outlive the hub: \(states)")
        try await hub.start(extra: service)
        for name in names {
            let submission = try await hub.waitForFinalState(team: "alice", name: name, timeout: 180)
            #expect(submission["state"] as? String == "scored", "\(name): \(submission) \(hub.logs())")
        }
        #expect(try await hub.slurmJobs() == before, "each evaluation kept its job: nothing was submitted twice")
        let audit = try await hub.forkboard(["audit", "submission", "alice/first", "--hub", hub.home.path, "--format", "json"])
        #expect(audit.output.contains("\"batch_job\" : \"slurm:\(before["first"] ?? "")\""), "organisers see the job: \(audit.output)")
        // The cluster ran exactly these two jobs for this hub (their working directories are
        // in its shared directory).
        let listing = try await SlurmCluster.shared.run("squeue", ["--noheader", "--states=all", "--format=%i|%Z"])
        let ours = listing.split(separator: "\n").filter { $0.contains(shared.path) }
        #expect(ours.count == 2, "\(listing)")
    }

    @Test func challengeCheckAsksTheClusterAndNamesAnUnknownPartition() async throws {
        let (good, _) = try await TestHub.onSlurm()
        let passed = try await good.forkboard(["challenge", "check", good.home.path])
        #expect(passed.status == 0, "\(passed.output)")
        #expect(passed.output.contains("ok: executor: slurm: the controller answers"), "\(passed.output)")

        let (bad, _) = try await TestHub.onSlurm(settings: "  partition: nowhere\n  forkboard_command: /opt/missing/forkboard")
        let failed = try await bad.forkboard(["challenge", "check", bad.home.path])
        #expect(failed.status == 1)
        #expect(failed.output.contains("error: executor: partition 'nowhere' is not one of the cluster's: forkboard"), "\(failed.output)")
        #expect(failed.output.contains("error: executor: forkboard_command /opt/missing/forkboard is not an executable file"), "\(failed.output)")

        let (refused, _) = try await TestHub.onSlurm(settings: "  sbatch_arguments: [\"--no-such-option\"]")
        let asked = try await refused.forkboard(["challenge", "check", refused.home.path])
        #expect(asked.status == 1)
        #expect(asked.output.contains("error: executor: sbatch would refuse the hub's jobs"), "sbatch --test-only: \(asked.output)")
    }

    /// Waits until the submission's Slurm job is in `state`; returns its id.
    private func waitForJob(_ name: String, in hub: TestHub, state wanted: String, timeout: TimeInterval = 90) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let job = try await hub.slurmJobs()[name], try await SlurmCluster.shared.states(of: [job])[job] == wanted {
                return job
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw TestHubError("\(name)'s Slurm job was not \(wanted) within \(timeout) s: \(hub.logs())")
    }

    /// Processes whose command line holds both strings.
    private func processes(containing first: String, and second: String) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { pid in
            let line = CrashRecoveryTests.commandLine(pid)
            return line.contains(first) && line.contains(second)
        }
    }
}
