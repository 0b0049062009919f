import Foundation
import Git
import Testing

@Suite("Git wrapper against real repositories")
struct RepositoryTests {
    /// A work tree `work` with two commits (a.txt, then dir/b.txt and an executable run.sh).
    func makeHistory() throws -> (GitFixture, first: String, second: String) {
        let fixture = try GitFixture()
        try fixture.git("init", "--quiet", "work")
        try fixture.write("alpha\n", to: "work/a.txt")
        try fixture.git("add", ".", in: "work")
        try fixture.git("commit", "--quiet", "-m", "First", in: "work")
        let first = try fixture.git("rev-parse", "HEAD", in: "work")
        try fixture.write("beta\n", to: "work/dir/b.txt")
        try fixture.write("#!/bin/sh\necho run\n", to: "work/run.sh")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.path("work/run.sh"))
        try fixture.git("add", ".", in: "work")
        try fixture.git("commit", "--quiet", "-m", "Second\n\nCredit: alice/logreg 50%", in: "work")
        let second = try fixture.git("rev-parse", "HEAD", in: "work")
        return (fixture, first, second)
    }

    @Test func readsCommitTreeAndBlob() throws {
        let (fixture, first, second) = try makeHistory()
        defer { fixture.remove() }
        let repository = try Repository.open(at: fixture.path("work"))
        let commit = try repository.commit(try #require(ObjectID(hex: second)))
        #expect(commit.parentIDs.map(\.hex) == [first])
        #expect(commit.message.hasPrefix("Second"))
        #expect(commit.message.contains("Credit: alice/logreg 50%"))
        #expect(commit.authorName == "Test Author")
        let names = try repository.treeEntries(commit.treeID).map(\.name)
        #expect(names == ["a.txt", "dir", "run.sh"])
        let entry = try #require(try repository.entry(atPath: "dir/b.txt", inTree: commit.treeID))
        #expect(String(decoding: try repository.blobContent(entry.id), as: UTF8.self) == "beta\n")
        #expect(try repository.objectSize(entry.id) == 5)
        #expect(try repository.entry(atPath: "missing.txt", inTree: commit.treeID) == nil)
        let script = try #require(try repository.entry(atPath: "run.sh", inTree: commit.treeID))
        #expect(script.fileMode == 0o100755)
    }

    @Test func walksHistoryChildrenFirst() throws {
        let (fixture, first, second) = try makeHistory()
        defer { fixture.remove() }
        let repository = try Repository.open(at: fixture.path("work"))
        let secondID = try #require(ObjectID(hex: second))
        let firstID = try #require(ObjectID(hex: first))
        #expect(try repository.history(from: secondID).map(\.hex) == [second, first])
        #expect(try repository.history(from: secondID, hiding: [firstID]).map(\.hex) == [second])
        #expect(try repository.isDescendant(secondID, of: firstID))
        #expect(try !repository.isDescendant(firstID, of: secondID))
    }

    @Test func fetchCopiesCommitAndAncestryIntoAnotherRepository() throws {
        let (fixture, first, second) = try makeHistory()
        defer { fixture.remove() }
        try fixture.git("tag", "-a", "-m", "annotated", "submission-x", in: "work")
        let ledger = try Repository.createBare(at: fixture.path("ledger.git"))
        let secondID = try #require(ObjectID(hex: second))
        #expect(!ledger.contains(secondID))
        try ledger.fetch(fromRepositoryAt: fixture.path("work"), refspecs: ["+refs/tags/submission-x:refs/submissions/team/x"])
        let target = try #require(try ledger.referenceTarget("refs/submissions/team/x"))
        #expect(target != secondID, "an annotated tag's ref names the tag object")
        #expect(try ledger.peelToCommit(target) == secondID)
        #expect(ledger.contains(try #require(ObjectID(hex: first))))
        #expect(try ledger.history(from: secondID).count == 2)
        // The git command line agrees that the copy is complete.
        try fixture.git("--git-dir", fixture.path("ledger.git"), "fsck", "--no-dangling")
    }

    @Test func copiesACommitsObjectsAndOnlyThoseMissing() throws {
        let (fixture, first, second) = try makeHistory()
        defer { fixture.remove() }
        let work = try Repository.open(at: fixture.path("work"))
        let ledger = try Repository.createBare(at: fixture.path("ledger.git"))
        let firstID = try #require(ObjectID(hex: first))
        let secondID = try #require(ObjectID(hex: second))
        // first: commit, tree, a.txt. Then second: commit, tree, dir, dir/b.txt, run.sh.
        #expect(try ledger.copyObjects(reachableFrom: firstID, in: work) == 3)
        #expect(try ledger.copyObjects(reachableFrom: secondID, in: work) == 5)
        #expect(try ledger.copyObjects(reachableFrom: secondID, in: work) == 0, "nothing is copied twice")
        try ledger.setReference("refs/submissions/team/x", to: secondID, force: true, logMessage: "test")
        #expect(try ledger.history(from: secondID) == [secondID, firstID])
        #expect(try ledger.treeEntries(try ledger.commit(secondID).treeID).map(\.name).sorted() == ["a.txt", "dir", "run.sh"])
        // The git command line agrees that the copy is complete.
        try fixture.git("--git-dir", fixture.path("ledger.git"), "fsck", "--no-dangling", "--strict")
    }

    @Test func writesTreeAndCommitFromDirectory() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fixture.write("print('hi')\n", to: "kit/classifier.py")
        try fixture.write("1,2\n", to: "kit/data/train.csv")
        let repository = try Repository.createBare(at: fixture.path("repo.git"))
        let tree = try repository.writeTree(fromDirectory: fixture.directory.appendingPathComponent("kit"))
        let commit = try repository.createCommit(
            tree: tree, parents: [], message: "Kit\n", signature: Signature(name: "Organisers", email: "o@example.invalid"),
            reference: "refs/heads/main")
        try repository.setHead("refs/heads/main")
        #expect(try repository.referenceTarget("refs/heads/main") == commit)
        #expect(try fixture.git("--git-dir", fixture.path("repo.git"), "ls-tree", "-r", "--name-only", "main") == "classifier.py\ndata/train.csv")
        #expect(try fixture.git("--git-dir", fixture.path("repo.git"), "log", "--format=%an %s") == "Organisers Kit")
    }

    @Test func exportsTreeAndRefusesSymbolicLinks() throws {
        let (fixture, _, second) = try makeHistory()
        defer { fixture.remove() }
        let repository = try Repository.open(at: fixture.path("work"))
        let commit = try repository.commit(try #require(ObjectID(hex: second)))
        let out = fixture.directory.appendingPathComponent("export")
        try repository.export(tree: commit.treeID, to: out)
        #expect(try String(contentsOf: out.appendingPathComponent("dir/b.txt"), encoding: .utf8) == "beta\n")
        #expect(FileManager.default.isExecutableFile(atPath: out.appendingPathComponent("run.sh").path))

        try FileManager.default.createSymbolicLink(atPath: fixture.path("work/etc-link"), withDestinationPath: "/etc/passwd")
        try fixture.git("add", "etc-link", in: "work")
        try fixture.git("commit", "--quiet", "-m", "Link", in: "work")
        let linked = try repository.commit(try #require(ObjectID(hex: try fixture.git("rev-parse", "HEAD", in: "work"))))
        #expect(throws: TreeExportError.unsupportedEntry(path: "etc-link", kind: "symbolic link")) {
            try repository.export(tree: linked.treeID, to: fixture.directory.appendingPathComponent("export2"))
        }
    }

    @Test func referencesAndErrors() throws {
        let (fixture, first, second) = try makeHistory()
        defer { fixture.remove() }
        try fixture.git("tag", "submission-b", in: "work")
        try fixture.git("tag", "submission-a", first, in: "work")
        try fixture.git("tag", "other", in: "work")
        let repository = try Repository.open(at: fixture.path("work"))
        let tags = try repository.references(matching: "refs/tags/submission-*")
        #expect(tags.map(\.name) == ["refs/tags/submission-a", "refs/tags/submission-b"])
        #expect(tags.map(\.target.hex) == [first, second])
        #expect(try repository.referenceTarget("refs/tags/missing") == nil)
        let error = try #require(throws: GitError.self) {
            try repository.commit(try #require(ObjectID(hex: String(repeating: "ab", count: 20))))
        }
        #expect(error.isNotFound)
        #expect(!error.message.isEmpty, "libgit2's own message is read right after the failing call")
        #expect(throws: GitError.self) { try Repository.open(at: fixture.path("nowhere")) }
    }
}
