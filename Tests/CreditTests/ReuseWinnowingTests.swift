import Evaluation
import SyntheticWorkloads
import Testing

import Credit

struct ReuseWinnowingTests {
    @Test func selectionReproducesThePapersExample() {
        // Schleimer et al. 2003, figure 2: hashes of 5-grams, windows of 4.
        let hashes: [UInt64] = [77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98]
        let positions = Winnowing.selectedPositions(in: hashes, windowLength: 4)
        #expect(positions == [3, 6, 8, 11, 15])
        #expect(positions.map { hashes[$0] } == [17, 17, 8, 39, 17])
    }

    @Test func tiesSelectTheRightmostMinimumOnce() {
        #expect(Winnowing.selectedPositions(in: [5, 3, 3, 7, 1, 1, 9, 2], windowLength: 3) == [2, 4, 5])
        #expect(Winnowing.selectedPositions(in: [4, 4, 4, 4, 4], windowLength: 2) == [1, 2, 3, 4])
    }

    @Test func shortDocumentsStillHaveAFingerprint() {
        #expect(Winnowing.selectedPositions(in: [9, 2, 2, 5], windowLength: 8) == [2])
        #expect(Winnowing.selectedPositions(in: [], windowLength: 8).isEmpty)
        let tokens = SourceTokenizer.tokens(in: "x = 1", language: .python)
        #expect(Winnowing.kGramHashes(of: tokens, kGramLength: 12).isEmpty)
        #expect(Winnowing.kGramHashes(of: tokens, kGramLength: 2).count == 2)
    }

    @Test func hashesAreStableAndIgnoreNamesLayoutAndComments() {
        let first = SourceTokenizer.tokens(in: "def f(a, b):\n    return a + b  # sum\n", language: .python)
        let second = SourceTokenizer.tokens(in: "def add(x,y):\n\n  '''Doc.'''\n  return x+y", language: .python)
        let firstHashes = Winnowing.kGramHashes(of: first, kGramLength: 4)
        #expect(firstHashes == Winnowing.kGramHashes(of: second, kGramLength: 4))
        // Pinned (computed independently, in Python, from the documented FNV-1a 64 and fmix64):
        // the hash must not depend on the process, as Swift's randomly seeded Hasher would.
        #expect(firstHashes.first == Winnowing.kGramHashes(of: Array(first.prefix(4)), kGramLength: 4).first)
        #expect(firstHashes.first == 0x884E_C490_6C38_65D7)
    }

    @Test func fingerprintsCarryTheirKGramsLines() {
        let tokens = SourceTokenizer.tokens(in: "a = 1\nb = 2\nc = 3\nd = 4\n", language: .python)
        let parameters = WinnowingParameters(kGramLength: 4, windowLength: 2)
        let fingerprints = Winnowing.fingerprints(of: tokens, parameters: parameters)
        #expect(!fingerprints.isEmpty)
        for fingerprint in fingerprints {
            #expect(fingerprint.lines.lowerBound == tokens[fingerprint.position].line)
            #expect(fingerprint.lines.upperBound == tokens[fingerprint.position + 3].line)
        }
    }

    @Test func parametersHaveTheDocumentedDefaultsAndBounds() {
        let defaults = WinnowingParameters()
        #expect(defaults.kGramLength == 12)
        #expect(defaults.windowLength == 8)
        #expect(defaults.guaranteeThreshold == 19)
        var clamped = WinnowingParameters(kGramLength: 0, windowLength: -3)
        #expect(clamped.kGramLength == 1 && clamped.windowLength == 1)
        clamped.windowLength = 0
        #expect(clamped.windowLength == 1)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func sharedRunsOfTheGuaranteeThresholdAreAlwaysFound(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let vocabulary = ["a", "b", "c", "d", "(", ")", "=", "+", "if", ":"]
        func randomTokens(_ count: Int) -> [SourceTokenizer.Token] {
            (0..<count).map { _ in
                SourceTokenizer.Token(text: vocabulary.randomElement(using: &generator) ?? "a", line: 1)
            }
        }
        let parameters = WinnowingParameters()
        for _ in 0..<50 {
            let shared = randomTokens(parameters.guaranteeThreshold)
            let first = randomTokens(Int.random(in: 0...40, using: &generator)) + shared + randomTokens(30)
            let second = randomTokens(Int.random(in: 0...40, using: &generator)) + shared + randomTokens(30)
            let firstHashes = Set(Winnowing.fingerprints(of: first, parameters: parameters).map(\.hash))
            let secondHashes = Set(Winnowing.fingerprints(of: second, parameters: parameters).map(\.hash))
            let sharedHashes = Set(Winnowing.kGramHashes(of: shared, kGramLength: parameters.kGramLength))
            #expect(!firstHashes.intersection(secondHashes).intersection(sharedHashes).isEmpty)
        }
    }
}
