import Foundation
import Git
import Testing

@testable import Credit

/// `Credit:` trailers: parsing, and their validation when they replace lineage shares.
@Suite("Credit trailers")
struct LineageTrailerTests {
    static let kit = LineageCredit.startingKitKey

    @Test func parsesTheTrailersOfTheLastParagraph() {
        let message = "Fork bob's model\n\nBody text: kept.\n\nCredit: bob/b1 30%\ncredit: alice/a1 12.5 %\nSigned-off-by: A <a@example.invalid>\n"
        let parsed = CreditTrailer.parse(message: message)
        #expect(
            parsed.trailers == [
                CreditTrailer(submission: "bob/b1", percent: 30, text: "Credit: bob/b1 30%"),
                CreditTrailer(submission: "alice/a1", percent: 12.5, text: "credit: alice/a1 12.5 %"),
            ])
        #expect(parsed.problems.isEmpty)
        #expect(parsed.trailers[1].fraction == 0.125)
    }

    @Test func reportsMalformedTrailers() {
        let message = "Title\n\nCredit: bob 30%\nCredit: bob/b1 thirty%\nCredit: bob/b1 30\nCREDIT : carol/c1 5%\nCredit: a/b/c 1%\n"
        let parsed = CreditTrailer.parse(message: message)
        #expect(parsed.trailers == [CreditTrailer(submission: "carol/c1", percent: 5, text: "CREDIT : carol/c1 5%")])
        #expect(
            parsed.problems == [
                "ignored 'Credit: bob 30%': expected 'Credit: team/submission percent%'",
                "ignored 'Credit: bob/b1 thirty%': expected 'Credit: team/submission percent%'",
                "ignored 'Credit: bob/b1 30': expected 'Credit: team/submission percent%'",
                "ignored 'Credit: a/b/c 1%': expected 'Credit: team/submission percent%'",
            ])
    }

    @Test func creditLinesOutsideTheTrailerBlockAreReported() {
        let title = CreditTrailer.parse(message: "Credit: bob/b1 30%\n")
        #expect(title.trailers.isEmpty)
        #expect(title.problems == ["ignored 'Credit: bob/b1 30%': not in the trailer block (the last paragraph of the message)"])
        let prose = CreditTrailer.parse(message: "Title\n\nCredit: bob/b1 30%\nwe used their features\n")
        #expect(prose.trailers.isEmpty)
        #expect(prose.problems.count == 1)
        let early = CreditTrailer.parse(message: "Title\n\nCredit: bob/b1 30%\n\nReviewed-by: C <c@example.invalid>\n")
        #expect(early.trailers.isEmpty)
        #expect(early.problems.count == 1)
    }

    @Test func followsGitRulesForMixedBlocksAndContinuations() {
        // A quarter of trailers is enough with a git-generated one.
        let mixed = CreditTrailer.parse(message: "Title\n\nsome text\nmore text\nCredit: bob/b1 10%\nSigned-off-by: A <a@example.invalid>\n")
        #expect(mixed.trailers.map(\.submission) == ["bob/b1"])
        // A value folded onto an indented line.
        let folded = CreditTrailer.parse(message: "Title\n\nCredit: bob/b1\n  40%\n")
        #expect(folded.trailers == [CreditTrailer(submission: "bob/b1", percent: 40, text: "Credit: bob/b1 40%")])
    }

    /// Kit (model.py, 10 lines), alice/a1 (+2 lines), bob/b1 forking a1 (+2 lines), with the
    /// given messages; bob/b1's measured shares: kit 10, a1 2, b1 2 lines of 14.
    func credit(
        a1Message: String = "a1", b1Message: String, isVisible: ((Int, Int) -> Bool)? = { _, _ in true }
    ) throws -> LineageCreditResult {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write(LineageFixture.lines("kit", 10), to: "model.py")
        let kit = try fixture.commit("Kit")
        try fixture.append(LineageFixture.lines("alice", 2), to: "model.py")
        let a1 = try fixture.commit(a1Message)
        try fixture.append(LineageFixture.lines("bob", 2), to: "model.py")
        let b1 = try fixture.commit(b1Message)
        return try LineageCredit.compute(
            repository: fixture.open(),
            submissions: [LineageSubmission(team: "alice", name: "a1", commit: a1), LineageSubmission(team: "bob", name: "b1", commit: b1)],
            startingKit: kit, isCredited: { $0.hasSuffix(".py") }, isVisible: isVisible)
    }

    let measured: [String: Int] = [LineageCredit.startingKitKey: 10, "alice/a1": 2, "bob/b1": 2]

    /// The measured shares of bob/b1 are always its lines' (floors), whatever it declares.
    func expectMeasured(_ shares: LineageShares, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(shares.fixtureLines == measured, sourceLocation: sourceLocation)
        #expect(abs(shares.measured[Self.kit]! - 10.0 / 14) < 1e-12, sourceLocation: sourceLocation)
        #expect(abs(shares.measured["bob/b1"]! - 2.0 / 14) < 1e-12, sourceLocation: sourceLocation)
    }

    func expectFractions(_ shares: LineageShares, _ expected: [String: Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(shares.fractions.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (key, value) in expected {
            #expect(abs((shares.fractions[key] ?? -1) - value) < 1e-12, "\(key)", sourceLocation: sourceLocation)
        }
    }

    @Test func validTrailersGiveAwayOnlyTheSubmittersOwnShare() throws {
        let result = try credit(b1Message: "b1\n\nCredit: organisers/starting-kit 10%\nCredit: alice/a1 25.5%\n")
        let shares = result.submissions[1]
        expectMeasured(shares)
        #expect(shares.declared == [Self.kit: 0.1, "alice/a1": 0.255])
        let own = 2.0 / 14
        expectFractions(shares, [Self.kit: 10.0 / 14 + own * 0.1, "alice/a1": 2.0 / 14 + own * 0.255, "bob/b1": own * 0.645])
        #expect(result.warnings.isEmpty)
        let all = try credit(b1Message: "b1\n\nCredit: alice/a1 60%\nCredit: alice/a1 40%\n")
        expectFractions(all.submissions[1], [Self.kit: 10.0 / 14, "alice/a1": 4.0 / 14, "bob/b1": 0])
    }

    @Test func aTrailerCannotTakeMeasuredCreditAway() throws {
        // "Credit: organisers/starting-kit 0%" gives nothing, and takes nothing from anyone.
        let zero = try credit(b1Message: "b1\n\nCredit: organisers/starting-kit 0%\n")
        expectMeasured(zero.submissions[1])
        expectFractions(zero.submissions[1], [Self.kit: 10.0 / 14, "alice/a1": 2.0 / 14, "bob/b1": 2.0 / 14])
    }

    @Test func trailersOverOneHundredPercentAreIgnored() throws {
        let result = try credit(b1Message: "b1\n\nCredit: alice/a1 60%\nCredit: organisers/starting-kit 50%\n")
        expectMeasured(result.submissions[1])
        #expect(result.submissions[1].declared.isEmpty)
        #expect(
            result.warnings.map(\.description) == [
                "bob/b1: ignored 'Credit: alice/a1 60%', 'Credit: organisers/starting-kit 50%': together they give 110%, more than 100%"
            ])
        let single = try credit(b1Message: "b1\n\nCredit: alice/a1 100.5%\n")
        #expect(single.submissions[1].declared.isEmpty)
        #expect(single.warnings.count == 1)
    }

    @Test func trailersForLaterUnknownOrOwnSubmissionsAreIgnored() throws {
        let result = try credit(
            a1Message: "a1\n\nCredit: bob/b1 20%\n",
            b1Message: "b1\n\nCredit: nobody/x 5%\nCredit: bob/b1 50%\nCredit: alice/a1 30%\n")
        #expect(result.submissions[0].declared.isEmpty)
        #expect(result.submissions[0].fixtureLines == [Self.kit: 10, "alice/a1": 2])
        #expect(result.submissions[1].declared == ["alice/a1": 0.3])
        #expect(
            result.warnings.map(\.description) == [
                "alice/a1: ignored 'Credit: bob/b1 20%': no earlier submission is named bob/b1",
                "bob/b1: ignored 'Credit: nobody/x 5%': no earlier submission is named nobody/x",
                "bob/b1: ignored 'Credit: bob/b1 50%': a submission cannot credit itself",
            ])
    }

    @Test func trailersForInvisibleSubmissionsAreIgnored() throws {
        var asked: [[Int]] = []
        let result = try credit(
            b1Message: "b1\n\nCredit: alice/a1 30%\nCredit: organisers/starting-kit 20%\n",
            isVisible: { giver, receiver in
                asked.append([giver, receiver])
                return false
            })
        #expect(asked == [[1, 0]])
        #expect(result.submissions[1].declared == [Self.kit: 0.2])
        #expect(result.warnings.map(\.description) == ["bob/b1: ignored 'Credit: alice/a1 30%': alice/a1 was not visible to bob/b1"])
        let only = try credit(b1Message: "b1\n\nCredit: alice/a1 30%\n", isVisible: { _, _ in false })
        expectMeasured(only.submissions[1])
        #expect(only.submissions[1].declared.isEmpty)
        #expect(only.warnings.count == 1)
    }

    @Test func theHubsRuleSeesTheSameTeamAndWhatWasOpenAtPush() throws {
        // Without a rule given: bob's b1 (another team) may be named only when pushed while open.
        let closed = try credit(b1Message: "b1\n\nCredit: alice/a1 30%\n", isVisible: nil)
        #expect(closed.submissions[1].declared.isEmpty)
        #expect(closed.warnings.map(\.description) == ["bob/b1: ignored 'Credit: alice/a1 30%': alice/a1 was not visible to bob/b1"])
    }

    @Test func everyWarningIsOneLine() throws {
        let result = try credit(b1Message: "Credit: alice/a1 30%\n\nCredit: alice\nCredit: later/x 1%\nCredit: alice/a1 101%\n")
        #expect(result.warnings.count == 4)
        #expect(result.warnings.allSatisfy { !$0.description.contains("\n") && $0.submission == "bob/b1" })
    }
}
