import Challenge
import Foundation
import Host
import Hub
import Hummingbird
import Ledger

/// The JSON API (shapes documented in docs/json.md).
struct APIHandlers: Sendable {
    let hub: Hub
    let cache: RenderedCache

    /// Rows of a leaderboard page when the request does not say, and the most it may ask.
    static let defaultPageRows = 50
    static let maximumPageRows = 500

    static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: try LeaderboardFormatter.json(value))))
    }

    /// `GET /api/v1/leaderboard?question=&phase=&best_per_team=&limit=&cursor=`: one page of
    /// a question's leaderboard (`limit` rows, 50 by default, at most 500), and the
    /// `next_cursor` of the next page.
    func leaderboard(_ request: Request, version known: LedgerVersion?, viewer: MemberRecord?) async throws -> Response {
        let parameters = request.uri.queryParameters
        var limit = Self.defaultPageRows
        if let text = parameters.get("limit") {
            guard let value = Int(text), (1...Self.maximumPageRows).contains(value) else {
                return try Self.json(["error": "limit must be a number of rows from 1 to \(Self.maximumPageRows)"], status: .badRequest)
            }
            limit = value
        }
        let bestPerTeam = ["1", "true", "yes"].contains(parameters.get("best_per_team") ?? "")
        let version = if let known { known } else { try await hub.ledger.version() }
        let visible = ScoreVisibility.visible(to: viewer, hub, in: version)
        let options = Leaderboard.Options(
            question: parameters.get("question"), phase: parameters.get("phase"), bestPerTeam: bestPerTeam,
            visibleSplits: visible, limit: limit, cursor: parameters.get("cursor"))
        let key = RenderedCache.key(
            "/api/v1/leaderboard",
            [
                ("question", options.question), ("phase", options.phase), ("best_per_team", String(bestPerTeam)),
                ("limit", String(limit)), ("cursor", options.cursor),
            ], visibleSplits: visible, version: version)
        do {
            let hub = self.hub
            let body = try await cache.body(for: key) {
                let leaderboard = try await Leaderboard.make(hub: hub, options: options)
                return try await BlockingWork.run { ByteBuffer(string: try LeaderboardFormatter.json(leaderboard)) }
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
        } catch let error as HubError {
            if case .invalidCursor = error { return try Self.json(["error": error.description], status: .badRequest) }
            return try Self.json(["error": error.description], status: .notFound)
        }
    }

    /// `GET /api/v1/challenge`: the challenge, its phases and questions.
    func challenge() async throws -> Response {
        try Self.json(ChallengeView(challenge: hub.challenge, status: try await PhaseClock(hub: hub).currentStatus()))
    }

    /// `GET /api/v1/lineage`: every submission and the edges to its nearest ancestors.
    func lineage(version: LedgerVersion?) async throws -> Response {
        let version = if let version { version } else { try await hub.ledger.version() }
        let key = RenderedCache.key("/api/v1/lineage", [], visibleSplits: [], version: version)
        let hub = self.hub
        let body = try await cache.body(for: key) {
            let (nodes, parents) = try await LineageGraph.collect(hub: hub)
            let names = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, "\($0.key)") })
            let view = LineageView(
                nodes: nodes.map { .init(submission: "\($0.key)", team: $0.team, contributivity: $0.contributivity) },
                edges: parents.sorted { $0.key < $1.key }.flatMap { child, ancestors in
                    ancestors.compactMap { ancestor in names[ancestor].flatMap { from in names[child].map { LineageView.Edge(from: from, to: $0) } } }
                })
            return ByteBuffer(string: try LeaderboardFormatter.json(view))
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }

    /// `GET /api/v1/leaderboard/final?question=`: the final leaderboard, once the private
    /// scores are revealed (403 before).
    func finalLeaderboard(_ request: Request, version: LedgerVersion?, viewer: MemberRecord?) async throws -> Response {
        let version = if let version { version } else { try await hub.ledger.version() }
        guard ScoreVisibility.visible(to: viewer, hub, in: version).contains(.privateTest) else {
            return try Self.json(["error": "the final leaderboard is shown once the private scores are revealed"], status: .forbidden)
        }
        let hub = self.hub
        let question = request.uri.queryParameters.get("question")
        do {
            return try Self.json(try await BlockingWork.run { try FinalLeaderboard.make(hub: hub, question: question) })
        } catch let error as HubError {
            return try Self.json(["error": error.description], status: .notFound)
        }
    }

    /// `GET /api/v1/openapi.yaml`: the API's OpenAPI 3.1 document (a resource of this module).
    static func openAPIDocument() throws -> Response {
        guard let file = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { throw HTTPError(.notFound) }
        return Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: try String(contentsOf: file, encoding: .utf8))))
    }

    /// `GET /api/v1/submissions/TEAM/NAME`: one submission, its log for its own team and the organisers only.
    func submission(_ key: SubmissionKey, viewer: MemberRecord) async throws -> Response {
        let visible = try await ScoreVisibility.visible(to: viewer, of: hub)
        guard
            let view = try await SubmissionView.make(
                hub: hub, key: key, includeLogs: viewer.seesOwnWork(of: key.team),
                visibleSplits: visible)
        else {
            return try Self.json(["error": "no submission \(key)"], status: .notFound)
        }
        return try Self.json(view)
    }
}
