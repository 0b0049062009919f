import Foundation
import Testing
@testable import Ledger

/// Quotas hold when pushes check them at the same moment, and a push is recorded with the
/// instant and phase its check used.
@Suite("Submission reservations and quotas")
struct ReservationTests {
    /// At most `maximum` submissions in all.
    static func total(_ maximum: Int) -> ([Date]) -> String? {
        { counted in counted.count >= maximum ? "quota: at most \(maximum) submissions in all" : nil }
    }

    /// New submissions of these names, each with its own tree and code.
    static func requested(_ names: String...) -> [RequestedSubmission] {
        names.map { RequestedSubmission(name: $0, treeID: tree($0), codeFingerprint: code($0)) }
    }

    /// A submission `name` (its own tree) whose code is `code`.
    static func requested(_ name: String, code seed: String) -> RequestedSubmission {
        RequestedSubmission(name: name, treeID: tree(name), codeFingerprint: code(seed))
    }

    /// A code fingerprint made from `seed` (64 hexadecimal digits).
    static func code(_ seed: String) -> String {
        String((tree(seed) + String(repeating: "f", count: 24)).prefix(64))
    }

    /// A tree id made from `seed` (40 hexadecimal digits).
    static func tree(_ seed: String) -> String {
        let hex = seed.utf8.map { String(format: "%02x", $0) }.joined()
        return String((hex + String(repeating: "0", count: 40)).prefix(40))
    }

    @Test func simultaneousPushesFromSeveralProcessesPassAQuotaExactlyAsOftenAsItAllows() async throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.addTeam("alice")
        try fixture.submit("alice", "earlier")
        // Ten hook processes, each with its own connection to the file, check one name each.
        let ledgers = try (0..<10).map { _ in try fixture.otherProcess() }
        let refusals = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, ledger) in ledgers.enumerated() {
                group.addTask {
                    try ledger.reserveSubmissions(
                        team: "alice", requested: Self.requested("push-\(index)"), pusher: "alice", phase: "competitive",
                        at: Date(), countOwnErrors: true, quota: Self.total(4)
                    ).count
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(refusals.filter { $0 == 0 }.count == 3, "one earlier submission and a quota of 4: exactly 3 more")
        #expect(refusals.filter { $0 == 1 }.count == 7)
        #expect(try fixture.ledger.reservations(before: Date().addingTimeInterval(1)).count == 3)
    }

    @Test func aNameReservedByOnePushIsRefusedToAnother() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.addTeam("alice")
        let first = try fixture.ledger.reserveSubmissions(
            team: "alice", requested: Self.requested("v1"), pusher: "alice", phase: nil, at: Date(),
            countOwnErrors: true, quota: Self.total(10))
        #expect(first.isEmpty)
        let second = try fixture.ledger.reserveSubmissions(
            team: "alice", requested: Self.requested("v2", "v1"), pusher: "alice", phase: nil, at: Date(),
            countOwnErrors: true, quota: Self.total(10))
        #expect(second.map(\.name) == ["v1"])
        #expect(second.first?.refusal.contains("already used the name 'v1'") == true)
        #expect(try fixture.ledger.reservations(before: Date().addingTimeInterval(1)).map(\.name) == ["v1"], "a refused push reserves nothing")
    }

    @Test func theSameCodeIsReservedOnceWhateverTheNameTheTreeOrTheProcess() async throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.addTeam("alice")
        let code = "lottery"
        // Ten processes push the same code (in ten trees: other comments) under ten names at
        // once: one name gets it.
        let ledgers = try (0..<10).map { _ in try fixture.otherProcess() }
        let refusals = try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, ledger) in ledgers.enumerated() {
                group.addTask {
                    try ledger.reserveSubmissions(
                        team: "alice", requested: [Self.requested("draw-\(index)", code: code)], pusher: "alice",
                        phase: nil, at: Date(), countOwnErrors: true, quota: Self.total(100)
                    ).map(\.refusal)
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(refusals.filter(\.isEmpty).count == 1)
        #expect(refusals.filter { $0.count == 1 && $0[0].contains("its code is that of your submission 'draw-") }.count == 9)
        let reserved = try fixture.ledger.reservations(before: Date().addingTimeInterval(1))
        #expect(reserved.count == 1)
        // Recorded, its code still refuses a copy; within one push, the second copy is refused.
        _ = try fixture.ledger.recordSubmission(
            team: "alice", name: reserved[0].name, commitID: String(repeating: "c", count: 40), pusher: "alice",
            questions: ["q"], treeID: Self.tree(reserved[0].name), codeFingerprint: Self.code(code))
        let again = try fixture.ledger.reserveSubmissions(
            team: "alice", requested: [Self.requested("again", code: code)], pusher: "alice", phase: nil, at: Date(),
            countOwnErrors: true, quota: Self.total(100))
        #expect(again.map(\.refusal) == [Ledger.sameCodeRefusal(earlier: reserved[0].name)])
        let pair = try fixture.ledger.reserveSubmissions(
            team: "alice", requested: [Self.requested("one", code: "new"), Self.requested("two", code: "new")],
            pusher: "alice", phase: nil, at: Date(), countOwnErrors: true, quota: Self.total(100))
        #expect(pair.map(\.name) == ["two"])
        #expect(pair.first?.refusal.contains("your submission 'one'") == true)
        // Another team may hold the same code.
        try fixture.ledger.addTeam("bob")
        #expect(
            try fixture.ledger.reserveSubmissions(
                team: "bob", requested: [Self.requested("fork", code: code)], pusher: "bob", phase: nil, at: Date(),
                countOwnErrors: true, quota: Self.total(100)
            ).isEmpty)
    }

    @Test func submissionsRecordedBeforeTreesWereKeptGetTheirsFilledIn() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.addTeam("alice")
        let commit = String(repeating: "d", count: 40)
        _ = try fixture.ledger.recordSubmission(team: "alice", name: "old", commitID: commit, pusher: "alice", questions: ["q"])
        _ = try fixture.ledger.recordSubmission(
            team: "alice", name: "unreadable", commitID: String(repeating: "e", count: 40),
            pusher: "alice", questions: ["q"])
        let filled = try fixture.ledger.fillMissingTrees { $0 == commit ? (Self.tree("old"), Self.code("old")) : nil }
        #expect(filled == 1)
        #expect(try fixture.ledger.fillMissingTrees { _ in nil } == 0, "the unreadable one waits for the next pass")
        let refusals = try fixture.ledger.reserveSubmissions(
            team: "alice", requested: [Self.requested("copy", code: "old")], pusher: "alice", phase: nil, at: Date(),
            countOwnErrors: true, quota: Self.total(100))
        #expect(refusals.map(\.refusal) == [Ledger.sameCodeRefusal(earlier: "old")])
    }

    @Test func theRecordingKeepsTheInstantPhaseAndPusherOfTheCheck() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.addTeam("alice")
        let checkedAt = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(
            try fixture.ledger.reserveSubmissions(
                team: "alice", requested: Self.requested("late"), pusher: "alice", phase: "collaborative", at: checkedAt,
                countOwnErrors: true, quota: Self.total(10)
            ).isEmpty)
        // Recorded seconds later, after the phase changed, by the reconciler that does not know the pusher.
        let (submission, created) = try fixture.ledger.recordSubmission(
            team: "alice", name: "late", commitID: String(repeating: "b", count: 40), pusher: "unknown", questions: ["q"],
            phase: "final", at: checkedAt.addingTimeInterval(5))
        #expect(created)
        #expect(submission.submittedAt == checkedAt)
        #expect(submission.phase == "collaborative")
        #expect(submission.pusher == "alice")
        #expect(try fixture.ledger.reservations(before: Date()).isEmpty, "the reservation is consumed")
    }

    @Test func quotasCountRecordedAndReservedSubmissionsButNotTheHubsFailures() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try fixture.submit("alice", "hub-failed")
        try fixture.submit("alice", "own-error")
        for _ in 1...Ledger.maximumAttempts { _ = try await fixture.runNext { _ in .infrastructureFailure("disk") } }
        _ = try await fixture.runNext { _ in EvaluationOutcome(state: .trainingError, log: "Traceback") }
        #expect(try ledger.quotaCountingSubmissionTimes(team: "alice", countOwnErrors: true).count == 1)
        #expect(try ledger.quotaCountingSubmissionTimes(team: "alice", countOwnErrors: false).isEmpty)
        var seen: [Int] = []
        _ = try ledger.reserveSubmissions(
            team: "alice", requested: Self.requested("a", "b"), pusher: "alice", phase: nil, at: Date(), countOwnErrors: true
        ) { counted in
            seen.append(counted.count)
            return nil
        }
        #expect(seen == [1, 2], "the push's earlier names count for its later ones")
    }
}

/// Work that one process of a hub does at a time.
@Suite("Service leases")
struct ServiceLeaseTests {
    @Test func oneHolderAtATimeUntilItsLeaseExpiresOrItLetsGo() async throws {
        let fixture = try LedgerFixture()
        let first = fixture.ledger
        let second = try fixture.otherProcess()
        let now = Date()
        #expect(try await first.holdServiceLease("credit", owner: "a", seconds: 30, now: now))
        #expect(try await second.holdServiceLease("credit", owner: "b", seconds: 30, now: now.addingTimeInterval(10)) == false)
        #expect(try await first.holdServiceLease("credit", owner: "a", seconds: 30, now: now.addingTimeInterval(20)), "renewed")
        #expect(try await second.holdServiceLease("credit", owner: "b", seconds: 30, now: now.addingTimeInterval(40)) == false)
        #expect(try await second.holdServiceLease("credit", owner: "b", seconds: 30, now: now.addingTimeInterval(51)), "a's lease expired")
        try await second.releaseServiceLease("credit", owner: "b")
        #expect(try await first.holdServiceLease("credit", owner: "a", seconds: 30, now: now.addingTimeInterval(52)))
        #expect(try await first.holdServiceLease("maintenance", owner: "b", seconds: 30, now: now), "leases are by name")
    }
}
