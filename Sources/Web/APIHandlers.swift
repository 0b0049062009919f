import Foundation
import Hub
import Hummingbird
import Ledger

/// The JSON API (shapes documented in docs/json.md).
struct APIHandlers: Sendable {
    let hub: Hub

    static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: try LeaderboardFormatter.json(value))))
    }

    func leaderboard(question: String?) throws -> Response {
        do {
            return try Self.json(Leaderboard.make(hub: hub, options: .init(question: question, visibleSplits: try ScoreVisibility.participants(hub))))
        } catch let error as HubError {
            return try Self.json(["error": error.description], status: .notFound)
        }
    }

    func submission(team: String, name: String, viewer: MemberRecord) throws -> Response {
        guard let view = try SubmissionView.make(hub: hub, team: team, name: name, includeLogs: viewer.team == team,
                                                 visibleSplits: try ScoreVisibility.participants(hub)) else {
            return try Self.json(["error": "no submission \(team)/\(name)"], status: .notFound)
        }
        return try Self.json(view)
    }
}
