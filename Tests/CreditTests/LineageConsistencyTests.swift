import SyntheticWorkloads
import Foundation
import Git
import Testing

@testable import Credit

/// The shortcuts of lineage credit (reused attributions, blame stopped at credited ancestors)
/// against the plain definition: every credited file blamed over its whole history (white
/// space ignored), each line weighing its code tokens, and each commit given to the first
/// submission that is it or descends from it. (The matching of lines against earlier code is
/// off here: it comes after blame, and the property tests cover it.)
@Suite("Lineage credit against full blame")
struct LineageConsistencyTests {
    /// Token counts by owner key from full blames.
    func plainTokenCounts(_ ledger: SyntheticLedger, repository: Repository) throws -> [[String: Int]] {
        let all = [LineageSubmission(key: LineageCredit.startingKitKey, team: "organisers", commit: ledger.kit)] + ledger.submissions
        var owners: [ObjectID: String] = [:]
        func owner(of commit: ObjectID) throws -> String {
            if let key = owners[commit] { return key }
            for submission in all where try submission.commit == commit || repository.isDescendant(submission.commit, of: commit) {
                owners[commit] = submission.key
                return submission.key
            }
            throw LineageFixtureError(message: "no owner for \(commit)")
        }
        return try all.map { submission in
            var counts: [String: Int] = [:]
            let tree = try repository.commit(submission.commit).treeID
            for (path, entry) in try repository.allEntries(inTree: tree) where entry.kind == .blob && path.hasSuffix(".py") {
                let text = String(decoding: try repository.blobContent(entry.id), as: UTF8.self)
                let lines = try #require(LineageCredit.codeLines(of: text, path: path))
                for hunk in try repository.blame(path: path, newestCommit: submission.commit, ignoringWhitespace: true) {
                    let tokens = (hunk.startLine..<(hunk.startLine + hunk.lineCount)).reduce(0) { total, line in
                        total + (line - 1 < lines.count ? lines[line - 1].count : 0)
                    }
                    if tokens > 0 { counts[try owner(of: hunk.commitID), default: 0] += tokens }
                }
            }
            return counts
        }
    }

    /// Seeds, and how often a team extends its own lineage (less often: more forks and merges).
    @Test(arguments: [(11, 0.75), (12, 0.75), (13, 0.5), (14, 0.3)] as [(UInt64, Double)])
    func sharesMatchFullBlame(seed: UInt64, extendProbability: Double) throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let ledger = try SyntheticLedger.build(
            gitDirectory: fixture.directory.appendingPathComponent(".git"), submissionCount: 80, teamCount: 6, seed: seed,
            extendProbability: extendProbability)
        let repository = try fixture.open()
        let credit = try LineageCredit(
            repository: repository, startingKit: ledger.kit, isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        credit.matchesEarlierCode = false
        for submission in ledger.submissions { try credit.append(submission) }
        let result = credit.result
        let expected = try plainTokenCounts(ledger, repository: repository)
        #expect(result.startingKit.tokenCounts == expected[0])
        for (index, shares) in result.submissions.enumerated() {
            #expect(shares.tokenCounts == expected[index + 1], "\(shares.key)")
            let total = shares.fractions.values.reduce(0, +)
            #expect(abs(total - 1) < 1e-9, "\(shares.key)")
        }
        // Merges and forks happened: some submission credits two others besides the kit.
        #expect(result.submissions.contains { $0.tokenCounts.count >= 3 })
    }

    @Test func appendingOneByOneGivesTheSameResult() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let ledger = try SyntheticLedger.build(
            gitDirectory: fixture.directory.appendingPathComponent(".git"), submissionCount: 40, teamCount: 5, seed: 7)
        let batch = try LineageCredit.compute(
            repository: fixture.open(), submissions: ledger.submissions, startingKit: ledger.kit,
            isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        // A fresh instance per prefix of the ledger, and one kept instance, agree with the batch.
        let kept = try LineageCredit(
            repositoryPath: fixture.directory.path, startingKit: ledger.kit,
            isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        for submission in ledger.submissions { try kept.append(submission) }
        #expect(kept.result == batch)
        let last = try LineageCredit.compute(
            repository: fixture.open(), submissions: Array(ledger.submissions.prefix(20)), startingKit: ledger.kit,
            isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        #expect(last.submissions == Array(batch.submissions.prefix(20)))
    }
}
