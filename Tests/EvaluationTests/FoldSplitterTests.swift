import Challenge
import Evaluation
import Testing

@Suite("Folds are fixed by the seed and follow their scheme")
struct FoldSplitterTests {
    let classes = (0..<103).map { $0 % 3 == 0 ? 1 : 0 }

    @Test(arguments: [FoldScheme.Method.kFold, .stratifiedKFold])
    func kFoldPartitionsTheRows(method: FoldScheme.Method) {
        let folds = FoldSplitter.folds(rowCount: 103, classes: classes, scheme: FoldScheme(method: method, count: 5, seed: 7))
        #expect(folds.count == 5)
        let validation = folds.flatMap(\.validationRows)
        #expect(validation.sorted() == Array(0..<103), "every row is validated exactly once")
        for fold in folds {
            #expect(Set(fold.trainRows).isDisjoint(with: fold.validationRows))
            #expect(fold.trainRows.count + fold.validationRows.count == 103)
            #expect((20...21).contains(fold.validationRows.count))
        }
    }

    @Test func stratifiedFoldsKeepClassProportions() {
        let folds = FoldSplitter.folds(rowCount: 103, classes: classes, scheme: FoldScheme(method: .stratifiedKFold, count: 5, seed: 7))
        let positives = folds.map { fold in fold.validationRows.filter { classes[$0] == 1 }.count }
        #expect(positives.max()! - positives.min()! <= 1, "35 positives spread 7 per fold: \(positives)")
    }

    @Test func sameSeedSameFoldsOtherSeedOtherFolds() {
        let scheme = FoldScheme(method: .kFold, count: 4, seed: 42)
        let first = FoldSplitter.folds(rowCount: 50, classes: nil, scheme: scheme)
        #expect(first == FoldSplitter.folds(rowCount: 50, classes: nil, scheme: scheme))
        #expect(first != FoldSplitter.folds(rowCount: 50, classes: nil, scheme: FoldScheme(method: .kFold, count: 4, seed: 43)))
        #expect(first[0].validationRows != Array(0..<13), "rows are shuffled before they are cut")
    }

    @Test func shuffleSplitHoldsOutTheFractionEachTime() {
        let folds = FoldSplitter.folds(
            rowCount: 100, classes: nil, scheme: FoldScheme(method: .shuffleSplit, count: 3, seed: 1, validationFraction: 0.25))
        #expect(folds.count == 3)
        #expect(folds.allSatisfy { $0.validationRows.count == 25 && $0.trainRows.count == 75 })
        #expect(Set(folds[0].validationRows) != Set(folds[1].validationRows))
    }

    @Test func splitMixMatchesItsReferenceSequence() {
        // First outputs for seed 1234567 of Vigna's reference splitmix64.c, computed with a line-by-line
        // Python transcription of it (64-bit wrap-around arithmetic).
        var generator = SplitMix64(seed: 1_234_567)
        #expect(generator.next() == 6_457_827_717_110_365_317)
        #expect(generator.next() == 3_203_168_211_198_807_973)
    }
}
