import Foundation
import Host
import Hub
import Hummingbird
import HummingbirdAuth
import Ledger

/// Signs members in: HTTP basic authentication (login + access token: git, curl, scripts), or
/// a browser's session opened at `/signin` (see ``SignInPages``), whose token must not have
/// been revoked since. The member goes in the request's context. A request with neither is
/// sent to the sign-in page when a browser asks for a page, and answered 401 with the
/// challenge that makes git ask for a login and token otherwise.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ForkboardRequestContext
    let hub: Hub
    var ledger: Ledger { hub.ledger }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let found: MemberRecord?
        let version: LedgerVersion
        if let (login, token) = Self.credentials(of: request) {
            (found, version) = try await ledger.member(login: login, token: token)
            guard found != nil else { return Self.challenge(json: request.uri.path.hasPrefix("/api/")) }
        } else if let session = context.sessions.session {
            let (member, current) = try await ledger.member(login: session.login)
            version = current
            found = member?.tokenSHA256 == session.tokenSHA256 ? member : nil
            if found == nil { context.sessions.clearSession() }
        } else {
            found = nil
            version = try await ledger.version()
        }
        guard let member = found else {
            return Self.wantsPage(request) ? SignInPages.redirectToSignIn(from: request) : Self.challenge(json: request.uri.path.hasPrefix("/api/"))
        }
        if version.configuration != hub.configurationRecord.id {
            // Another process applied a configuration: use it from this request on.
            let hub = self.hub
            _ = try await BlockingWork.run { try hub.refreshConfiguration() }
        }
        var context = context
        context.member = member
        context.ledgerVersion = version
        return try await next(request, context)
    }

    /// True for a browser asking for a page (not git, not the JSON API, not a picture).
    static func wantsPage(_ request: Request) -> Bool {
        let path = request.uri.path
        guard !path.hasPrefix("/git/"), !path.hasPrefix("/api/"), !path.hasSuffix(".svg") else { return false }
        return request.headers[.accept]?.contains("text/html") == true
    }

    /// The login and token of the request's `Authorization: Basic` header (decoded by
    /// hummingbird-auth), or nil when it is missing or malformed.
    static func credentials(of request: Request) -> (login: String, token: String)? {
        request.headers.basic.map { ($0.username, $0.password) }
    }

    /// The 401 answer that makes git and browsers ask for a login and token; for the JSON API,
    /// in its error shape.
    static func challenge(json: Bool = false) -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Basic realm=\"Forkboard\", charset=\"UTF-8\""
        headers[.contentType] = json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8"
        let text = "Sign in with your login and access token."
        return Response(
            status: .unauthorized, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: json ? "{\"error\": \"\(text)\"}\n" : text + "\n")))
    }

    static func forbidden(_ message: String) -> Response {
        Response(
            status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
