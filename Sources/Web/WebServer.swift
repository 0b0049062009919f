import Challenge
import Foundation
import Hub
import Hummingbird
import Ledger
import Logging
import Mustache

/// Forkboard's HTTP server: git smart HTTP at `/git/<team>.git`, the JSON API under
/// `/api/v1`, and a plain HTML leaderboard at `/leaderboard`. Every route needs HTTP basic
/// authentication with a member's login and token.
public struct WebServer: Sendable {
    public let hub: Hub
    public let settings: ServerSettings
    public let logger: Logger

    public init(hub: Hub, settings: ServerSettings, logger: Logger) {
        self.hub = hub
        self.settings = settings
        self.logger = logger
    }

    /// The router with every route.
    /// - Throws: when the HTML template does not compile (a programming error).
    public func makeRouter() throws -> Router<ForkboardRequestContext> {
        let router = Router(context: ForkboardRequestContext.self)
        let authentication = Authentication(ledger: hub.ledger)
        let git = GitBackend(hub: hub, settings: settings, logger: logger)
        let api = APIHandlers(hub: hub)
        let page = try LeaderboardPage()
        let hub = self.hub

        @Sendable func gitRoute(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
            let path = request.uri.path
            // No way out of the repository named in the path.
            guard !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return Response(status: .notFound) }
            let rest = path.dropFirst("/git/".count)
            guard let slash = rest.firstIndex(of: "/") ?? Optional(rest.endIndex),
                  rest[..<slash].hasSuffix(".git") else {
                return Response(status: .notFound)
            }
            let repository = String(rest[..<slash].dropLast(4))
            guard let member = authentication.member(of: request) else { return Authentication.challenge() }
            if repository == "open" {
                return try await openRoute(request, context, member: member, pathInfo: "/" + String(rest))
            }
            guard member.team == repository, (try? hub.ledger.teamExists(repository)) == true else {
                return Authentication.forbidden("\(member.login) is not a member of team '\(repository)'")
            }
            return try await git.serve(request: request, context: context, projectRoot: hub.teamRepositoriesDirectory,
                                       pathInfo: "/" + String(rest), login: member.login)
        }
        /// open.git: read-only, for every participant, only while the commons is open.
        @Sendable func openRoute(_ request: Request, _ context: ForkboardRequestContext, member: MemberRecord, pathInfo: String) async throws -> Response {
            let status = try PhaseClock(hub: hub).status()
            guard status.isCommonsOpen else {
                let when = status.phase?.kind == .closed ? status.nextPhase.flatMap { next in
                    next.kind == .open ? " (it opens at \(Instant.format(next.start)))" : nil } ?? "" : ""
                return Authentication.forbidden("open.git is available in open phases only\(when)")
            }
            let isPush = request.uri.query?.contains("service=git-receive-pack") == true || request.uri.path.hasSuffix("/git-receive-pack")
            guard !isPush else { return Authentication.forbidden("open.git is read-only: push to your team's repository") }
            try OpenCommons(hub: hub).synchronize()
            return try await git.serve(request: request, context: context, projectRoot: hub.home.appendingPathComponent("repos"),
                                       pathInfo: pathInfo, login: member.login)
        }

        router.get("/git/**", use: gitRoute)
        router.post("/git/**", use: gitRoute)

        router.get("/api/v1/leaderboard") { request, _ -> Response in
            guard authentication.member(of: request) != nil else { return Authentication.challenge() }
            return try api.leaderboard(question: request.uri.queryParameters.get("question"))
        }
        router.get("/api/v1/submissions/{team}/{name}") { request, context -> Response in
            guard let member = authentication.member(of: request) else { return Authentication.challenge() }
            let team = try context.parameters.require("team")
            let name = try context.parameters.require("name")
            return try api.submission(team: team, name: name, viewer: member)
        }
        router.get("/leaderboard") { request, _ -> Response in
            guard authentication.member(of: request) != nil else { return Authentication.challenge() }
            do {
                return try page.render(Leaderboard.make(hub: hub, options: .init(
                    question: request.uri.queryParameters.get("question"), visibleSplits: try ScoreVisibility.participants(hub))))
            } catch let error as HubError {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: error.description + "\n")))
            }
        }
        router.get("/") { _, _ in
            Response(status: .seeOther, headers: [.location: "/leaderboard"])
        }
        return router
    }
}
