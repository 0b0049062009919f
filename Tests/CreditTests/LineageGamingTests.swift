import Foundation
import Git
import Testing

@testable import Credit

/// The ways a dishonest participant tried to game lineage credit, each with the value credit
/// must keep. The setup is the one of the report: the kit's classifier.py has 9 lines, alice
/// adds 33 (her submission holds 78.6% code of her own, 21.4% the kit's), and bob's fork
/// changes one of alice's lines (1/42 of its code, 2.4%); every line has three tokens. With
/// contributivities alice 0.8 and bob 0.2, an honest fork leaves bob 0.2/42 = 0.0048, alice
/// 0.8 x 33/42 + 0.2 x 32/42 = 0.7810 and the kit 9/42 = 0.2143.
@Suite("Credit that cannot be gamed")
struct LineageGamingTests {
    static let kit = LineageCredit.startingKitKey
    static let honest: [String: Double] = [kit: 9.0 / 42, "alice/a1": 32.8 / 42, "bob/fork": 0.2 / 42]

    /// Lines `name_i = i` for i in `range` (three tokens each).
    static func code(_ name: String, _ range: ClosedRange<Int>) -> String {
        range.map { "\(name)_\($0) = \($0)\n" }.joined()
    }

    /// The kit, alice's a1 and a branch `bob` at a1 checked out; returns the fixture and the
    /// kit's and a1's commits.
    func setUp() throws -> (fixture: LineageFixture, kit: ObjectID, a1: ObjectID) {
        let fixture = try LineageFixture()
        try fixture.write(Self.code("kit", 1...9), to: "classifier.py")
        let kit = try fixture.commit("Kit")
        try fixture.append(Self.code("alice", 1...33), to: "classifier.py")
        let a1 = try fixture.commit("a1")
        try fixture.branch("bob", at: a1)
        return (fixture, kit, a1)
    }

    /// bob's honest one-line change: alice's line 11 (line 20 of the file) becomes his.
    func changeOneLine(_ fixture: LineageFixture, path: String = "classifier.py", indent: String = "") throws {
        try fixture.replaceLine(20, of: path, with: indent + "bob_1 = 1")
    }

    /// The shares of every submission, alice's a1 then `others` (pushed in an open phase).
    func credit(_ fixture: LineageFixture, kit: ObjectID, a1: ObjectID, _ others: [(String, ObjectID)]) throws -> LineageCreditResult {
        try LineageCredit.compute(
            repository: fixture.open(),
            submissions: [LineageSubmission(team: "alice", name: "a1", commit: a1)]
                + others.map { LineageSubmission(key: $0.0, team: String($0.0.split(separator: "/")[0]), commit: $0.1, isOpenAtPush: true) },
            startingKit: kit, isCredited: { _ in true })
    }

    func expectClose(_ actual: [String: Double], _ expected: [String: Double], sourceLocation: SourceLocation = #_sourceLocation) {
        for (key, value) in expected {
            #expect(abs((actual[key] ?? -1) - value) < 1e-12, "\(key): \(actual[key] ?? -1) instead of \(value)", sourceLocation: sourceLocation)
        }
    }

    /// bob's fork with `message`, and the historical contributivities it gives.
    func fork(
        message: String, contributivities: [String: Double] = ["alice/a1": 0.8, "bob/fork": 0.2]
    ) throws -> (LineageCreditResult, [String: Double]) {
        let (fixture, kit, a1) = try setUp()
        defer { fixture.remove() }
        try changeOneLine(fixture)
        let fork = try fixture.commit(message)
        let result = try credit(fixture, kit: kit, a1: a1, [("bob/fork", fork)])
        return (result, try result.historicalContributivities(contributivities: contributivities))
    }

    // MARK: Declared credit never overrides measured credit

    @Test func theHonestForkKeepsItsOwnShareAndNoCreditIsCountedTwice() throws {
        let (result, historical) = try fork(message: "Tune one parameter")
        #expect(result.submissions[0].tokenCounts == [Self.kit: 27, "alice/a1": 99])
        #expect(result.submissions[1].tokenCounts == [Self.kit: 27, "alice/a1": 96, "bob/fork": 3])
        expectClose(result.submissions[1].measured, [Self.kit: 9.0 / 42, "alice/a1": 32.0 / 42, "bob/fork": 1.0 / 42])
        expectClose(historical, Self.honest)
    }

    @Test func aZeroPercentTrailerToTheKitChangesNothing() throws {
        let (result, historical) = try fork(message: "Tune\n\nCredit: organisers/starting-kit 0%\n")
        expectClose(result.submissions[1].measured, [Self.kit: 9.0 / 42, "alice/a1": 32.0 / 42, "bob/fork": 1.0 / 42])
        expectClose(historical, Self.honest)
    }

    @Test func aColludingTeamGetsOnlyWhatTheForkWroteItself() throws {
        let (fixture, kit, a1) = try setUp()
        defer { fixture.remove() }
        // carol's constant model, pushed before the fork.
        try fixture.branch("carol", at: kit)
        try fixture.append("constant_model = 0.5\n", to: "classifier.py")
        let constant = try fixture.commit("Constant")
        try fixture.git("checkout", "--quiet", "bob")
        try changeOneLine(fixture)
        let fork = try fixture.commit("Tune\n\nCredit: carol/constant 100%\n")
        let result = try credit(fixture, kit: kit, a1: a1, [("carol/constant", constant), ("bob/fork", fork)])
        #expect(result.warnings.isEmpty)
        #expect(result.submissions[2].declared == ["carol/constant": 1])
        let historical = try result.historicalContributivities(contributivities: ["alice/a1": 0.8, "bob/fork": 0.2, "carol/constant": 0])
        // carol gets bob's own 1/42 of 0.2, nothing of alice's or the kit's.
        expectClose(historical, [Self.kit: 9.0 / 42, "alice/a1": 32.8 / 42, "bob/fork": 0, "carol/constant": 0.2 / 42])
    }

    @Test func anEmptyCommitOnTheKitTakesNothingFromIt() throws {
        let (fixture, kit, a1) = try setUp()
        defer { fixture.remove() }
        try fixture.branch("dave", at: kit)
        let empty = try fixture.commit("Nothing\n\nCredit: organisers/starting-kit 0%\n")
        let result = try credit(fixture, kit: kit, a1: a1, [("dave/empty", empty)])
        expectClose(result.submissions[1].measured, [Self.kit: 1, "dave/empty": 0])
        let historical = try result.historicalContributivities(contributivities: ["alice/a1": 0.8, "dave/empty": 0.2])
        expectClose(historical, [Self.kit: 0.8 * 9 / 42 + 0.2, "alice/a1": 0.8 * 33 / 42, "dave/empty": 0])
    }

    // MARK: Attribution survives formatting and file operations

    /// bob's fork after `game` (on top of the one-line change), in one or more commits.
    func ownShare(after game: (LineageFixture) throws -> Void) throws -> LineageShares {
        let (fixture, kit, a1) = try setUp()
        defer { fixture.remove() }
        try changeOneLine(fixture)
        try game(fixture)
        let fork = try fixture.commit("Fork")
        return try credit(fixture, kit: kit, a1: a1, [("bob/fork", fork)]).submissions[1]
    }

    @Test func reindentingKeepsEveryLineWithItsAuthor() throws {
        let shares = try ownShare { fixture in
            let indented = try fixture.read("classifier.py").split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
            try fixture.write("if True:\n" + indented, to: "classifier.py")
        }
        // "if True :" is bob's (3 tokens) besides his line.
        expectClose(shares.measured, [Self.kit: 27.0 / 129, "alice/a1": 96.0 / 129, "bob/fork": 6.0 / 129])
    }

    @Test func deletingAndAddingBackKeepsEveryLineWithItsAuthor() throws {
        let shares = try ownShare { fixture in
            let text = try fixture.read("classifier.py")
            try fixture.git("rm", "--quiet", "--force", "classifier.py")
            try fixture.commit("Remove the classifier")
            try fixture.write(text, to: "classifier.py")
        }
        expectClose(shares.measured, [Self.kit: 9.0 / 42, "alice/a1": 32.0 / 42, "bob/fork": 1.0 / 42])
    }

    @Test func copyingTheCodeToAnotherFileBehindAnImportKeepsItWithItsAuthor() throws {
        let shares = try ownShare { fixture in
            try fixture.write(try fixture.read("classifier.py"), to: "model_impl.py")
            try fixture.write("from model_impl import *\n", to: "classifier.py")
        }
        // The import line is bob's: 4 tokens.
        expectClose(shares.measured, [Self.kit: 27.0 / 130, "alice/a1": 96.0 / 130, "bob/fork": 7.0 / 130])
    }

    @Test func renamingTheCodeToATextFileWithALoaderKeepsItWithItsAuthor() throws {
        let loader = """
            import pathlib
            source = pathlib.Path(__file__).with_name("impl.txt").read_text()
            exec(compile(source, "impl.txt", "exec"))
            del source

            """
        let loaderTokens = try #require(LineageCredit.codeLines(of: loader, path: "classifier.py")).joined().count
        #expect(loaderTokens == 2 + 17 + 11 + 2)
        let shares = try ownShare { fixture in
            try fixture.move("classifier.py", to: "impl.txt")
            try fixture.write(loader, to: "classifier.py")
        }
        let total = Double(126 + loaderTokens)
        expectClose(shares.measured, [Self.kit: 27 / total, "alice/a1": 96 / total, "bob/fork": Double(3 + loaderTokens) / total])
    }

    @Test func commentsAndBlankPaddingWeighNothing() throws {
        let shares = try ownShare { fixture in
            try fixture.write((1...3000).map { "# note \($0): nothing to see here\n" }.joined(), to: "notes.py")
            try fixture.append(String(repeating: "\n", count: 500) + "\"\"\"A docstring of padding.\"\"\"\n", to: "classifier.py")
        }
        expectClose(shares.measured, [Self.kit: 9.0 / 42, "alice/a1": 32.0 / 42, "bob/fork": 1.0 / 42])
    }
}
