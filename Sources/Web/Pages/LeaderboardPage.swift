import Foundation
import Hub
import Hummingbird

/// The HTML leaderboard of a question (`leaderboard.mustache`): the combined score above the
/// table; rank, team, submission (linked to its page), every score type of the split the
/// question is ranked by (cross-validation, or the public test rows of a predictions-only
/// question), the public test score beside cross-validation, contributivity, historical
/// contributivity, the share of its code it wrote and the share its `Credit:` trailers give
/// away, train and test time, submission time, state. Columns sort in the browser;
/// a search box filters teams and submissions; a phase filter, the best-per-team view and the
/// entries per page are query parameters.
struct LeaderboardPage: Sendable {
    /// Rows shown per page unless `limit` says otherwise, and the choices offered.
    static let rowsPerPage = 100
    static let pageSizes = [25, 50, 100, 500]

    let templates: PageTemplates

    /// What the reader asked for, shown back in the filters.
    struct Request: Sendable {
        var phase: String?
        var bestPerTeam: Bool
        var limit: Int
        var member: String
        /// The session's anti-forgery token (for the sign-out form), nil without a session.
        var formToken: String?
        var phases: [String]
        /// The reader is an organiser (sees every split, and the organisers' link).
        var organiser = false
    }

    func render(_ leaderboard: Leaderboard, request: Request) -> ByteBuffer {
        let split = leaderboard.rankedBy
        let showPublic = split == "valid"
        let first = 3
        let publicColumn = showPublic ? first + leaderboard.scoreTypes.count : nil
        let afterScores = first + leaderboard.scoreTypes.count + (showPublic ? 1 : 0)
        let rows = leaderboard.rows.map { row -> [String: Any] in
            [
                "rank": row.rank.map(String.init) ?? "",
                "team": row.team,
                "submission": row.submission,
                "link": PageFormat.submissionLink(row.team, row.submission),
                "state": row.state,
                "stateClass": PageFormat.stateClass(row.state),
                "scores": leaderboard.scoreTypes.map { ["value": PageFormat.score(row.scores[split]?[$0])] },
                "showPublic": showPublic,
                "public": PageFormat.score(row.scores["public"]?[leaderboard.officialScoreType]),
                "contributivity": PageFormat.percent(row.contributivity),
                "historical": PageFormat.percent(row.historicalContributivity),
                "ownCode": PageFormat.percent(row.ownCodeShare),
                "declaredAway": PageFormat.percent(row.declaredAway),
                "trainSeconds": PageFormat.seconds(row.trainSeconds),
                "testSeconds": PageFormat.seconds(row.testSeconds),
                "submittedAt": row.submittedAt,
            ]
        }
        let combined = ["valid", "public", "private"].compactMap { name in
            leaderboard.combined["combined"]?[name].map { "\(name) " + String(format: "%.4f", $0) }
        }.joined(separator: ", ")
        let query = leaderboard.question.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
        var context: [String: Any] = [
            "pageTitle": "Leaderboard",
            "member": request.member, "organiser": request.organiser,
            "formToken": request.formToken ?? false,
            "combined": combined,
            "startingKit": PageFormat.percent(leaderboard.startingKitHistoricalContributivity),
            "title": leaderboard.challenge,
            "question": leaderboard.question,
            "questionQuery": query,
            "official": leaderboard.officialScoreType,
            "rankedByLabel": split == "valid" ? "cross-validation" : split == "public" ? "public test" : "test",
            "scoreTypes": leaderboard.scoreTypes.enumerated().map { ["name": $1, "column": first + $0] },
            "publicColumn": publicColumn.map { $0 as Any } ?? false,
            "contributivityColumn": afterScores,
            "historicalColumn": afterScores + 1,
            "ownCodeColumn": afterScores + 2,
            "declaredAwayColumn": afterScores + 3,
            "trainColumn": afterScores + 4,
            "testColumn": afterScores + 5,
            "submittedColumn": afterScores + 6,
            "rows": rows,
            "shown": "\(leaderboard.rows.count) of \(leaderboard.totalRows)",
            "phases": request.phases.map { ["name": $0, "selected": $0 == request.phase] },
            "bestPerTeam": request.bestPerTeam,
            "limits": Self.pageSizes.map { ["value": $0, "selected": $0 == request.limit] },
        ]
        if let cursor = leaderboard.nextCursor {
            var next = "?question=\(query)&cursor=\(cursor)&limit=\(request.limit)"
            if let phase = request.phase { next += "&phase=\(phase.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")" }
            if request.bestPerTeam { next += "&best_per_team=1" }
            context["next"] = next
        }
        return templates.render("leaderboard", context)
    }
}
