import Foundation
import Git
import Testing

@testable import Credit

/// Shares from lineage on constructed histories; the expected line counts are counted by hand
/// in the comments.
@Suite("Lineage credit")
struct LineageCreditTests {
    static let kit = LineageCredit.startingKitKey

    /// A starting kit: `model.py` (10 lines `kit 1` ... `kit 10`), plus files that are not
    /// credited (only `.py` files are).
    func makeKit(_ fixture: LineageFixture, extra: [String: String] = [:]) throws -> ObjectID {
        try fixture.write(LineageFixture.lines("kit", 10), to: "model.py")
        try fixture.write("id,x,y\n1,0.5,0\n2,0.7,1\n", to: "data/train.csv")
        try fixture.write("# Starting kit\n", to: "README.md")
        for (path, text) in extra { try fixture.write(text, to: path) }
        return try fixture.commit("Starting kit")
    }

    func credit(
        _ fixture: LineageFixture, kit: ObjectID, _ submissions: [(String, ObjectID)],
        isVisible: @escaping (Int, Int) -> Bool = { _, _ in true }
    ) throws -> LineageCreditResult {
        let list = submissions.map { key, commit in
            LineageSubmission(key: key, team: String(key.split(separator: "/")[0]), commit: commit)
        }
        return try LineageCredit.compute(
            repository: fixture.open(), submissions: list, startingKit: kit,
            isCredited: { $0.hasSuffix(".py") }, isVisible: isVisible)
    }

    /// Checks exact line counts by owner, and fractions equal to count / total.
    func expect(_ shares: LineageShares, _ counts: [String: Int], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(shares.fixtureLines == counts, sourceLocation: sourceLocation)
        #expect(shares.declared.isEmpty, sourceLocation: sourceLocation)
        let total = Double(counts.values.reduce(0, +))
        var expected = counts.mapValues { Double($0) / total }
        if expected[shares.key] == nil { expected[shares.key] = 0 }
        #expect(Set(shares.fractions.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (key, fraction) in expected {
            #expect(abs((shares.fractions[key] ?? -1) - fraction) < 1e-12, "\(key)", sourceLocation: sourceLocation)
        }
    }

    @Test func linearHistory() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        // a1: lines 1-2 rewritten, 3 lines added: 8 kit + 5 a1. The data file does not count.
        try fixture.replaceLine(1, of: "model.py", with: "alice 1")
        try fixture.replaceLine(2, of: "model.py", with: "alice 2")
        try fixture.append(LineageFixture.lines("alice", 3, from: 3), to: "model.py")
        try fixture.append("3,0.1,0\n", to: "data/train.csv")
        let a1 = try fixture.commit("a1")
        // a2, in two commits: features.py with 4 then 7 lines, all a2's.
        try fixture.write(LineageFixture.lines("feature", 4), to: "features.py")
        try fixture.commit("Work in progress")
        try fixture.append(LineageFixture.lines("feature", 3, from: 5), to: "features.py")
        let a2 = try fixture.commit("a2")
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("alice/a2", a2)])
        expect(result.startingKit, [Self.kit: 10])
        expect(result.submissions[0], [Self.kit: 8, "alice/a1": 5])
        expect(result.submissions[1], [Self.kit: 8, "alice/a1": 5, "alice/a2": 7])
        #expect(result.warnings.isEmpty)
    }

    @Test func sourceFilesOfOverAMegabyteAreNotCredited() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        // 2 lines of a1's own, and a generated "source" file of 1.1 MB in five places: no
        // one writes that by hand, and blaming it would be costly.
        try fixture.append(LineageFixture.lines("alice", 2, from: 11), to: "model.py")
        let generated = String(repeating: "x = 1  # generated\n", count: 60_000)
        for index in 0..<5 { try fixture.write(generated, to: "generated\(index).py") }
        let a1 = try fixture.commit("a1")
        let result = try credit(fixture, kit: kit, [("alice/a1", a1)])
        expect(result.submissions[0], [Self.kit: 10, "alice/a1": 2])
    }

    @Test func forkOfAnotherTeamAndForkOfAFork() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        try fixture.branch("alice", at: kit)
        try fixture.replaceLine(1, of: "model.py", with: "alice 1")
        try fixture.replaceLine(2, of: "model.py", with: "alice 2")
        try fixture.append(LineageFixture.lines("alice", 3, from: 3), to: "model.py")
        let a1 = try fixture.commit("a1")  // 8 kit + 5 a1
        try fixture.branch("bob", at: a1)
        try fixture.append(LineageFixture.lines("bob", 4), to: "model.py")
        let b1 = try fixture.commit("b1")  // 8 kit + 5 a1 + 4 b1
        try fixture.branch("carol", at: b1)
        try fixture.replaceLine(3, of: "model.py", with: "carol 3")  // was kit 3
        try fixture.write(LineageFixture.lines("carol", 2), to: "carol.py")
        let c1 = try fixture.commit("c1")  // 7 kit + 5 a1 + 4 b1 + 3 c1
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("bob/b1", b1), ("carol/c1", c1)])
        expect(result.submissions[0], [Self.kit: 8, "alice/a1": 5])
        expect(result.submissions[1], [Self.kit: 8, "alice/a1": 5, "bob/b1": 4])
        expect(result.submissions[2], [Self.kit: 7, "alice/a1": 5, "bob/b1": 4, "carol/c1": 3])
    }

    @Test func mergeOfTwoTeams() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        try fixture.branch("alice", at: kit)
        try fixture.replaceLine(1, of: "model.py", with: "alice 1")
        try fixture.replaceLine(2, of: "model.py", with: "alice 2")
        try fixture.append(LineageFixture.lines("alice", 3, from: 3), to: "model.py")
        let a1 = try fixture.commit("a1")  // model.py: 8 kit + 5 a1
        try fixture.branch("bob", at: kit)
        try fixture.write(LineageFixture.lines("bob", 6), to: "features.py")
        let b1 = try fixture.commit("b1")  // model.py: 10 kit; features.py: 6 b1
        try fixture.branch("carol", at: a1)
        try fixture.merge(b1, message: "Merge bob's features")
        try fixture.append(LineageFixture.lines("carol", 2), to: "features.py")
        let c1 = try fixture.commit("c1")  // 8 kit + 5 a1 + 6 b1 + 2 c1
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("bob/b1", b1), ("carol/c1", c1)])
        expect(result.submissions[1], [Self.kit: 10, "bob/b1": 6])
        expect(result.submissions[2], [Self.kit: 8, "alice/a1": 5, "bob/b1": 6, "carol/c1": 2])
    }

    @Test func mergeResolvingAConflictOwnsTheResolvedLine() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        try fixture.branch("alice", at: kit)
        try fixture.replaceLine(5, of: "model.py", with: "alice 5")
        try fixture.replaceLine(9, of: "model.py", with: "alice 9")
        let a1 = try fixture.commit("a1")  // 8 kit + 2 a1
        try fixture.branch("bob", at: kit)
        try fixture.replaceLine(5, of: "model.py", with: "bob 5")
        try fixture.replaceLine(1, of: "model.py", with: "bob 1")
        let b1 = try fixture.commit("b1")  // 8 kit + 2 b1
        try fixture.branch("carol", at: a1)
        #expect(throws: (any Error).self) { try fixture.merge(b1, message: "Merge") }
        try fixture.write(
            LineageFixture.lines("kit", 10).replacingOccurrences(of: "kit 5\n", with: "carol 5\n")
                .replacingOccurrences(of: "kit 9\n", with: "alice 9\n").replacingOccurrences(of: "kit 1\n", with: "bob 1\n"), to: "model.py")
        let c1 = try fixture.commit("Merge bob/b1, line 5 rewritten")
        #expect(try fixture.open().commit(c1).parentIDs == [a1, b1])
        // Line 1 from bob, line 9 from alice, line 5 the merge's own, 7 kit lines.
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("bob/b1", b1), ("carol/c1", c1)])
        expect(result.submissions[2], [Self.kit: 7, "alice/a1": 1, "bob/b1": 1, "carol/c1": 1])
    }

    @Test func renamedFiles() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        try fixture.move("model.py", to: "src/classifier.py")
        let a1 = try fixture.commit("a1: pure rename")  // 10 kit
        try fixture.move("src/classifier.py", to: "src/estimator.py")
        try fixture.replaceLine(4, of: "src/estimator.py", with: "alice 4")
        let a2 = try fixture.commit("a2: rename and edit")  // 9 kit + 1 a2
        try fixture.branch("bob", at: a2)
        try fixture.replaceLine(7, of: "src/estimator.py", with: "bob 7")
        let b1 = try fixture.commit("b1")  // 8 kit + 1 a2 + 1 b1
        // c1: a rename in a commit between submissions, then an edit at the tip.
        try fixture.branch("carol", at: b1)
        try fixture.move("src/estimator.py", to: "model/core.py")
        try fixture.replaceLine(8, of: "model/core.py", with: "carol 8")
        try fixture.commit("Rename")
        try fixture.replaceLine(9, of: "model/core.py", with: "carol 9")
        let c1 = try fixture.commit("c1")  // 6 kit + 1 a2 + 1 b1 + 2 c1
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("alice/a2", a2), ("bob/b1", b1), ("carol/c1", c1)])
        expect(result.submissions[0], [Self.kit: 10])
        expect(result.submissions[1], [Self.kit: 9, "alice/a2": 1])
        expect(result.submissions[2], [Self.kit: 8, "alice/a2": 1, "bob/b1": 1])
        expect(result.submissions[3], [Self.kit: 6, "alice/a2": 1, "bob/b1": 1, "carol/c1": 2])
    }

    @Test func deletedFileAndItsRestoredCopy() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture, extra: ["utils.py": LineageFixture.lines("util", 6)])
        try fixture.delete("utils.py")
        try fixture.append(LineageFixture.lines("alice", 2), to: "model.py")
        let a1 = try fixture.commit("a1")  // 10 kit + 2 a1; utils.py gone
        // b1 writes utils.py back as it was: the lines are new again, and b1's.
        try fixture.branch("bob", at: a1)
        try fixture.write(LineageFixture.lines("util", 6), to: "utils.py")
        let b1 = try fixture.commit("b1")  // 10 kit + 2 a1 + 6 b1
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("bob/b1", b1)])
        expect(result.startingKit, [Self.kit: 16])
        expect(result.submissions[0], [Self.kit: 10, "alice/a1": 2])
        expect(result.submissions[1], [Self.kit: 10, "alice/a1": 2, "bob/b1": 6])
    }

    @Test func rewrittenLines() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        for line in 3...6 { try fixture.replaceLine(line, of: "model.py", with: "alice \(line)") }
        let a1 = try fixture.commit("a1")  // 6 kit + 4 a1
        try fixture.branch("bob", at: a1)
        for line in [4, 5, 9] { try fixture.replaceLine(line, of: "model.py", with: "bob \(line)") }
        let b1 = try fixture.commit("b1")  // 5 kit + 2 a1 + 3 b1
        try fixture.branch("alice-again", at: a1)
        try fixture.write(LineageFixture.lines("new", 10), to: "model.py")
        let a2 = try fixture.commit("a2: everything rewritten")  // 10 a2
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("bob/b1", b1), ("alice/a2", a2)])
        expect(result.submissions[0], [Self.kit: 6, "alice/a1": 4])
        expect(result.submissions[1], [Self.kit: 5, "alice/a1": 2, "bob/b1": 3])
        expect(result.submissions[2], ["alice/a2": 10])
        #expect(result.submissions[2].selfShare == 1)
    }

    @Test func copyWithoutSharedHistoryEarnsNoCredit() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        try fixture.branch("alice", at: kit)
        try fixture.write(LineageFixture.lines("ensemble", 8), to: "ensemble.py")
        let a1 = try fixture.commit("a1")  // 10 kit + 8 a1
        // bob copies alice's file, byte for byte, on a history without alice's commits.
        try fixture.branch("bob", at: kit)
        try fixture.write(LineageFixture.lines("ensemble", 8), to: "ensemble.py")
        try fixture.write(LineageFixture.lines("ensemble", 8), to: "copy/also.py")
        let b1 = try fixture.commit("b1")  // 10 kit + 16 b1
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("bob/b1", b1)])
        expect(result.submissions[0], [Self.kit: 10, "alice/a1": 8])
        expect(result.submissions[1], [Self.kit: 10, "bob/b1": 16])
        #expect(result.submissions[1].fractions["alice/a1"] == nil)
    }

    @Test func noCreditedLinesKeepsEverything() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write("id,x\n1,2\n", to: "data/train.csv")
        let kit = try fixture.commit("Kit without code")
        try fixture.write("id,x\n1,2\n2,3\n", to: "data/train.csv")
        let a1 = try fixture.commit("a1: data only")
        try fixture.write(LineageFixture.lines("alice", 3), to: "model.py")
        // A symbolic link is never credited, even with a credited name.
        try FileManager.default.createSymbolicLink(
            atPath: fixture.directory.appendingPathComponent("link.py").path, withDestinationPath: "model.py")
        let a2 = try fixture.commit("a2")
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("alice/a2", a2)])
        #expect(result.startingKit.fractions == [Self.kit: 1])
        #expect(result.startingKit.creditedTokenCount == 0)
        #expect(result.submissions[0].fractions == ["alice/a1": 1])
        expect(result.submissions[1], ["alice/a2": 3])
    }

    @Test func sameCommitTwiceBelongsToTheFirst() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        try fixture.append(LineageFixture.lines("alice", 2), to: "model.py")
        let a1 = try fixture.commit("a1")
        let result = try credit(fixture, kit: kit, [("alice/a1", a1), ("bob/b1", a1)])
        expect(result.submissions[1], [Self.kit: 10, "alice/a1": 2])
        #expect(result.submissions[1].selfShare == 0)
    }

    @Test func aSubmissionThatCannotBeReadChangesNothing() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        try fixture.append(LineageFixture.lines("alice", 2), to: "model.py")
        let a1 = try fixture.commit("a1")
        let credit = try LineageCredit(repository: fixture.open(), startingKit: kit, isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        let missing = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        #expect(throws: GitError.self) { try credit.append(LineageSubmission(team: "bob", name: "b0", commit: missing)) }
        try credit.append(LineageSubmission(team: "alice", name: "a1", commit: a1))
        #expect(credit.submissions.map(\.key) == ["alice/a1"])
        expect(credit.shares[0], [Self.kit: 10, "alice/a1": 2])
    }

    @Test func duplicateKeysAreRefused() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let kit = try makeKit(fixture)
        let credit = try LineageCredit(repository: fixture.open(), startingKit: kit, isCredited: { _ in true }, isVisible: { _, _ in true })
        #expect(throws: LineageError.duplicateKey(LineageCredit.startingKitKey)) {
            try credit.append(LineageSubmission(key: LineageCredit.startingKitKey, team: "organisers", commit: kit))
        }
        try credit.append(LineageSubmission(team: "alice", name: "a1", commit: kit))
        #expect(throws: LineageError.duplicateKey("alice/a1")) {
            try credit.append(LineageSubmission(team: "alice", name: "a1", commit: kit))
        }
        #expect(credit.submissions.count == 1)
    }
}
