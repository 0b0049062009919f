import Challenge
import Foundation
import ScoreTypes

/// Reads every table and file directory of a question's data once, as `forkboard init` and
/// `forkboard challenge check` do before participants come: each row's id is an object of
/// its split, each object has rows in each table, each per-object file names an object, and
/// no training object has a label kept for the test objects (``Challenge/Question/unseenLabels``).
public enum DataScan {
    /// What the scan counted, and what deserves a look without being wrong.
    public struct Summary: Sendable {
        /// Rows per table name, training then test.
        public var tableRows: [(name: String, train: Int, test: Int)] = []
        /// Files per file directory name, training then test.
        public var files: [(name: String, train: Int, test: Int)] = []
        public var warnings: [String] = []
    }

    /// Scans `data`'s tables and file directories (both splits when it has test files).
    /// - Throws: ``QuestionData/DataError`` naming the file, the line (or the file's name) and
    ///   what to do, for the first problem found.
    public static func check(_ data: QuestionData) throws -> Summary {
        var summary = Summary()
        try checkUnseenLabels(data)
        let splits: [(files: QuestionFiles.Split, ids: [String], objectsFile: URL)] =
            [(data.files.train, data.trainIDs, data.files.train.objects)]
            + (data.files.test.map { [($0, data.testIDs, $0.objects)] } ?? [])
        for (position, table) in data.files.train.tables.enumerated() {
            var counts: [Int] = []
            var header: [String]?
            for split in splits {
                let url = split.files.tables[position].url
                var hasRows = [Bool](repeating: false, count: split.ids.count)
                var rows = 0
                try InputCutter.route(
                    url, question: data.question, index: ObjectIndex(split.ids, file: split.objectsFile.lastPathComponent),
                    lenient: data.isSubset,
                    header: { columns in
                        if let header, header != columns {
                            throw QuestionData.DataError(
                                file: url.path,
                                problem:
                                    "line 1: its columns (\(columns.joined(separator: ","))) differ from \(table.url.lastPathComponent)'s (\(header.joined(separator: ","))): give both splits the same columns in the same order"
                            )
                        }
                        header = columns
                    },
                    row: { _, object in
                        hasRows[object] = true
                        rows += 1
                    })
                if let missing = hasRows.firstIndex(of: false) {
                    let count = hasRows.lazy.filter { !$0 }.count
                    throw QuestionData.DataError(
                        file: url.path,
                        problem:
                            "\(count) object(s) of \(split.objectsFile.lastPathComponent) have no row here (the first: '\(split.ids[missing])'): "
                            + "give every object its rows, or leave the object out of \(split.objectsFile.lastPathComponent)")
                }
                counts.append(rows)
            }
            summary.tableRows.append((table.name, counts[0], counts.count > 1 ? counts[1] : 0))
        }
        for (position, directory) in data.files.train.fileDirectories.enumerated() {
            var counts: [Int] = []
            for split in splits {
                let listed = split.files.fileDirectories[position]
                let (count, withoutFile) = try checkFiles(listed, ids: split.ids, objectsFile: split.objectsFile, lenient: data.isSubset)
                if let first = withoutFile.first {
                    summary.warnings.append(
                        "\(listed.url.path): \(withoutFile.count) object(s) of \(split.objectsFile.lastPathComponent) have no file '<id>\(listed.suffix)' here (the first: '\(first)')"
                    )
                }
                counts.append(count)
            }
            summary.files.append((directory.name, counts[0], counts.count > 1 ? counts[1] : 0))
        }
        return summary
    }

    /// Refuses a training object whose label is one of the question's unseen labels.
    static func checkUnseenLabels(_ data: QuestionData) throws {
        let question = data.question
        guard !question.unseenLabels.isEmpty, case .classes(let classes, _) = data.trainTruth else { return }
        let unseen = Set(question.unseenLabels.compactMap { question.labels.firstIndex(of: $0) })
        if let object = classes.firstIndex(where: unseen.contains) {
            throw QuestionData.DataError(
                file: data.files.train.objects.path,
                problem: "the training object '\(data.trainIDs[object])' has the label '\(question.labels[classes[object]])', "
                    + "which unseen_labels keeps for test objects: remove it from the training objects, or from unseen_labels")
        }
    }

    /// The number of files of `directory`, and the ids without one; every entry must be a
    /// regular file named `<id><suffix>` of an object of `ids`.
    private static func checkFiles(
        _ directory: QuestionFiles.FileDirectory, ids: [String], objectsFile: URL,
        lenient: Bool
    ) throws -> (Int, [String]) {
        let fileManager = FileManager.default
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory.url.path)
        } catch {
            throw QuestionData.DataError(
                file: directory.url.path, problem: "is not a directory that can be read: declare a directory of files named <id>\(directory.suffix)")
        }
        let index = ObjectIndex(ids)
        var hasFile = [Bool](repeating: false, count: ids.count)
        var count = 0
        for name in names.sorted() {
            let path = directory.url.appendingPathComponent(name).path
            guard name.hasSuffix(directory.suffix), let object = index[String(name.dropLast(directory.suffix.count))] else {
                if lenient { continue }
                throw QuestionData.DataError(
                    file: path,
                    problem:
                        "names no object of \(objectsFile.lastPathComponent): each file is named <id>\(directory.suffix) for an object of its split")
            }
            var isDirectory: ObjCBool = false
            let attributes = try? fileManager.attributesOfItem(atPath: path)
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                attributes?[.type] as? FileAttributeType == .typeRegular
            else {
                throw QuestionData.DataError(file: path, problem: "is not a regular file (a directory or a symbolic link): give each object one file")
            }
            hasFile[object] = true
            count += 1
        }
        return (count, hasFile.indices.filter { !hasFile[$0] }.map { ids[$0] })
    }
}
