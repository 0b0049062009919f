import Challenge
import Foundation
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

    /// Reads `url` and returns predictions in the order of `expectedIDs`.
    /// - Throws: ``PredictionsError`` naming the first bad line (1-based, header = line 1).
    public static func read(_ url: URL, question: Question, expectedIDs: [String]) throws -> Predictions {
        let table: CSVTable
        do {
            table = try CSVTable.read(url)
        } catch let error as CSVTable.ParseError {
            throw PredictionsError(problem: "predictions file: \(error)")
        } catch {
            throw PredictionsError(problem: "no predictions file was written (\(url.lastPathComponent))")
        }
        guard let idColumn = table.column(question.idColumn) else {
            throw PredictionsError(problem: "predictions file: no '\(question.idColumn)' column (header: \(table.header.joined(separator: ",")))")
        }
        let valueNames = question.kind == .classification ? question.labels : [regressionColumn]
        let expectedHeader = Set([question.idColumn] + valueNames)
        if Set(table.header) != expectedHeader || table.header.count != expectedHeader.count {
            throw PredictionsError(problem: "predictions file: columns must be \(([question.idColumn] + valueNames).joined(separator: ",")) (found \(table.header.joined(separator: ",")))")
        }
        let valueColumns = valueNames.map { table.column($0)! }
        let position = Dictionary(uniqueKeysWithValues: expectedIDs.enumerated().map { ($1, $0) })
        var values = [Double](repeating: .nan, count: expectedIDs.count * valueColumns.count)
        var seen = [Bool](repeating: false, count: expectedIDs.count)
        for (offset, row) in table.rows.enumerated() {
            let line = offset + 2
            let id = row[idColumn]
            guard let target = position[id] else {
                throw PredictionsError(problem: "predictions line \(line): unknown id '\(id)'")
            }
            if seen[target] { throw PredictionsError(problem: "predictions line \(line): id '\(id)' appears twice") }
            seen[target] = true
            for (columnOffset, column) in valueColumns.enumerated() {
                let text = row[column].trimmingCharacters(in: .whitespaces)
                guard let value = Double(text), value.isFinite else {
                    throw PredictionsError(problem: "predictions line \(line) (id '\(id)'): '\(row[column])' in column \(valueNames[columnOffset]) is not a finite number")
                }
                if question.kind == .classification, value < 0 {
                    throw PredictionsError(problem: "predictions line \(line) (id '\(id)'): negative probability \(text) in column \(valueNames[columnOffset])")
                }
                values[target * valueColumns.count + columnOffset] = value
            }
        }
        if let missing = seen.firstIndex(of: false) {
            throw PredictionsError(problem: "predictions: \(expectedIDs.count - seen.filter { $0 }.count) expected ids missing, the first is '\(expectedIDs[missing])' (\(table.rows.count) rows written, \(expectedIDs.count) expected)")
        }
        switch question.kind {
        case .classification:
            return .probabilities(ProbabilityMatrix(rowCount: expectedIDs.count, classCount: valueColumns.count, values: values))
        case .regression:
            return .values(values)
        }
    }
}
