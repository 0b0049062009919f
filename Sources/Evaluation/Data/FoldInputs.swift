import Challenge
import Foundation

/// The files a fold's sandboxed runs read: `train.csv` (the fold's training rows with the
/// target) and `predict.csv` (the fold's validation rows, then every test row, features
/// only: test labels never enter a sandbox). Written once per question and fold under
/// `<hub>/runs/.inputs/<question>/fold-<k>/`, and rewritten when the data files change.
public enum FoldInputs {
    /// The directory of fold `fold`'s input files, creating them when missing or stale.
    /// - Throws: a Foundation error when the files cannot be written.
    public static func prepare(data: QuestionData, fold: Int, cacheDirectory: URL, stamp: String) throws -> URL {
        let directory = cacheDirectory.appendingPathComponent(data.question.name).appendingPathComponent("fold-\(fold)")
        let stampURL = directory.appendingPathComponent("stamp")
        if let existing = try? String(contentsOf: stampURL, encoding: .utf8), existing == stamp {
            return directory
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let folds = data.folds[fold]
        try CSVTable(header: data.train.header, rows: folds.trainRows.map { data.train.rows[$0] })
            .write(to: directory.appendingPathComponent("train.csv"))
        let featureHeader = data.train.header.filter { $0 != data.question.targetColumn }
        let trainTarget = data.train.column(data.question.targetColumn)!
        let testColumns = featureHeader.map { data.test.column($0)! }
        var rows = folds.validationRows.map { row in
            data.train.rows[row].enumerated().filter { $0.offset != trainTarget }.map(\.element)
        }
        for row in data.test.rows {
            rows.append(testColumns.map { row[$0] })
        }
        try CSVTable(header: featureHeader, rows: rows).write(to: directory.appendingPathComponent("predict.csv"))
        try Data(stamp.utf8).write(to: stampURL, options: .atomic)
        return directory
    }

    /// A stamp of the data files (sizes and modification times) that changes when they do.
    public static func stamp(hubHome: URL, question: Question) -> String {
        [question.trainData, question.testData].map { path -> String in
            let attributes = try? FileManager.default.attributesOfItem(atPath: hubHome.appendingPathComponent(path).path)
            let size = (attributes?[.size] as? Int) ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            return "\(path):\(size):\(modified)"
        }.joined(separator: "|")
    }
}
