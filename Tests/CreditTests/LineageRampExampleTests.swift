import Foundation
import Git
import Testing

@testable import Credit

/// RAMP's worked example of historical contributivity, from git histories to the result, with
/// declared credit (RAMP's rule) and with measured shares (no credit counted twice).
/// Contributivities A 0.2, B 0.3, C 0.5; the starting kit, a submission of contributivity 0,
/// holds no credited file here.
@Suite("RAMP's worked example through lineage")
struct LineageRampExampleTests {
    let contributivities = ["team-a/a": 0.2, "team-b/b": 0.3, "team-c/c": 0.5]

    func expectHistorical(_ result: LineageCreditResult, _ expected: [String: Double], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.keys == [LineageCredit.startingKitKey, "team-a/a", "team-b/b", "team-c/c"], sourceLocation: sourceLocation)
        let historical = try result.historicalContributivities(contributivities: contributivities)
        #expect(Set(historical.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (key, value) in expected {
            #expect(abs(historical[key]! - value) < 1e-12, "\(key): \(historical[key]!)", sourceLocation: sourceLocation)
        }
        #expect(abs(historical.values.reduce(0, +) - 1) < 1e-12, "conserved", sourceLocation: sourceLocation)
    }

    /// A kit with only data; A, then B and C each on the one before, with the given files and
    /// messages.
    func ledger(
        _ fixture: LineageFixture, steps: [(files: [String: String], deleted: [String], message: String)]
    ) throws -> (ObjectID, [LineageSubmission]) {
        try fixture.write("id,x,y\n1,0.5,0\n", to: "data/train.csv")
        let kit = try fixture.commit("Kit")
        var submissions: [LineageSubmission] = []
        for ((team, name), step) in zip([("team-a", "a"), ("team-b", "b"), ("team-c", "c")], steps) {
            for path in step.deleted { try fixture.delete(path) }
            for (path, text) in step.files { try fixture.write(text, to: path) }
            submissions.append(LineageSubmission(team: team, name: name, commit: try fixture.commit(step.message)))
        }
        return (kit, submissions)
    }

    @Test func declaredCreditFollowsRampsRecursiveRule() throws {
        // Each submission's code is all its own; the trailers state the credit: C credits B
        // 50%, B credits A 50%. RAMP's result: A 0.475, B 0.275, C 0.25.
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let (kit, submissions) = try ledger(
            fixture,
            steps: [
                (["a.py": LineageFixture.lines("a", 3)], [], "A\n"),
                (["b.py": LineageFixture.lines("b", 5)], ["a.py"], "B\n\nCredit: team-a/a 50%\n"),
                (["c.py": LineageFixture.lines("c", 7)], ["b.py"], "C\n\nCredit: team-b/b 50%\n"),
            ])
        let result = try LineageCredit.compute(
            repository: fixture.open(), submissions: submissions, startingKit: kit,
            isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        #expect(
            result.creditedSubmissions(contributivities: contributivities) == [
                CreditedSubmission(contributivity: 0),
                CreditedSubmission(contributivity: 0.2),
                CreditedSubmission(contributivity: 0.3, credits: [CreditShare(submission: 1, fraction: 0.5)]),
                CreditedSubmission(contributivity: 0.5, credits: [CreditShare(submission: 2, fraction: 0.5)]),
            ])
        #expect(result.warnings.isEmpty)
        try expectHistorical(result, [LineageCredit.startingKitKey: 0, "team-a/a": 0.475, "team-b/b": 0.275, "team-c/c": 0.25])
    }

    @Test func measuredSharesAreNotSplitAgain() throws {
        // B holds A's 4 lines and 4 of its own; C drops A's file and holds B's 4 lines and 4
        // of its own. C's credit goes to B for B's lines, and no further: A's code is not in C.
        // A 0.2 + 0.3 x 0.5 = 0.35; B 0.3 x 0.5 + 0.5 x 0.5 = 0.4; C 0.5 x 0.5 = 0.25. (Split
        // again by B's own shares, as RAMP splits declared credit, A would get 0.125 more for
        // code C does not hold, and B 0.125 less.)
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let (kit, submissions) = try ledger(
            fixture,
            steps: [
                (["a.py": LineageFixture.lines("a", 4)], [], "A\n"),
                (["b.py": LineageFixture.lines("b", 4)], [], "B\n"),
                (["c.py": LineageFixture.lines("c", 4)], ["a.py"], "C\n"),
            ])
        let result = try LineageCredit.compute(
            repository: fixture.open(), submissions: submissions, startingKit: kit,
            isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        #expect(result.submissions.map(\.fixtureLines) == [["team-a/a": 4], ["team-a/a": 4, "team-b/b": 4], ["team-b/b": 4, "team-c/c": 4]])
        #expect(
            result.creditedSubmissions(contributivities: contributivities) == [
                CreditedSubmission(contributivity: 0),
                CreditedSubmission(contributivity: 0.2),
                CreditedSubmission(contributivity: 0.3, measured: [CreditShare(submission: 1, fraction: 0.5)]),
                CreditedSubmission(contributivity: 0.5, measured: [CreditShare(submission: 2, fraction: 0.5)]),
            ])
        try expectHistorical(result, [LineageCredit.startingKitKey: 0, "team-a/a": 0.35, "team-b/b": 0.4, "team-c/c": 0.25])
    }
}
