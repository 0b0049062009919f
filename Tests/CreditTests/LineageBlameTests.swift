import Foundation
import Git
import Testing

/// What `Repository.blame` (libgit2 1.5's `git_blame_file`) reports, renames included.
@Suite("Blame through libgit2")
struct LineageBlameTests {
    /// Line `line` (1-based) of a blame: its commit and its path and line in that commit.
    func origin(of line: Int, in hunks: [BlameHunk]) -> (commit: ObjectID, path: String, line: Int)? {
        guard let hunk = hunks.first(where: { $0.startLine <= line && line < $0.startLine + $0.lineCount }) else { return nil }
        return (hunk.commitID, hunk.originalPath, hunk.originalStartLine + line - hunk.startLine)
    }

    @Test func attributesChangedLinesToTheirCommits() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write(LineageFixture.lines("kit", 10), to: "model.py")
        let kit = try fixture.commit("Kit")
        try fixture.replaceLine(5, of: "model.py", with: "changed 5")
        try fixture.append("added 11\n", to: "model.py")
        let second = try fixture.commit("Change")
        let hunks = try fixture.open().blame(path: "model.py", newestCommit: second)
        #expect(
            hunks == [
                BlameHunk(startLine: 1, lineCount: 4, commitID: kit, originalPath: "model.py", originalStartLine: 1, isBoundary: true),
                BlameHunk(startLine: 5, lineCount: 1, commitID: second, originalPath: "model.py", originalStartLine: 5),
                BlameHunk(startLine: 6, lineCount: 5, commitID: kit, originalPath: "model.py", originalStartLine: 6, isBoundary: true),
                BlameHunk(startLine: 11, lineCount: 1, commitID: second, originalPath: "model.py", originalStartLine: 11),
            ])
        // Blaming an older commit ignores what came after it.
        let old = try fixture.open().blame(path: "model.py", newestCommit: kit)
        #expect(old == [BlameHunk(startLine: 1, lineCount: 10, commitID: kit, originalPath: "model.py", originalStartLine: 1, isBoundary: true)])
    }

    @Test func followsRenamesWithAndWithoutEdits() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write(LineageFixture.lines("kit", 10), to: "model.py")
        let kit = try fixture.commit("Kit")
        try fixture.move("model.py", to: "classifier.py")
        try fixture.commit("Pure rename")
        try fixture.move("classifier.py", to: "src/estimator.py")
        try fixture.replaceLine(3, of: "src/estimator.py", with: "edited while renamed")
        let renamed = try fixture.commit("Rename and edit")
        let hunks = try fixture.open().blame(path: "src/estimator.py", newestCommit: renamed)
        #expect(hunks.reduce(0) { $0 + $1.lineCount } == 10)
        for line in [1, 2, 4, 10] {
            let found = try #require(origin(of: line, in: hunks))
            #expect(found.commit == kit)
            #expect(found.path == "model.py")
            #expect(found.line == line)
        }
        #expect(origin(of: 3, in: hunks)?.commit == renamed)
        #expect(origin(of: 3, in: hunks)?.path == "src/estimator.py")
    }

    @Test func doesNotFollowCopiesOrRewrites() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write(LineageFixture.lines("kit", 10), to: "model.py")
        try fixture.commit("Kit")
        // A copy: the original stays, so nothing was renamed.
        try fixture.write(try fixture.read("model.py"), to: "copy.py")
        let copied = try fixture.commit("Copy")
        // A rename with most lines rewritten: under 50% similar, so a deletion and a new file.
        try fixture.move("model.py", to: "rewritten.py")
        try fixture.write(LineageFixture.lines("kit", 3) + LineageFixture.lines("new", 7), to: "rewritten.py")
        let rewritten = try fixture.commit("Rename and rewrite")
        let repository = try fixture.open()
        #expect(try repository.blame(path: "copy.py", newestCommit: rewritten).map(\.commitID) == [copied])
        #expect(try repository.blame(path: "rewritten.py", newestCommit: rewritten).map(\.commitID) == [rewritten])
    }

    @Test func mergesBlameEachParent() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write(LineageFixture.lines("kit", 4), to: "model.py")
        let kit = try fixture.commit("Kit")
        try fixture.branch("left", at: kit)
        try fixture.write(LineageFixture.lines("left", 2) + LineageFixture.lines("kit", 4), to: "model.py")
        let left = try fixture.commit("Left")
        try fixture.branch("right", at: kit)
        try fixture.append(LineageFixture.lines("right", 3), to: "model.py")
        let right = try fixture.commit("Right")
        let merge = try fixture.merge(left, message: "Merge")
        let hunks = try fixture.open().blame(path: "model.py", newestCommit: merge)
        let commits = (1...9).map { origin(of: $0, in: hunks)?.commit }
        #expect(commits == [left, left, kit, kit, kit, kit, right, right, right])
    }

    @Test func oldestCommitLeavesBoundaryHunksWithTheirLineNumbers() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write(LineageFixture.lines("kit", 6), to: "model.py")
        try fixture.commit("Kit")
        try fixture.replaceLine(2, of: "model.py", with: "middle 2")
        let middle = try fixture.commit("Middle")
        try fixture.write("top\n" + (try fixture.read("model.py")), to: "model.py")
        let newest = try fixture.commit("Newest")
        let hunks = try fixture.open().blame(path: "model.py", newestCommit: newest, oldestCommit: middle)
        #expect(
            hunks == [
                BlameHunk(startLine: 1, lineCount: 1, commitID: newest, originalPath: "model.py", originalStartLine: 1),
                BlameHunk(startLine: 2, lineCount: 6, commitID: middle, originalPath: "model.py", originalStartLine: 1, isBoundary: true),
            ])
    }

    /// libgit2 1.5 records the first root commit it reaches as the new limit: on a merge with an
    /// unrelated history, blame may then go past `oldestCommit`.
    @Test func aRootReachedFirstReplacesTheOldestCommit() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write(LineageFixture.lines("orphan", 3), to: "model.py")
        let orphan = try fixture.commit("Unrelated root")
        try fixture.git("checkout", "--quiet", "--orphan", "kit")
        try fixture.write(LineageFixture.lines("kit", 3), to: "model.py")
        let kit = try fixture.commit("Kit")
        try fixture.write(LineageFixture.lines("a", 2) + LineageFixture.lines("kit", 3), to: "model.py")
        let a = try fixture.commit("A")
        #expect(throws: (any Error).self) {
            try fixture.git("merge", "--quiet", "--allow-unrelated-histories", "--no-edit", orphan.hex)
        }
        try fixture.write(LineageFixture.lines("orphan", 3) + LineageFixture.lines("a", 2) + LineageFixture.lines("kit", 3), to: "model.py")
        let merge = try fixture.commit("Merge")
        #expect(try fixture.open().commit(merge).parentIDs == [a, orphan])
        let hunks = try fixture.open().blame(path: "model.py", newestCommit: merge, oldestCommit: a)
        #expect(hunks.map(\.commitID) == [orphan, a, kit])
        #expect(hunks.map(\.isBoundary) == [true, false, true])
    }

    @Test func countsALastLineWithoutNewlineAndNoLinesInAnEmptyFile() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        try fixture.write("one\ntwo", to: "model.py")
        try fixture.write("", to: "empty.py")
        let kit = try fixture.commit("Kit")
        let repository = try fixture.open()
        #expect(try repository.blame(path: "model.py", newestCommit: kit).map(\.lineCount) == [2])
        #expect(try repository.blame(path: "empty.py", newestCommit: kit).isEmpty)
        #expect(throws: GitError.self) { try repository.blame(path: "absent.py", newestCommit: kit) }
    }
}
