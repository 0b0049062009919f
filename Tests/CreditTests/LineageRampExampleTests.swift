import Foundation
import Git
import Testing

@testable import Credit

/// RAMP's worked example of historical contributivity, from git histories to the result:
/// contributivities A 0.2, B 0.3, C 0.5; C credits B 50%; B credits A 50%; the result is
/// A 0.475, B 0.275, C 0.25 (and the starting kit, a submission of contributivity 0, keeps 0).
@Suite("RAMP's worked example through lineage")
struct LineageRampExampleTests {
    let contributivities = ["team-a/a": 0.2, "team-b/b": 0.3, "team-c/c": 0.5]

    func expectRampResult(_ result: LineageCreditResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let submissions = result.creditedSubmissions(contributivities: contributivities)
        #expect(result.keys == [LineageCredit.startingKitKey, "team-a/a", "team-b/b", "team-c/c"], sourceLocation: sourceLocation)
        #expect(submissions == [
            CreditedSubmission(contributivity: 0),
            CreditedSubmission(contributivity: 0.2),
            CreditedSubmission(contributivity: 0.3, credits: [CreditShare(submission: 1, fraction: 0.5)]),
            CreditedSubmission(contributivity: 0.5, credits: [CreditShare(submission: 2, fraction: 0.5)]),
        ], sourceLocation: sourceLocation)
        let historical = try result.historicalContributivities(contributivities: contributivities)
        let expected = [LineageCredit.startingKitKey: 0, "team-a/a": 0.475, "team-b/b": 0.275, "team-c/c": 0.25]
        #expect(Set(historical.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (key, value) in expected {
            #expect(abs(historical[key]! - value) < 1e-12, "\(key)", sourceLocation: sourceLocation)
        }
    }

    @Test func sharesFromLines() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        // The kit holds no credited file, so A's lines are all its own.
        try fixture.write("id,x,y\n1,0.5,0\n", to: "data/train.csv")
        let kit = try fixture.commit("Kit")
        try fixture.write(LineageFixture.lines("a", 4), to: "a.py")
        let a = try fixture.commit("A")  // 4 A
        try fixture.write(LineageFixture.lines("b", 4), to: "b.py")
        let b = try fixture.commit("B")  // 4 A + 4 B: B credits A 50%
        try fixture.delete("a.py")
        try fixture.write(LineageFixture.lines("c", 4), to: "c.py")
        let c = try fixture.commit("C")  // 4 B + 4 C: C credits B 50%
        let result = try LineageCredit.compute(
            repository: fixture.open(),
            submissions: [
                LineageSubmission(team: "team-a", name: "a", commit: a), LineageSubmission(team: "team-b", name: "b", commit: b),
                LineageSubmission(team: "team-c", name: "c", commit: c),
            ],
            startingKit: kit, isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        #expect(result.submissions.map(\.lineCounts) == [["team-a/a": 4], ["team-a/a": 4, "team-b/b": 4], ["team-b/b": 4, "team-c/c": 4]])
        try expectRampResult(result)
    }

    @Test func sharesFromTrailers() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        // Here every submission builds on the kit's 10 lines; trailers state the shares.
        try fixture.write(LineageFixture.lines("kit", 10), to: "model.py")
        let kit = try fixture.commit("Kit")
        try fixture.append(LineageFixture.lines("a", 3), to: "model.py")
        let a = try fixture.commit("A\n\nCredit: organisers/starting-kit 0%\n")
        try fixture.append(LineageFixture.lines("b", 5), to: "model.py")
        let b = try fixture.commit("B\n\nCredit: team-a/a 50%\n")
        try fixture.append(LineageFixture.lines("c", 7), to: "model.py")
        let c = try fixture.commit("C\n\nCredit: team-b/b 50%\n")
        let credit = try LineageCredit(
            repository: fixture.open(), startingKit: kit, isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        for (team, name, commit) in [("team-a", "a", a), ("team-b", "b", b), ("team-c", "c", c)] {
            try credit.append(LineageSubmission(team: team, name: name, commit: commit))
        }
        #expect(credit.shares.allSatisfy { $0.origin == .trailers })
        #expect(credit.shares[2].lineCounts == [LineageCredit.startingKitKey: 10, "team-a/a": 3, "team-b/b": 5, "team-c/c": 7])
        #expect(credit.warnings.isEmpty)
        try expectRampResult(credit.result)
    }
}
