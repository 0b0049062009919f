import Challenge
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import ScoreTypes

/// Reads and checks a predictions file written by a submission's `predict` run.
///
/// The file must have the id column and exactly one column per label (classification, any
/// order) or one `prediction` column (regression), and exactly one row per expected id.
/// Every value must be a finite number; probabilities must be non-negative. Rows whose
/// probabilities do not sum to 1 are accepted as they are: each score type treats them as
/// scikit-learn does (log loss renormalises each row; ROC AUC and the Brier score use the
/// columns as given; accuracy and F1 take the argmax).
public enum PredictionsReader {
    /// A predictions file that cannot be scored, with the first bad row.
    public struct PredictionsError: Error, CustomStringConvertible, Equatable {
        public let problem: String
        public var description: String { problem }
    }

    /// The column regression predictions are read from.
    public static let regressionColumn = "prediction"

    /// Bytes allowed per expected value (an id or a number, with its separator) before a file
    /// is refused as too large: generous for `%.17g` numbers and long ids.
    public static let bytesPerValue = 256

    /// Reads `url` and returns predictions in the order of `expectedIDs`.
    ///
    /// The file was written by untrusted code: it must be a regular file (a symbolic link is
    /// refused, never followed) no larger than ``bytesPerValue`` bytes per expected value, so
    /// that it can neither point the hub at another file nor exhaust its memory.
    /// - Throws: ``PredictionsError`` naming the first bad line (1-based, header = line 1).
    public static func read(_ url: URL, question: Question, expectedIDs: [String]) throws -> Predictions {
        let columns = (question.kind == .classification ? question.labels.count : 1) + 1
        let maximumBytes = (expectedIDs.count + 1) * columns * bytesPerValue + 65_536
        var status = stat()
        guard lstat(url.path, &status) == 0 else {
            throw PredictionsError(problem: "no predictions file was written (\(url.lastPathComponent))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw PredictionsError(problem: "the predictions file is not a regular file (a symbolic link or a special file); it is refused")
        }
        guard Int(status.st_size) <= maximumBytes else {
            throw PredictionsError(
                problem: "the predictions file has \(status.st_size) bytes, more than the \(maximumBytes) that \(expectedIDs.count) rows can need")
        }
        do {
            return try read(try CSVFileReader(url: url), question: question, expectedIDs: expectedIDs)
        } catch let error as PredictionsError {
            throw error
        } catch let error as CSVParseError {
            throw PredictionsError(problem: "predictions file: \(error)")
        } catch {
            throw PredictionsError(problem: "no predictions file was written (\(url.lastPathComponent))")
        }
    }

    /// Reads the predictions streamed by `reader`, record by record: only the values are kept.
    private static func read(_ reader: CSVFileReader, question: Question, expectedIDs: [String]) throws -> Predictions {
        guard let headerRecord = try reader.next() else { throw CSVParseError(line: 1, problem: "the file is empty (no header)") }
        let header = headerRecord.strings
        guard let idColumn = header.firstIndex(of: question.idColumn) else {
            throw PredictionsError(
                problem: "predictions file: no '\(question.idColumn)' column (header: \(Self.shortened(header.joined(separator: ","))))")
        }
        let valueNames = question.kind == .classification ? question.labels : [regressionColumn]
        let expectedHeader = Set([question.idColumn] + valueNames)
        if Set(header) != expectedHeader || header.count != expectedHeader.count {
            let missing = valueNames.filter { !header.contains($0) }
            let lacking =
                missing.isEmpty
                ? ""
                : "no column for the label(s) \(Self.shortened(missing.joined(separator: ", "))) (every label needs one, "
                    + "\(question.unseenLabels.isEmpty ? "" : "even \(question.unseenLabels.joined(separator: ", ")), which no training object has, ")"
                    + "a probability of 0 where the model has none); "
            throw PredictionsError(
                problem:
                    "predictions file: \(lacking)columns must be \(([question.idColumn] + valueNames).joined(separator: ",")) (found \(Self.shortened(header.joined(separator: ","))))"
            )
        }
        let valueColumns = valueNames.map { header.firstIndex(of: $0)! }
        let position = Dictionary(expectedIDs.enumerated().map { ($1, $0) }) { first, _ in first }
        var values = [Double](repeating: .nan, count: expectedIDs.count * valueColumns.count)
        var seen = [Bool](repeating: false, count: expectedIDs.count)
        var rowCount = 0
        while let row = try reader.next() {
            let line = row.line
            guard row.count == header.count else {
                throw PredictionsError(problem: "predictions file: line \(line): \(row.count) fields where the header has \(header.count)")
            }
            rowCount += 1
            let id = row.string(idColumn)
            guard let target = position[id] else {
                throw PredictionsError(problem: "predictions line \(line): unknown id '\(Self.shortened(id))'")
            }
            if seen[target] { throw PredictionsError(problem: "predictions line \(line): id '\(Self.shortened(id))' appears twice") }
            seen[target] = true
            for (columnOffset, column) in valueColumns.enumerated() {
                guard let value = row.double(column), value.isFinite else {
                    throw PredictionsError(
                        problem:
                            "predictions line \(line) (id '\(Self.shortened(id))'): '\(Self.shortened(row.string(column)))' in column \(valueNames[columnOffset]) is not a finite number"
                    )
                }
                if question.kind == .classification, value < 0 {
                    throw PredictionsError(
                        problem:
                            "predictions line \(line) (id '\(Self.shortened(id))'): negative probability \(Self.shortened(row.string(column).trimmingCharacters(in: .whitespaces))) in column \(valueNames[columnOffset])"
                    )
                }
                values[target * valueColumns.count + columnOffset] = value
            }
        }
        if let missing = seen.firstIndex(of: false) {
            throw PredictionsError(
                problem:
                    "predictions: \(expectedIDs.count - seen.filter { $0 }.count) expected ids missing, the first is '\(expectedIDs[missing])' (\(rowCount) rows written, \(expectedIDs.count) expected)"
            )
        }
        switch question.kind {
        case .classification:
            return .probabilities(ProbabilityMatrix(rowCount: expectedIDs.count, classCount: valueColumns.count, values: values))
        case .regression:
            return .values(values)
        }
    }

    /// `text` cut to 80 characters for a message: what a submission wrote may be huge.
    static func shortened(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(80)) + "..."
    }
}
