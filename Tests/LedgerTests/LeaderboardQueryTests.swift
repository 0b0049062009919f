import Challenge
import Foundation
import GRDB
import Testing
@testable import Ledger

/// A leaderboard read a page at a time from the ranking index.
@Suite("Leaderboard pages")
struct LeaderboardQueryTests {
    static let accuracy = RankingSpecification(question: "q", scoreType: "accuracy", split: .valid, lowerIsBetter: false)

    /// Twelve submissions of four teams: ten scored (accuracy 0.50 ... 0.95, two ties), one
    /// failed, one queued.
    static func filledLedger() async throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        try await fixture.ledger.useRankingSpecification(accuracy)
        let values = [0.5, 0.9, 0.7, 0.95, 0.6, 0.9, 0.55, 0.8, 0.65, 0.85]
        for (index, _) in values.enumerated() {
            try fixture.submit("team\(index % 4)", "s\(index)", phase: index < 5 ? "competitive" : "collaborative")
        }
        var position = 0
        while try await fixture.runNext(outcome: { id in
            defer { position += 1 }
            return LedgerFixture.scored(id, values[position])
        }) != nil {}
        try fixture.submit("team0", "broken")
        _ = try await fixture.runNext { _ in EvaluationOutcome(state: .trainingError, log: "Traceback") }
        try fixture.submit("team1", "waiting")
        return fixture
    }

    static func names(_ page: LeaderboardPage) -> [String] { page.entries.map(\.submission.name) }

    @Test func pagesFollowEachOtherInRankOrderThenTheUnrankedRows() async throws {
        let fixture = try await Self.filledLedger()
        var request = LeaderboardRequest(question: "q", limit: 5)
        let first = try await fixture.ledger.leaderboardPage(request)
        #expect(Self.names(first) == ["s3", "s1", "s5", "s9", "s7"], "ties (s1, s5 at 0.9) go to the earlier submission")
        #expect(first.entries.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(first.rankedCount == 10 && first.totalCount == 12)
        request.after = first.next
        let second = try await fixture.ledger.leaderboardPage(request)
        #expect(Self.names(second) == ["s2", "s8", "s4", "s6", "s0"])
        #expect(second.entries.map(\.rank) == [6, 7, 8, 9, 10])
        request.after = second.next
        let third = try await fixture.ledger.leaderboardPage(request)
        #expect(Self.names(third) == ["broken", "waiting"])
        #expect(third.entries.map(\.rank) == [nil, nil])
        #expect(third.next == nil)
        let whole = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q"))
        #expect(Self.names(whole) == Self.names(first) + Self.names(second) + Self.names(third))
        #expect(whole.entries[0].baggedScores.count == 2)
    }

    @Test func aPageEndingOnTheLastRankedRowLeadsToTheUnrankedOnes() async throws {
        let fixture = try await Self.filledLedger()
        let first = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q", limit: 10))
        #expect(first.entries.last?.rank == 10)
        let rest = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q", limit: 10, after: first.next))
        #expect(Self.names(rest) == ["broken", "waiting"])
    }

    @Test func bestPerTeamAndPhaseFilters() async throws {
        let fixture = try await Self.filledLedger()
        let best = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q", bestPerTeam: true, limit: 2))
        #expect(Self.names(best) == ["s3", "s1"])
        #expect(best.rankedCount == 4 && best.totalCount == 4)
        let rest = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q", bestPerTeam: true, limit: 2, after: best.next))
        #expect(Self.names(rest) == ["s2", "s8"], "team2's best is s2 (0.7), team0's is s8 (0.65)")
        #expect(rest.entries.map(\.rank) == [3, 4])
        #expect(rest.next == nil)
        let competitive = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q", phase: "competitive"))
        #expect(Self.names(competitive) == ["s3", "s1", "s2", "s4", "s0"])
        #expect(competitive.entries.map(\.rank) == [1, 2, 3, 4, 5])
    }

    @Test func aChangedRankingSpecificationReranksEveryEvaluation() async throws {
        let fixture = try await Self.filledLedger()
        let lowerFirst = RankingSpecification(question: "q", scoreType: "accuracy", split: .test, lowerIsBetter: true)
        #expect(try await fixture.ledger.useRankingSpecification(lowerFirst))
        #expect(try await fixture.ledger.useRankingSpecification(lowerFirst) == false, "unchanged: nothing recomputed")
        let page = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q", limit: 3))
        #expect(Self.names(page) == ["s0", "s6", "s4"])
        let unknown = RankingSpecification(question: "q", scoreType: "roc_auc", split: .valid, lowerIsBetter: false)
        try await fixture.ledger.useRankingSpecification(unknown)
        let none = try await fixture.ledger.leaderboardPage(LeaderboardRequest(question: "q"))
        #expect(none.rankedCount == 0 && none.totalCount == 12, "no evaluation has that score: none is ranked")
    }

    @Test func cursorsReadBackWhatTheyWrite() {
        let cursors: [LeaderboardCursor] = [.ranked(rank: 50, key: -0.9375, evaluationID: 1234), .unranked(evaluationID: 7)]
        for cursor in cursors { #expect(LeaderboardCursor(cursor.description) == cursor) }
        for text in ["", "r", "r.1.zz.3", "u.x", "x.1", "r.-1.0.1", "r.9223372036854775807.0.0"] {
            #expect(LeaderboardCursor(text) == nil, "\(text)")
        }
    }

    @Test func theRankedPageUsesTheRankingIndex() async throws {
        let fixture = try await Self.filledLedger()
        let plan = try await fixture.ledger.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT id, rankingKey FROM (SELECT e.id AS id, e.rankingKey AS rankingKey FROM evaluations e
                    WHERE e.question = 'q' AND e.rankingKey IS NOT NULL) WHERE (rankingKey, id) > (0.5, 3) ORDER BY rankingKey, id LIMIT 51
                    """
            ).map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("evaluations_ranked"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "no sort of the whole question: \(plan)")
    }
}
