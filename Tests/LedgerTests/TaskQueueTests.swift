import Foundation
import Testing
@testable import Ledger

/// The tasks of a sharded evaluation on a real SQLite file: published by the evaluation's
/// worker, claimed by any worker in order once their dependency is done, each under a lease of
/// its own, and only while the evaluation's lease lives.
@Suite("Tasks of an evaluation")
struct TaskQueueTests {
    static let tasks: [(name: String, dependsOn: String?)] = [
        ("fold-0/train", nil), ("fold-0/predict", "fold-0/train"), ("fold-0/shard-0", "fold-0/train"),
        ("fold-1/train", nil), ("fold-1/shard-0", "fold-1/train"),
    ]

    @Test func tasksAreClaimedInOrderOnceTheirDependencyIsDone() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluation) = try fixture.submit("alice", "kit")
        let now = Date()
        #expect(
            try await ledger.publishTasks(evaluationID: evaluation, owner: "coordinator", tasks: Self.tasks) == false,
            "only the evaluation's worker publishes its tasks")
        _ = try await ledger.claimNextEvaluation(owner: "coordinator", leaseSeconds: 60, now: now)
        #expect(try await ledger.publishTasks(evaluationID: evaluation, owner: "coordinator", tasks: Self.tasks))

        let first = try #require(try await ledger.claimNextTask(owner: "coordinator", leaseSeconds: 30, of: evaluation, now: now))
        #expect(first.task == "fold-0/train" && first.attempts == 1)
        let helped = try #require(try await ledger.claimNextTask(owner: "helper", leaseSeconds: 30, now: now))
        #expect(helped.task == "fold-1/train", "fold 0's predictions wait for its training")
        #expect(try await ledger.claimNextTask(owner: "other", leaseSeconds: 30, now: now) == nil)
        #expect(
            try await ledger.endTask(evaluationID: evaluation, task: "fold-0/train", owner: "helper", done: true) == false,
            "a task is ended by its own worker only")
        #expect(try await ledger.endTask(evaluationID: evaluation, task: "fold-0/train", owner: "coordinator", done: true))
        let next = try #require(try await ledger.claimNextTask(owner: "other", leaseSeconds: 30, now: now))
        #expect(next.task == "fold-0/predict")
        #expect(try await ledger.tasks(evaluationID: evaluation).map(\.state.rawValue) == ["done", "running", "waiting", "running", "waiting"])
    }

    @Test func aLostTaskReturnsToTheQueueAndALostEvaluationsTasksAreNotClaimed() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let (_, evaluation) = try fixture.submit("alice", "kit")
        let now = Date()
        _ = try await ledger.claimNextEvaluation(owner: "coordinator", leaseSeconds: 60, now: now)
        #expect(try await ledger.publishTasks(evaluationID: evaluation, owner: "coordinator", tasks: Self.tasks))
        let task = try #require(try await ledger.claimNextTask(owner: "dying", leaseSeconds: 10, now: now))
        #expect(try await ledger.requeueExpiredTaskLeases(now: now.addingTimeInterval(5)) == 0, "a live lease is kept")
        #expect(
            try await ledger.renewTaskLease(
                evaluationID: evaluation, task: task.task, owner: "dying", leaseSeconds: 10, now: now.addingTimeInterval(5)))
        #expect(try await ledger.requeueExpiredTaskLeases(now: now.addingTimeInterval(16)) == 1)
        let again = try #require(try await ledger.claimNextTask(owner: "helper", leaseSeconds: 10, now: now.addingTimeInterval(16)))
        #expect(again.task == task.task && again.attempts == 2, "the same run, taken again")
        #expect(
            try await ledger.endTask(evaluationID: evaluation, task: task.task, owner: "dying", done: true) == false,
            "the worker that lost it writes nothing")
        // The evaluation's own lease lapses (its worker died): its tasks are no longer claimed,
        // and the helper's renewal fails once it is requeued.
        #expect(try await ledger.claimNextTask(owner: "late", leaseSeconds: 10, now: now.addingTimeInterval(61)) == nil)
        #expect(try await ledger.requeueExpiredLeases(now: now.addingTimeInterval(61)) == 1)
        #expect(
            try await ledger.renewTaskLease(
                evaluationID: evaluation, task: again.task, owner: "helper", leaseSeconds: 10,
                now: now.addingTimeInterval(62)) == false)
        // A new attempt publishes its tasks anew.
        _ = try await ledger.claimNextEvaluation(owner: "second", leaseSeconds: 60, now: now.addingTimeInterval(62))
        #expect(try await ledger.publishTasks(evaluationID: evaluation, owner: "second", tasks: Self.tasks))
        #expect(try await ledger.tasks(evaluationID: evaluation).allSatisfy { $0.state == .waiting && $0.attempts == 0 })
    }
}
