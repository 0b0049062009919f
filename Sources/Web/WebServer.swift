import Challenge
import Foundation
import Host
import Hub
import Hummingbird
import HummingbirdAuth
import Ledger
import Logging

/// Forkboard's HTTP server: git smart HTTP at `/git/<team>.git` (and `/git/open.git` in open
/// phases), the JSON API under `/api/v1`, and the HTML pages (``WebPages``). Every
/// route is behind ``AuthenticationMiddleware`` (HTTP basic authentication with a
/// member's login and token). Handlers read the ledger on GRDB's threads and do blocking work
/// on ``Evaluation/BlockingWork``'s, never on Swift's cooperative pool; the server starts no
/// other work (``HubServer`` composes it with the hub's services).
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
    /// - Throws: when an HTML template does not compile (a programming error).
    public func makeRouter() throws -> Router<ForkboardRequestContext> {
        // HEAD answers what GET would, without the body (link checkers, `curl -I`).
        let router = Router(context: ForkboardRequestContext.self, options: .autoGenerateHeadEndpoints)
        let git = GitBackend(hub: hub, settings: settings, logger: logger)
        let cache = RenderedCache()
        let api = APIHandlers(hub: hub, cache: cache)
        let pages = try WebPages(hub: hub, cache: cache)
        let hub = self.hub

        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: PageErrorMiddleware(templates: pages.templates, title: hub.challenge.title))
        // Browser sessions, kept in this process's memory: a restart signs browsers out.
        router.add(
            middleware: SessionMiddleware(
                storage: MemoryPersistDriver(),
                configuration: SessionMiddlewareConfiguration(
                    sessionCookieParameters: SessionCookieParameters(name: "forkboard_session", sameSite: .lax))))
        SignInPages(hub: hub, templates: pages.templates).add(to: router)
        RegistrationPages(hub: hub, templates: pages.templates).add(to: router)
        let signedIn = router.group().add(middleware: AuthenticationMiddleware(hub: hub))

        @Sendable func gitRoute(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
            let member = try context.requireMember()
            let path = request.uri.path
            // No way out of the repository named in the path.
            guard !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return Response(status: .notFound) }
            let rest = path.dropFirst("/git/".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            guard rest[..<slash].hasSuffix(".git") else { return Response(status: .notFound) }
            let repository = String(rest[..<slash].dropLast(4))
            if repository == "open" {
                return try await openRoute(request, context, member: member, pathInfo: "/" + String(rest))
            }
            guard member.team == repository, try await hub.ledger.hasTeam(repository) else {
                let reason = "\(member.login) is not a member of team '\(repository)'"
                if Self.isPush(request) { try await auditRefusedPush(member: member, repository: repository, reason: reason, context: context) }
                return AuthenticationMiddleware.forbidden(reason)
            }
            return try await git.serve(
                request: request, context: context, projectRoot: hub.paths.teamRepositories,
                pathInfo: "/" + String(rest), login: member.login)
        }
        /// open.git: read-only, for every participant, only while the commons is open. Its
        /// references are published at each intake and when the commons opens, not here.
        @Sendable func openRoute(
            _ request: Request, _ context: ForkboardRequestContext, member: MemberRecord, pathInfo: String
        ) async throws -> Response {
            let status = try await PhaseClock(hub: hub).currentStatus()
            guard status.isCommonsOpen else {
                let when =
                    status.phase?.kind == .closed
                    ? status.nextPhase.flatMap { next in
                        next.kind == .open ? " (it opens at \(Instant.format(next.start)))" : nil
                    } ?? "" : ""
                return AuthenticationMiddleware.forbidden("open.git is available in open phases only\(when)")
            }
            guard !Self.isPush(request) else {
                let reason = "open.git is read-only: push to your team's repository"
                try await auditRefusedPush(member: member, repository: "open", reason: reason, context: context)
                return AuthenticationMiddleware.forbidden(reason)
            }
            return try await git.serve(
                request: request, context: context, projectRoot: hub.paths.repositories,
                pathInfo: pathInfo, login: member.login)
        }

        /// A push refused before git saw it is in the audit log too (the hooks audit the others).
        @Sendable func auditRefusedPush(member: MemberRecord, repository: String, reason: String, context: ForkboardRequestContext) async throws {
            let client = context.remoteAddress?.ipAddress ?? ""
            try await BlockingWork.run {
                try hub.ledger.audit(
                    "push", actor: member.login, team: member.team,
                    detail: [
                        "client": .text(client), "repository": .text(repository), "outcome": .text("refused"), "reasons": .list([.text(reason)]),
                    ])
            }
        }

        signedIn.get("/git/**", use: gitRoute)
        signedIn.post("/git/**", use: gitRoute)

        signedIn.get("/api/v1/leaderboard") { request, context -> Response in
            try await api.leaderboard(request, version: context.ledgerVersion, viewer: context.member)
        }
        signedIn.get("/api/v1/challenge") { _, _ -> Response in try await api.challenge() }
        signedIn.get("/api/v1/leaderboard/final") { request, context -> Response in
            try await api.finalLeaderboard(request, version: context.ledgerVersion, viewer: context.member)
        }
        signedIn.get("/api/v1/lineage") { _, context -> Response in try await api.lineage(version: context.ledgerVersion) }
        signedIn.get("/api/v1/openapi.yaml") { _, _ -> Response in try APIHandlers.openAPIDocument() }
        signedIn.get("/api/v1/submissions/{team}/{name}") { _, context -> Response in
            try await api.submission(
                SubmissionKey(team: try context.parameters.require("team"), name: try context.parameters.require("name")),
                viewer: try context.requireMember())
        }
        pages.add(to: signedIn)
        let organisers = OrganiserPages(hub: hub, templates: pages.templates)
        organisers.add(to: signedIn)
        organisers.addAPI(to: signedIn)
        SandboxPages(hub: hub, settings: settings, templates: pages.templates).add(to: signedIn)
        return router
    }

    /// True for the requests of a push (git's receive-pack service).
    static func isPush(_ request: Request) -> Bool {
        request.uri.query?.contains("service=git-receive-pack") == true || request.uri.path.hasSuffix("/git-receive-pack")
    }
}
