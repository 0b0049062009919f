import Evaluation
import Foundation
import Git
import SyntheticWorkloads
import Testing

@testable import Credit

/// Credit is a function of the ledger alone, conserved, and never counted twice, over
/// generated histories (forks, merges, restarts from the kit, files renamed, copied and
/// deleted, `Credit:` trailers valid and not, a closed phase then an open one), with the hub's
/// rules: matching of moved code on, visibility from the team and the phase.
@Suite("Lineage credit over generated histories")
struct LineagePropertyTests {
    static let isCredited: @Sendable (String) -> Bool = { !$0.hasPrefix("data/") }

    /// A generated ledger in a fresh repository; `body` gets it and the repository's path.
    func withLedger<T>(seed: UInt64, trailerProbability: Double, _ body: (SyntheticLedger, LineageFixture) throws -> T) throws -> T {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        let ledger = try SyntheticLedger.build(
            gitDirectory: fixture.directory.appendingPathComponent(".git"), submissionCount: 48, teamCount: 5, seed: seed,
            extendProbability: 0.5, trailerProbability: trailerProbability, openFrom: 24)
        return try body(ledger, fixture)
    }

    /// Random contributivities summing to 1 over the submissions (the kit has none).
    static func contributivities(_ ledger: SyntheticLedger, seed: UInt64) -> [String: Double] {
        var generator = SeededGenerator(seed: seed &+ 1000)
        let raw = ledger.submissions.map { _ in Double.random(in: 0..<1, using: &generator) }
        let total = raw.reduce(0, +)
        return Dictionary(uniqueKeysWithValues: zip(ledger.submissions.map(\.key), raw.map { $0 / total }))
    }

    @Test(arguments: [21, 22, 23] as [UInt64])
    func incrementalEqualsFromScratchAtEveryRestart(seed: UInt64) throws {
        try withLedger(seed: seed, trailerProbability: 0.3) { ledger, fixture in
            // A running hub: one instance, appended to as submissions arrive.
            let live = try LineageCredit(repositoryPath: fixture.directory.path, startingKit: ledger.kit, isCredited: Self.isCredited)
            var liveResults: [LineageCreditResult] = []
            for submission in ledger.submissions {
                try live.append(submission)
                liveResults.append(live.result)
            }
            // A hub restarted after submission k computes the first k from scratch.
            for count in [1, 12, 23, 24, 25, 37, 48] {
                let restarted = try LineageCredit.compute(
                    repository: fixture.open(), submissions: Array(ledger.submissions.prefix(count)), startingKit: ledger.kit,
                    isCredited: Self.isCredited)
                #expect(restarted == liveResults[count - 1], "after \(count) submissions")
            }
            // The history exercised what it should: trailers honoured and ignored, moved code kept.
            let result = live.result
            #expect(result.submissions.contains { !$0.declared.isEmpty }, "some trailers are honoured")
            #expect(result.warnings.contains { $0.message.contains("was not visible") }, "some name what their submitter could not see")
            #expect(
                result.submissions.prefix(23).allSatisfy { shares in
                    shares.declared.keys.allSatisfy { $0 == LineageCredit.startingKitKey || $0.hasPrefix(shares.key.split(separator: "/")[0] + "/") }
                }, "in the closed phase, trailers reach only the team's own submissions and the kit")
        }
    }

    @Test(arguments: [31, 32, 33] as [UInt64])
    func creditIsConservedAndMeasuredSharesAreFloors(seed: UInt64) throws {
        try withLedger(seed: seed, trailerProbability: 0.3) { ledger, fixture in
            let result = try LineageCredit.compute(
                repository: fixture.open(), submissions: ledger.submissions, startingKit: ledger.kit, isCredited: Self.isCredited)
            let contributivities = Self.contributivities(ledger, seed: seed)
            let historical = try result.historicalContributivities(contributivities: contributivities)
            #expect(abs(historical.values.reduce(0, +) - 1) < 1e-9, "conserved")
            #expect(historical.values.allSatisfy { $0 >= 0 })
            // Whatever is declared, every originator gets at least its measured part of every
            // submission holding its code.
            for key in result.keys {
                let floor = result.submissions.reduce(0.0) { total, shares in
                    shares.key == key ? total : total + (contributivities[shares.key] ?? 0) * (shares.measured[key] ?? 0)
                }
                #expect(historical[key]! >= floor - 1e-12, "\(key): \(historical[key]!) < \(floor)")
            }
            for shares in result.submissions {
                #expect(abs(shares.measured.values.reduce(0, +) - 1) < 1e-9)
                #expect(shares.declared.values.reduce(0, +) <= 1 + 1e-9)
            }
        }
    }

    @Test(arguments: [41, 42] as [UInt64])
    func withoutDeclarationsNothingIsCountedTwice(seed: UInt64) throws {
        try withLedger(seed: seed, trailerProbability: 0) { ledger, fixture in
            let result = try LineageCredit.compute(
                repository: fixture.open(), submissions: ledger.submissions, startingKit: ledger.kit, isCredited: Self.isCredited)
            let contributivities = Self.contributivities(ledger, seed: seed)
            let historical = try result.historicalContributivities(contributivities: contributivities)
            // Each owner gets exactly its measured part of each submission's contributivity:
            // the lines an ancestor inherited from the kit are the kit's, paid once.
            for key in result.keys {
                let expected = result.submissions.reduce(0.0) { total, shares in
                    total + (contributivities[shares.key] ?? 0) * (shares.measured[key] ?? 0)
                }
                #expect(abs(historical[key]! - expected) < 1e-12, "\(key)")
            }
            #expect(result.submissions.contains { $0.measured.count >= 3 }, "forks and merges happened")
        }
    }
}
