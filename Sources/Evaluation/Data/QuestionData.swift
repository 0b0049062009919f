import Challenge
import Foundation
import ScoreTypes

/// The rows of one question: the public training rows (with their target) and the private
/// test rows, their truth, and the question's folds.
public struct QuestionData: Sendable {
    public let question: Question
    /// Public training rows, header included; the target column is among them.
    public let train: CSVTable
    /// Private test rows; the target column is removed before anything enters a sandbox.
    public let test: CSVTable
    public let trainIDs: [String]
    public let testIDs: [String]
    public let trainTruth: GroundTruth
    public let testTruth: GroundTruth
    public let folds: [Fold]
    /// Indices of the public test rows (Kaggle's public part), ascending; the others are
    /// private. Empty when the challenge makes no split.
    public var publicTestRows: [Int] = []

    /// Draws the public test rows: `round(fraction x rows)` rows picked with the split's seed,
    /// the same for every submission.
    public mutating func splitTestRows(_ split: TestSplit) {
        var generator = SplitMix64(seed: split.seed)
        let count = Int((Double(testIDs.count) * split.publicFraction).rounded())
        publicTestRows = Array(Array(0..<testIDs.count).shuffled(using: &generator).prefix(count)).sorted()
    }

    /// The private test rows: those not public, ascending.
    public var privateTestRows: [Int] {
        let publicRows = Set(publicTestRows)
        return (0..<testIDs.count).filter { !publicRows.contains($0) }
    }

    /// The truth of the given test rows.
    public func testTruth(rows: [Int]) -> GroundTruth {
        testTruth.selecting(rows: rows)
    }

    /// Why a question's data cannot be used; names the file.
    public struct DataError: Error, CustomStringConvertible {
        public let file: String
        public let problem: String
        public var description: String { "\(file): \(problem)" }
    }

    /// Reads the question's training file and test file (none: cross-validation only, as
    /// `forkboard evaluate` does on a participant's machine) and computes its folds.
    /// - Throws: ``DataError`` when a file is missing, malformed, lacks the id or target
    ///   column, holds an unknown label, or shares ids with the other file.
    public static func load(trainFile trainURL: URL, testFile testURL: URL?, question: Question) throws -> QuestionData {
        let train = try readTable(trainURL)
        let test = try testURL.map(readTable) ?? CSVTable(header: train.header, rows: [])
        let testURL = testURL ?? trainURL
        let (trainIDs, trainTruth) = try truth(of: train, file: trainURL.path, question: question)
        let (testIDs, testTruth) = try truth(of: test, file: testURL.path, question: question)
        if let missing = train.header.first(where: { test.column($0) == nil }) {
            throw DataError(file: testURL.path, problem: "lacks the column '\(missing)' of \(trainURL.lastPathComponent)")
        }
        if !Set(trainIDs).isDisjoint(with: testIDs) {
            throw DataError(file: testURL.path, problem: "shares ids with \(trainURL.path); ids must be unique across both")
        }
        var classes: [Int]?
        if case .classes(let values, _) = trainTruth { classes = values }
        let folds: [Fold]
        if question.folds.method == .explicit, let file = question.folds.file {
            folds = try readFolds(trainURL.deletingLastPathComponent().appendingPathComponent(file), rowCount: trainIDs.count,
                                  count: question.folds.count)
        } else {
            if question.folds.method != .shuffleSplit, trainIDs.count < question.folds.count {
                throw DataError(file: trainURL.path, problem: "has \(trainIDs.count) rows, fewer than the \(question.folds.count) folds")
            }
            folds = FoldSplitter.folds(rowCount: trainIDs.count, classes: classes, scheme: question.folds)
        }
        return QuestionData(question: question, train: train, test: test, trainIDs: trainIDs, testIDs: testIDs,
                            trainTruth: trainTruth, testTruth: testTruth, folds: folds)
    }

    /// The first `count` folds of an explicit folds file (see ``FoldScheme/file``).
    /// - Throws: ``DataError`` when it cannot be read, has fewer folds, or names rows that do
    ///   not exist, or a row both to train on and to validate on.
    static func readFolds(_ url: URL, rowCount: Int, count: Int) throws -> [Fold] {
        struct Listed: Decodable {
            let train: [Int]
            let valid: [Int]
        }
        let listed: [Listed]
        do {
            listed = try JSONDecoder().decode([Listed].self, from: Data(contentsOf: url))
        } catch {
            throw DataError(file: url.path, problem: "is not a list of {\"train\": [...], \"valid\": [...]} (\(error))")
        }
        guard listed.count >= count else { throw DataError(file: url.path, problem: "lists \(listed.count) folds, fewer than \(count)") }
        return try listed.prefix(count).enumerated().map { index, fold in
            guard (fold.train + fold.valid).allSatisfy({ (0..<rowCount).contains($0) }) else {
                throw DataError(file: url.path, problem: "fold \(index) names a row outside the \(rowCount) training rows")
            }
            guard !fold.valid.isEmpty, Set(fold.train).isDisjoint(with: fold.valid) else {
                throw DataError(file: url.path, problem: "fold \(index) has no validation row, or a row both to train and to validate on")
            }
            return Fold(trainRows: fold.train, validationRows: fold.valid.sorted())
        }
    }

    private static func readTable(_ url: URL) throws -> CSVTable {
        do {
            return try CSVTable.read(url)
        } catch let error as CSVTable.ParseError {
            throw DataError(file: url.path, problem: error.description)
        } catch {
            throw DataError(file: url.path, problem: "cannot be read (\(error.localizedDescription))")
        }
    }

    private static func truth(of table: CSVTable, file: String, question: Question) throws -> ([String], GroundTruth) {
        guard let idColumn = table.column(question.idColumn) else {
            throw DataError(file: file, problem: "has no id column '\(question.idColumn)'")
        }
        guard let targetColumn = table.column(question.targetColumn) else {
            throw DataError(file: file, problem: "has no target column '\(question.targetColumn)'")
        }
        let ids = table.rows.map { $0[idColumn] }
        if Set(ids).count != ids.count { throw DataError(file: file, problem: "has duplicated ids") }
        switch question.kind {
        case .classification:
            let labelIndex = Dictionary(uniqueKeysWithValues: question.labels.enumerated().map { ($1, $0) })
            var classes: [Int] = []
            classes.reserveCapacity(table.rows.count)
            for (offset, row) in table.rows.enumerated() {
                guard let index = labelIndex[row[targetColumn]] else {
                    throw DataError(file: file, problem: "line \(offset + 2): target '\(row[targetColumn])' is not one of the labels \(question.labels)")
                }
                classes.append(index)
            }
            return (ids, .classes(classes, classCount: question.labels.count))
        case .regression:
            var values: [Double] = []
            for (offset, row) in table.rows.enumerated() {
                guard let value = Double(row[targetColumn]), value.isFinite else {
                    throw DataError(file: file, problem: "line \(offset + 2): target '\(row[targetColumn])' is not a finite number")
                }
                values.append(value)
            }
            return (ids, .values(values))
        }
    }

    /// A quarter of the training rows (at least 40, picked with the question's seed), with the
    /// folds recomputed on them: `forkboard evaluate --quick`.
    public func quickSubset() -> QuestionData {
        var generator = SplitMix64(seed: question.folds.seed)
        let count = min(trainIDs.count, max(40, trainIDs.count / 4))
        let kept = Array(0..<trainIDs.count).shuffled(using: &generator).prefix(count).sorted()
        let train = CSVTable(header: self.train.header, rows: kept.map { self.train.rows[$0] })
        let truth = trainTruth(rows: kept)
        var classes: [Int]?
        if case .classes(let values, _) = truth { classes = values }
        var folds = FoldSplitter.folds(rowCount: kept.count, classes: classes, scheme: question.folds)
        if question.folds.method == .explicit {
            // The listed folds, on the kept rows only (in the listed order).
            let position = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
            folds = self.folds.map { fold in
                Fold(trainRows: fold.trainRows.compactMap { position[$0] }, validationRows: fold.validationRows.compactMap { position[$0] })
            }.filter { !$0.validationRows.isEmpty && !$0.trainRows.isEmpty }
        }
        return QuestionData(question: question, train: train, test: test, trainIDs: kept.map { trainIDs[$0] }, testIDs: testIDs,
                            trainTruth: truth, testTruth: testTruth, folds: folds)
    }

    /// The truth of the given training rows.
    public func trainTruth(rows: [Int]) -> GroundTruth {
        trainTruth.selecting(rows: rows)
    }
}
