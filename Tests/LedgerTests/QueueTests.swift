import Challenge
import Foundation
import Testing
@testable import Ledger

/// The durable queue on real SQLite files: claims, leases, renewals, expiry, results written
/// once, releases on shutdown and the hub's retry budget.
@Suite("The queue's leases")
struct QueueTests {
    @Test func aClaimHoldsTheEvaluationUntilItIsFinishedByItsOwnerOnly() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluationID) = try fixture.submit("alice", "one")
        let claimed = try #require(try await ledger.claimNextEvaluation(owner: "a", leaseSeconds: 30))
        #expect(claimed.id == evaluationID)
        #expect(claimed.state == .training && claimed.attempts == 1 && claimed.worker == "a")
        #expect(try await ledger.claimNextEvaluation(owner: "b", leaseSeconds: 30) == nil, "a claimed evaluation is not claimed twice")
        #expect(try await ledger.renewLease(evaluationID: evaluationID, owner: "b", state: .testing, leaseSeconds: 30) == false)
        #expect(try await ledger.renewLease(evaluationID: evaluationID, owner: "a", state: .testing, leaseSeconds: 30))
        #expect(try ledger.evaluation(id: evaluationID)?.state == .testing)
        #expect(try await ledger.finishEvaluation(evaluationID, owner: "b", outcome: LedgerFixture.scored(evaluationID, 0.9)) == false)
        #expect(try await ledger.finishEvaluation(evaluationID, owner: "a", outcome: LedgerFixture.scored(evaluationID, 0.9)))
        #expect(
            try await ledger.finishEvaluation(evaluationID, owner: "a", outcome: LedgerFixture.scored(evaluationID, 0.8)) == false,
            "a result is written once")
        let finished = try #require(try ledger.evaluation(id: evaluationID))
        #expect(finished.state == .scored && finished.leaseOwner == nil && finished.worker == "a")
        #expect(try ledger.submissionDetails()[0].evaluations[0].baggedScore("accuracy", on: .valid) == 0.9)
    }

    @Test func onlyExpiredLeasesAreReturnedToTheQueue() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, first) = try fixture.submit("alice", "one")
        let (_, second) = try fixture.submit("bob", "two")
        let now = Date()
        _ = try await ledger.claimNextEvaluation(owner: "dead", leaseSeconds: 10, now: now)
        _ = try await ledger.claimNextEvaluation(owner: "alive", leaseSeconds: 10, now: now)
        #expect(try await ledger.requeueExpiredLeases(now: now.addingTimeInterval(5)) == 0, "live leases are never touched")
        #expect(try await ledger.renewLease(evaluationID: second, owner: "alive", state: .training, leaseSeconds: 10, now: now.addingTimeInterval(8)))
        #expect(try await ledger.requeueExpiredLeases(now: now.addingTimeInterval(11)) == 1)
        #expect(try ledger.evaluation(id: first)?.state == .queued)
        #expect(try ledger.evaluation(id: second)?.state == .training, "renewed, so still alive")
        #expect(
            try await ledger.finishEvaluation(first, owner: "dead", outcome: LedgerFixture.scored(first, 0.5)) == false,
            "a worker that lost its lease writes nothing")
        let again = try #require(try await ledger.claimNextEvaluation(owner: "new", leaseSeconds: 10))
        #expect(again.id == first && again.attempts == 2)
    }

    @Test func workersThatKeepDyingSpendABudgetOfTheirOwn() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluationID) = try fixture.submit("alice", "one")
        var now = Date()
        for attempt in 1...Ledger.maximumInterruptions {
            let claimed = try #require(try await ledger.claimNextEvaluation(owner: "w\(attempt)", leaseSeconds: 10, now: now))
            #expect(claimed.attempts == attempt)
            now = now.addingTimeInterval(11)
            #expect(try await ledger.requeueExpiredLeases(now: now) == 1)
        }
        let ended = try #require(try ledger.evaluation(id: evaluationID))
        #expect(ended.state == .checkingError && ended.hubFault && ended.interruptions == Ledger.maximumInterruptions)
        #expect(ended.log?.contains("does not count against your team") == true)
    }

    @Test func lostWorkersDoNotSpendTheBudgetOfReportedFailures() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluationID) = try fixture.submit("alice", "one")
        var now = Date()
        for _ in 1...(Ledger.maximumAttempts + 1) {
            _ = try await ledger.claimNextEvaluation(owner: "dying", leaseSeconds: 10, now: now)
            now = now.addingTimeInterval(11)
            try await ledger.requeueExpiredLeases(now: now)
        }
        _ = try await fixture.runNext { _ in .infrastructureFailure("disk full") }
        let retried = try #require(try ledger.evaluation(id: evaluationID))
        #expect(retried.state == .queued, "one reported failure after four lost workers: retried")
        #expect(retried.hubFailures == 1 && retried.interruptions == Ledger.maximumAttempts + 1)
        _ = try await fixture.runNext { LedgerFixture.scored($0, 0.7) }
        #expect(try ledger.evaluation(id: evaluationID)?.state == .scored)
    }

    @Test func infrastructureFailuresAreRetriedButTheTeamsOwnFailuresAreFinal() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, hubFailing) = try fixture.submit("alice", "unlucky")
        let (_, teamFailing) = try fixture.submit("bob", "broken")
        var runs = 0
        while try await fixture.runNext(
            owner: "w",
            outcome: { id in
                id == hubFailing ? .infrastructureFailure("disk full") : EvaluationOutcome(state: .trainingError, log: "Traceback")
            }) != nil
        { runs += 1 }
        #expect(runs == Ledger.maximumAttempts + 1)
        #expect(try ledger.evaluation(id: teamFailing)?.state == .trainingError)
        #expect(try ledger.evaluation(id: teamFailing)?.attempts == 1)
        let unlucky = try #require(try ledger.evaluation(id: hubFailing))
        #expect(unlucky.state == .checkingError && unlucky.hubFault && unlucky.attempts == Ledger.maximumAttempts)
    }

    @Test func aStoppedWorkerReleasesItsEvaluationWithoutCountingTheAttempt() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluationID) = try fixture.submit("alice", "one")
        _ = try await ledger.claimNextEvaluation(owner: "a", leaseSeconds: 30)
        #expect(try await ledger.releaseEvaluation(evaluationID, owner: "b") == false)
        #expect(try await ledger.releaseEvaluation(evaluationID, owner: "a"))
        let released = try #require(try ledger.evaluation(id: evaluationID))
        #expect(released.state == .queued && released.attempts == 0 && released.leaseOwner == nil)
        #expect(try ledger.queuePosition(evaluationID: evaluationID) == 1)
    }

    @Test func cancellingTakesTheLeaseAway() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (submissionID, evaluationID) = try fixture.submit("alice", "one")
        _ = try await ledger.claimNextEvaluation(owner: "a", leaseSeconds: 30)
        #expect(try await ledger.isLeaseHeld(evaluationID: evaluationID, owner: "a"))
        #expect(try ledger.cancel(submissionID: submissionID, by: "organiser") == 1)
        #expect(try await ledger.isLeaseHeld(evaluationID: evaluationID, owner: "a") == false)
        #expect(try await ledger.finishEvaluation(evaluationID, owner: "a", outcome: LedgerFixture.scored(evaluationID, 1)) == false)
        #expect(try ledger.evaluation(id: evaluationID)?.state == .cancelled)
    }

    @Test func processesSharingTheFileClaimEachEvaluationOnce() async throws {
        let fixture = try LedgerFixture()
        for index in 0..<40 { try fixture.submit("team\(index % 4)", "s\(index)") }
        let ledgers = [fixture.ledger, try fixture.otherProcess(), try fixture.otherProcess()]
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, ledger) in ledgers.enumerated() {
                group.addTask {
                    var mine: [Int64] = []
                    while let evaluation = try await ledger.claimNextEvaluation(owner: "p\(index)", leaseSeconds: 30) { mine.append(evaluation.id!) }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 40)
        #expect(Set(claimed).count == 40, "no evaluation claimed twice")
    }

    @Test func everyChangeOfResultsMovesTheResultsCounter() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (submissionID, _) = try fixture.submit("alice", "one")
        try fixture.submit("bob", "two")
        #expect(try await ledger.counter(.results) == 0)
        _ = try await fixture.runNext { LedgerFixture.scored($0, 0.7) }
        #expect(try await ledger.counter(.results) == 1)
        _ = try ledger.cancel(submissionID: submissionID)
        #expect(try await ledger.counter(.results) == 1, "nothing of alice's was unfinished")
        _ = try await ledger.claimNextEvaluation(owner: "w", leaseSeconds: 30)
        _ = try ledger.cancel(submissionID: submissionID + 1)
        #expect(try await ledger.counter(.results) == 2)
        try await ledger.setCounter(.credit, to: 2)
        #expect(try await ledger.counter(.credit) == 2)
    }
}

/// Re-scoring takes an evaluation off the leaderboard until its new result, and tells the
/// credit service.
@Suite("Re-scoring")
struct RescoreQueueTests {
    @Test func aRescoredEvaluationIsUnrankedUntilItsNewResult() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try await ledger.useRankingSpecification(RankingSpecification(question: "q", scoreType: "accuracy", split: .valid, lowerIsBetter: false))
        let (_, evaluationID) = try fixture.submit("alice", "one")
        _ = try await fixture.runNext { LedgerFixture.scored($0, 0.8) }
        #expect(try ledger.evaluation(id: evaluationID)?.rankingKey == -0.8)
        let before = try await ledger.counter(.results)
        #expect(try ledger.rescore(evaluationIDs: [evaluationID], by: "organiser") == RescoreOutcome(queued: 1))
        #expect(try ledger.evaluation(id: evaluationID)?.rankingKey == nil)
        #expect(
            try ledger.rescore(evaluationIDs: [evaluationID], by: "organiser") == RescoreOutcome(waiting: 1),
            "a second re-score while it waits changes nothing")
        #expect(try await ledger.counter(.results) == before + 1)
        #expect(try await ledger.leaderboardPage(LeaderboardRequest(question: "q")).rankedCount == 0)
        _ = try await fixture.runNext { LedgerFixture.scored($0, 0.6) }
        #expect(try ledger.evaluation(id: evaluationID)?.rankingKey == -0.6)
        #expect(try ledger.scoreHistory(evaluationID: evaluationID).count == 1)
    }
}

/// An evaluation whose batch job waits in a scheduler's queue: shown as queued, held by its
/// worker, and followed again (never submitted twice) by whoever claims it after a crash.
@Suite("Batch jobs in the queue")
struct BatchJobQueueTests {
    @Test func aQueuedEvaluationHeldByAWorkerIsNotClaimedUntilItsLeaseExpires() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluationID) = try fixture.submit("alice", "one")
        let now = Date()
        _ = try #require(try await ledger.claimNextEvaluation(owner: "a", leaseSeconds: 10, now: now))
        #expect(try await ledger.recordExecutorJob(evaluationID: evaluationID, owner: "a", jobID: "slurm:42"))
        #expect(try await ledger.recordExecutorJob(evaluationID: evaluationID, owner: "b", jobID: "slurm:43") == false)
        // The job waits for the scheduler: queued, but held.
        #expect(try await ledger.renewLease(evaluationID: evaluationID, owner: "a", state: .queued, leaseSeconds: 10, now: now))
        #expect(try ledger.evaluation(id: evaluationID)?.state == .queued)
        #expect(try ledger.queuePosition(evaluationID: evaluationID) == 1)
        #expect(try await ledger.claimNextEvaluation(owner: "b", leaseSeconds: 10, now: now) == nil)
        #expect(try await ledger.isLeaseHeld(evaluationID: evaluationID, owner: "a"))
        #expect(try ledger.runningEvaluations().map(\.id) == [evaluationID], "a waiting batch job counts as running")
        #expect(
            try ledger.rescore(evaluationIDs: [evaluationID], by: "organiser") == RescoreOutcome(running: 1), "a held evaluation is not re-scored")
        #expect(try await ledger.requeueExpiredLeases(now: now.addingTimeInterval(5)) == 0)
        // Its worker died: the next claim finds the job to follow.
        #expect(try await ledger.requeueExpiredLeases(now: now.addingTimeInterval(11)) == 1)
        let reclaimed = try #require(try await ledger.claimNextEvaluation(owner: "b", leaseSeconds: 10, now: now.addingTimeInterval(12)))
        #expect(reclaimed.id == evaluationID && reclaimed.executorJobID == "slurm:42")
    }

    @Test func aRetryAfterTheInfrastructuresFailureRunsInANewJobAndAResultKeepsItsJob() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluationID) = try fixture.submit("alice", "one")
        _ = try #require(try await ledger.claimNextEvaluation(owner: "a", leaseSeconds: 30))
        #expect(try await ledger.recordExecutorJob(evaluationID: evaluationID, owner: "a", jobID: "slurm:7"))
        #expect(try await ledger.finishEvaluation(evaluationID, owner: "a", outcome: .infrastructureFailure("NODE_FAIL")))
        let retried = try #require(try ledger.evaluation(id: evaluationID))
        #expect(retried.state == .queued && retried.executorJobID == nil)
        _ = try #require(try await ledger.claimNextEvaluation(owner: "b", leaseSeconds: 30))
        #expect(try await ledger.recordExecutorJob(evaluationID: evaluationID, owner: "b", jobID: "slurm:8"))
        // A shutdown returns it to the queue with its job, for the next process to follow.
        #expect(try await ledger.releaseEvaluation(evaluationID, owner: "b"))
        #expect(try ledger.evaluation(id: evaluationID)?.executorJobID == "slurm:8")
        _ = try #require(try await ledger.claimNextEvaluation(owner: "c", leaseSeconds: 30))
        #expect(try await ledger.finishEvaluation(evaluationID, owner: "c", outcome: LedgerFixture.scored(evaluationID, 0.9)))
        #expect(try ledger.evaluation(id: evaluationID)?.executorJobID == "slurm:8", "organisers see which job scored it")
    }
}
