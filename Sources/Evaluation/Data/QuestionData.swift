import Challenge
import Foundation
import ScoreTypes

/// What the hub keeps of a question's data: the objects' ids and targets (training, and test
/// when the hub has them), the folds and the public/private split of the test objects. Tables
/// are never held: they are streamed where they are needed (``InputCutter``, ``DataScan``).
public struct QuestionData: Sendable {
    public let question: Question
    /// Where the data files are.
    public let files: QuestionFiles
    /// The training objects' ids, in the training objects file's order (a subset of it for
    /// ``quickSubset()``).
    public let trainIDs: [String]
    /// The test objects' ids, in the test objects file's order; empty without test files.
    public let testIDs: [String]
    public let trainTruth: GroundTruth
    public let testTruth: GroundTruth
    /// Each fold's training and validation objects, as indices into ``trainIDs``.
    public let folds: [Fold]
    /// Indices of the public test objects (Kaggle's public part), ascending; the others are
    /// private. Empty when the challenge makes no split.
    public var publicTestRows: [Int] = []
    /// Where each training object's record is in the training objects file.
    let trainRecords: [RecordSpan]
    /// True for a subset of the training objects: the other objects' rows are left out of the
    /// inputs rather than refused.
    public let isSubset: Bool

    /// A record's place in its file: its byte offset and length (line end excluded).
    struct RecordSpan: Sendable {
        let offset: Int64
        let length: Int32
    }

    /// Why a question's data cannot be used; names the file (and the line, in `problem`).
    public struct DataError: Error, CustomStringConvertible {
        public let file: String
        public let problem: String

        public init(file: String, problem: String) {
            self.file = file
            self.problem = problem
        }

        public var description: String { "\(file): \(problem)" }
    }

    /// Draws the public test objects: `round(fraction x objects)` picked with the split's
    /// seed, the same for every submission.
    public mutating func splitTestRows(_ split: TestSplit) {
        var generator = SplitMix64(seed: split.seed)
        let count = Int((Double(testIDs.count) * split.publicFraction).rounded())
        publicTestRows = Array(Array(0..<testIDs.count).shuffled(using: &generator).prefix(count)).sorted()
    }

    /// The private test objects: those not public, ascending.
    public var privateTestRows: [Int] {
        let publicRows = Set(publicTestRows)
        return (0..<testIDs.count).filter { !publicRows.contains($0) }
    }

    /// The test objects of each shard when the question shards them (``Challenge/TestShards``),
    /// else nil.
    public var testShards: [Range<Int>]? {
        guard let shards = question.testShards, !testIDs.isEmpty else { return nil }
        return shards.ranges(objects: testIDs.count)
    }

    /// The truth of the given test objects.
    public func testTruth(rows: [Int]) -> GroundTruth {
        testTruth.selecting(rows: rows)
    }

    /// The truth of the given training objects.
    public func trainTruth(rows: [Int]) -> GroundTruth {
        trainTruth.selecting(rows: rows)
    }

    /// Reads the objects files of `files` (their ids and targets; tables are not read) and
    /// computes the folds.
    /// - Throws: ``DataError`` when an objects file is missing, malformed, lacks the id or
    ///   target column, repeats an id, holds a target that is none of the labels, shares ids
    ///   with the other split, or when the test objects lack a column of the training ones.
    public static func load(files: QuestionFiles, question: Question) throws -> QuestionData {
        let train = try ObjectsFile.read(files.train.objects, question: question)
        var test = ObjectsFile(
            header: train.header, ids: [],
            truth: question.kind == .classification
                ? .classes([], classCount: question.labels.count) : .values([]), records: [])
        if let testFiles = files.test {
            test = try ObjectsFile.read(testFiles.objects, question: question)
            if let missing = train.header.first(where: { !test.header.contains($0) }) {
                throw DataError(file: testFiles.objects.path, problem: "lacks the column '\(missing)' of \(files.train.objects.lastPathComponent)")
            }
            let trainSet = Set(train.ids)
            if let shared = test.ids.first(where: trainSet.contains) {
                throw DataError(
                    file: testFiles.objects.path,
                    problem: "shares ids with \(files.train.objects.path) (the first: '\(shared)'); ids must be unique across both")
            }
        }
        var classes: [Int]?
        if case .classes(let values, _) = train.truth { classes = values }
        let folds: [Fold]
        if question.folds.method == .explicit, let file = question.folds.file {
            folds = try readFolds(
                files.train.objects.deletingLastPathComponent().appendingPathComponent(file), rowCount: train.ids.count,
                count: question.folds.count)
        } else {
            if question.folds.method != .shuffleSplit, train.ids.count < question.folds.count {
                throw DataError(
                    file: files.train.objects.path, problem: "has \(train.ids.count) objects, fewer than the \(question.folds.count) folds")
            }
            folds = FoldSplitter.folds(rowCount: train.ids.count, classes: classes, scheme: question.folds)
        }
        return QuestionData(
            question: question, files: files, trainIDs: train.ids, testIDs: test.ids, trainTruth: train.truth,
            testTruth: test.truth, folds: folds, trainRecords: train.records, isSubset: false)
    }

    /// New objects to predict (`forkboard predict`): `files`' test objects, without targets,
    /// beside the training objects (with theirs, to train on again); no folds.
    /// - Throws: ``DataError`` as ``load(files:question:)`` does, the test target aside.
    public static func forPrediction(of files: QuestionFiles, question: Question) throws -> QuestionData {
        let train = try ObjectsFile.read(files.train.objects, question: question)
        guard let testFiles = files.test else { throw DataError(file: files.train.objects.path, problem: "no objects to predict") }
        let test = try ObjectsFile.read(testFiles.objects, question: question, requiresTarget: false)
        if let missing = train.header.first(where: { $0 != question.targetColumn && !test.header.contains($0) }) {
            throw DataError(file: testFiles.objects.path, problem: "lacks the column '\(missing)' of \(files.train.objects.lastPathComponent)")
        }
        return QuestionData(
            question: question, files: files, trainIDs: train.ids, testIDs: test.ids, trainTruth: train.truth,
            testTruth: question.kind == .classification ? .classes([], classCount: question.labels.count) : .values([]),
            folds: [], trainRecords: train.records, isSubset: false)
    }

    /// A question of one table: `trainFile` and `testFile` (none: cross-validation only).
    /// - Throws: as ``load(files:question:)``.
    public static func load(trainFile: URL, testFile: URL?, question: Question) throws -> QuestionData {
        try load(files: .table(train: trainFile, test: testFile), question: question)
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

    /// A quarter of the training objects (at least 40, picked with the question's seed), with
    /// the folds recomputed on them: `forkboard evaluate --quick`.
    public func quickSubset() -> QuestionData {
        var generator = SplitMix64(seed: question.folds.seed)
        let count = min(trainIDs.count, max(40, trainIDs.count / 4))
        let kept = Array(0..<trainIDs.count).shuffled(using: &generator).prefix(count).sorted()
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
        return QuestionData(
            question: question, files: files, trainIDs: kept.map { trainIDs[$0] }, testIDs: testIDs, trainTruth: truth,
            testTruth: testTruth, folds: folds, publicTestRows: publicTestRows, trainRecords: kept.map { trainRecords[$0] },
            isSubset: true)
    }
}

/// The ids and targets of an objects file, read in one streaming pass.
struct ObjectsFile {
    let header: [String]
    let ids: [String]
    let truth: GroundTruth
    let records: [QuestionData.RecordSpan]

    typealias DataError = QuestionData.DataError

    /// - Parameter requiresTarget: false for new objects to predict (`forkboard predict`),
    ///   whose truth is then empty.
    static func read(_ url: URL, question: Question, requiresTarget: Bool = true) throws -> ObjectsFile {
        let file = url.path
        do {
            let (reader, header, idColumn) = try openDataFile(url, question: question)
            let targetColumn = header.firstIndex(of: question.targetColumn)
            if requiresTarget, targetColumn == nil {
                throw DataError(file: file, problem: "has no target column '\(question.targetColumn)'")
            }
            let labels = LabelIndex(labels: question.labels)
            var ids: [String] = []
            var seen: Set<String> = []
            var classes: [Int] = []
            var values: [Double] = []
            var records: [QuestionData.RecordSpan] = []
            while let record = try reader.next() {
                guard record.count == header.count else {
                    throw DataError(file: file, problem: "line \(record.line): \(record.count) fields where the header has \(header.count)")
                }
                let id = record.string(idColumn)
                guard seen.insert(id).inserted else { throw DataError(file: file, problem: "line \(record.line): the id '\(id)' is repeated") }
                ids.append(id)
                records.append(QuestionData.RecordSpan(offset: record.offset, length: Int32(record.raw.count)))
                guard requiresTarget, let targetColumn else { continue }
                let target = record.string(targetColumn)
                switch question.kind {
                case .classification:
                    guard let index = labels.index(of: target) else {
                        throw DataError(file: file, problem: "line \(record.line): target '\(target)' is not one of the labels \(question.labels)")
                    }
                    classes.append(index)
                case .regression:
                    guard let value = Double(target.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                        throw DataError(file: file, problem: "line \(record.line): target '\(target)' is not a finite number")
                    }
                    values.append(value)
                }
            }
            let truth: GroundTruth = question.kind == .classification ? .classes(classes, classCount: question.labels.count) : .values(values)
            return ObjectsFile(header: header, ids: ids, truth: truth, records: records)
        } catch let error as DataError {
            throw error
        } catch let error as CSVParseError {
            throw DataError(file: file, problem: error.description)
        } catch {
            throw DataError(file: file, problem: "\(error)")
        }
    }
}

/// A data file opened for streaming with its header read: the reader, the column names and
/// the id column's index.
/// - Throws: ``QuestionData/DataError`` for a file that cannot be read, is empty, or lacks
///   the id column; ``CSVParseError`` for a header that cannot be parsed.
func openDataFile(_ url: URL, question: Question) throws -> (reader: CSVFileReader, header: [String], idColumn: Int) {
    let reader: CSVFileReader
    do {
        reader = try CSVFileReader(url: url)
    } catch {
        throw QuestionData.DataError(file: url.path, problem: "\(error)")
    }
    guard let header = try reader.next()?.strings else { throw QuestionData.DataError(file: url.path, problem: "is empty (no header)") }
    guard let idColumn = header.firstIndex(of: question.idColumn) else {
        throw QuestionData.DataError(
            file: url.path, problem: "has no id column '\(question.idColumn)' (its columns: \(header.prefix(20).joined(separator: ", ")))")
    }
    return (reader, header, idColumn)
}

/// Matches targets to a question's labels as ramp-workflow compares them: the same text, or
/// the same number (the target `3` is the label `3.0`).
public struct LabelIndex: Sendable {
    private let exact: [String: Int]
    private let numeric: [Double: Int]

    public init(labels: [String]) {
        exact = Dictionary(labels.enumerated().map { ($1, $0) }) { first, _ in first }
        numeric = Dictionary(
            labels.enumerated().compactMap { index, label in
                Double(label.trimmingCharacters(in: .whitespaces)).map { ($0, index) }
            }
        ) { first, _ in first }
    }

    /// The index of the label `target` is, or nil.
    public func index(of target: String) -> Int? {
        if let index = exact[target] { return index }
        return Double(target.trimmingCharacters(in: .whitespaces)).flatMap { numeric[$0] }
    }
}
