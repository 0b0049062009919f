import Evaluation
import Foundation

/// Renders leaderboards as an aligned text table, CSV or JSON.
public enum LeaderboardFormatter {
    public enum Format: String, CaseIterable, Sendable {
        case table, json, csv
    }

    /// The header and cells of the leaderboard: rank, team, submission, each score type's
    /// bagged validation score, then the official test score, times, submitted at, state.
    static func cells(_ leaderboard: Leaderboard) -> (header: [String], rows: [[String]]) {
        let ranking = leaderboard.rankedBy
        let other = ranking == "valid" ? ["test"] : []
        let header =
            ["rank", "team", "submission"] + leaderboard.scoreTypes.map { "\(ranking)_\($0)" }
            + other.map { "\($0)_\(leaderboard.officialScoreType)" }
            + [
                "contributivity_percent", "historical_percent", "own_code_percent", "declared_away_percent",
                "train_seconds", "test_seconds", "submitted_at", "state",
            ]
        let rows = leaderboard.rows.map { row -> [String] in
            let rankingScores = leaderboard.scoreTypes.map { scoreType in
                row.scores[ranking]?[scoreType].map { String(format: "%.6f", $0) } ?? ""
            }
            let otherScores = other.map { split in row.scores[split]?[leaderboard.officialScoreType].map { String(format: "%.6f", $0) } ?? "" }
            let percent = { (value: Double?) in value.map { String(Int(($0 * 100).rounded())) } ?? "" }
            return [row.rank.map(String.init) ?? "", row.team, row.submission] + rankingScores + otherScores + [
                percent(row.contributivity), percent(row.historicalContributivity), percent(row.ownCodeShare), percent(row.declaredAway),
                row.trainSeconds.map { String(format: "%.2f", $0) } ?? "",
                row.testSeconds.map { String(format: "%.2f", $0) } ?? "",
                row.submittedAt, row.state,
            ]
        }
        return (header, rows)
    }

    /// The leaderboard in `format`.
    public static func render(_ leaderboard: Leaderboard, as format: Format) throws -> String {
        switch format {
        case .json:
            return try json(leaderboard)
        case .csv:
            let (header, rows) = cells(leaderboard)
            return CSVTable(header: header, rows: rows).text()
        case .table:
            let (header, rows) = cells(leaderboard)
            let basis = leaderboard.rankedBy == "valid" ? "bagged validation" : "test"
            var text =
                "\(leaderboard.challenge): question \(leaderboard.question), ranked by \(basis) \(leaderboard.officialScoreType)\n"
                + table(header: header, rows: rows)
            for kind in ["combined", "foldwise_best"] {
                guard let scores = leaderboard.combined[kind], !scores.isEmpty else { continue }
                let parts = scores.keys.sorted().map { "\($0) " + String(format: "%.6f", scores[$0]!) }
                text +=
                    "\(kind == "combined" ? "Combined (blend of every submission)" : "Foldwise best"): \(leaderboard.officialScoreType) \(parts.joined(separator: ", "))\n"
            }
            if let kit = leaderboard.startingKitHistoricalContributivity {
                text += "Historical contributivity kept by the organisers' starting kit: \(Int((kit * 100).rounded()))%\n"
            }
            return text
        }
    }

    /// Pretty-printed JSON with sorted keys.
    public static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// Columns padded to their widest cell.
    public static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
