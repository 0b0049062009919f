import Foundation
import Hub
import Hummingbird
import Mustache

/// The plain HTML leaderboard, rendered with swift-mustache.
struct LeaderboardPage: Sendable {
    /// Rows shown per page.
    static let rowsPerPage = 100

    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        try library.register(Self.template, named: "leaderboard")
        self.library = library
    }

    func render(_ leaderboard: Leaderboard) -> ByteBuffer {
        let rows = leaderboard.rows.map { row -> [String: Any] in
            [
                "rank": row.rank.map(String.init) ?? "",
                "team": row.team,
                "submission": row.submission,
                "state": row.state,
                "scores": leaderboard.scoreTypes.map { scoreType in
                    ["value": row.scores["valid"]?[scoreType].map { String(format: "%.4f", $0) } ?? ""]
                },
                "public": row.scores["public"]?[leaderboard.officialScoreType].map { String(format: "%.4f", $0) } ?? "",
                "contributivity": row.contributivity.map { "\(Int(($0 * 100).rounded()))%" } ?? "",
                "historical": row.historicalContributivity.map { "\(Int(($0 * 100).rounded()))%" } ?? "",
                "ownCode": row.ownCodeShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "",
                "declaredAway": row.declaredAway.map { "\(Int(($0 * 100).rounded()))%" } ?? "",
                "trainSeconds": row.trainSeconds.map { String(format: "%.1f", $0) } ?? "",
                "testSeconds": row.testSeconds.map { String(format: "%.1f", $0) } ?? "",
                "submittedAt": row.submittedAt,
            ]
        }
        let combined = ["valid", "public", "private"].compactMap { split in
            leaderboard.combined["combined"]?[split].map { "\(split) " + String(format: "%.4f", $0) }
        }.joined(separator: ", ")
        var context: [String: Any] = [
            "combined": combined,
            "startingKit": leaderboard.startingKitHistoricalContributivity.map { "\(Int(($0 * 100).rounded()))%" } ?? "",
            "title": leaderboard.challenge,
            "question": leaderboard.question,
            "official": leaderboard.officialScoreType,
            "scoreTypes": leaderboard.scoreTypes.map { ["name": $0] },
            "rows": rows,
            "shown": "\(leaderboard.rows.count) of \(leaderboard.totalRows)",
        ]
        if let cursor = leaderboard.nextCursor {
            context["next"] = "?question=\(leaderboard.question.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")&cursor=\(cursor)"
        }
        return ByteBuffer(string: library.render(context, withTemplate: "leaderboard") ?? "template missing")
    }

    static let template = """
    <!doctype html>
    <html lang="en">
    <head><meta charset="utf-8"><title>{{title}}: leaderboard</title>
    <style>
    body { font-family: system-ui, sans-serif; margin: 2rem; }
    table { border-collapse: collapse; }
    th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; text-align: left; }
    td.number { text-align: right; font-variant-numeric: tabular-nums; }
    </style></head>
    <body>
    <h1>{{title}}</h1>
    <p>Question <strong>{{question}}</strong>, ranked by the bagged validation {{official}}.</p>
    <table>
    <thead><tr><th>Rank</th><th>Team</th><th>Submission</th>{{#scoreTypes}}<th>{{name}}</th>{{/scoreTypes}}<th>Public test {{official}}</th><th>Contributivity</th><th>Historical</th><th title="share of the submission's code tokens it wrote itself">Own code</th><th title="share of its own code its Credit: trailers give away">Declared away</th><th>Train s</th><th>Test s</th><th>Submitted (UTC)</th><th>State</th></tr></thead>
    <tbody>
    {{#rows}}<tr><td>{{rank}}</td><td>{{team}}</td><td>{{submission}}</td>{{#scores}}<td class="number">{{value}}</td>{{/scores}}<td class="number">{{public}}</td><td class="number">{{contributivity}}</td><td class="number">{{historical}}</td><td class="number">{{ownCode}}</td><td class="number">{{declaredAway}}</td><td class="number">{{trainSeconds}}</td><td class="number">{{testSeconds}}</td><td>{{submittedAt}}</td><td>{{state}}</td></tr>
    {{/rows}}
    </tbody>
    </table>
    <p>{{shown}} rows.{{#next}} <a href="{{next}}">Next page</a>{{/next}}</p>
    {{#combined}}<p>Combined (blend of every scored submission), {{official}}: {{combined}}.</p>{{/combined}}
    {{#startingKit}}<p>Historical contributivity kept by the organisers' starting kit: {{startingKit}}.</p>{{/startingKit}}
    </body>
    </html>
    """
}
