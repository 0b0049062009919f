import Challenge
import Foundation
import Hub
import Hummingbird
import HummingbirdAuth
import Ledger

/// Signing in and out in a browser: `/signin` asks for the login and access token (the ones
/// git uses) and opens a session (an HttpOnly, SameSite=Lax cookie; hummingbird-auth keeps the
/// session); `/signout` closes it. Outside ``AuthenticationMiddleware``.
struct SignInPages: Sendable {
    let hub: Hub
    let templates: PageTemplates

    func add(to router: Router<ForkboardRequestContext>) {
        router.get("/signin") { request, _ in
            let registration = try await hub.registrationRefusal() == nil
            return PageTemplates.html(
                templates.render(
                    "signin",
                    [
                        "pageTitle": "Sign in", "title": hub.challenge.title, "registration": registration,
                        "next": Self.localPath(request.uri.queryParameters.get("next")),
                    ]))
        }
        router.post("/signin") { request, context -> Response in
            let form = try await FormBody.read(request, limit: 16 << 10)
            let next = Self.localPath(form["next"])
            let (member, _) = try await hub.ledger.member(login: form["login"] ?? "", token: form["token"] ?? "")
            guard let member else {
                return PageTemplates.html(
                    templates.render(
                        "signin",
                        [
                            "pageTitle": "Sign in", "title": hub.challenge.title, "next": next, "login": form["login"] ?? "",
                            "error": "This login and access token do not match a member of the hub.",
                        ]), status: .unauthorized)
            }
            context.sessions.createSession(WebSession(login: member.login, tokenSHA256: member.tokenSHA256, formToken: Self.randomToken()))
            return Response(status: .seeOther, headers: [.location: next])
        }
        router.post("/signout") { request, context -> Response in
            let form = try await FormBody.read(request, limit: 16 << 10)
            try FormProtection.check(form, context: context)
            context.sessions.clearSession()
            return Response(status: .seeOther, headers: [.location: "/signin"])
        }
    }

    /// The page a browser without a session is sent to, coming back to where it was.
    static func redirectToSignIn(from request: Request) -> Response {
        let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let next = here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        return Response(status: .seeOther, headers: [.location: "/signin?next=\(next)"])
    }

    /// `path` when it is a path on this hub (no other site: `//host` and `http://` refused), else `/`.
    static func localPath(_ path: String?) -> String {
        // Visible ASCII only: browsers drop tabs and line breaks from a Location, so "/\t/host"
        // would become "//host", another site.
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
            path.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else { return "/" }
        return path
    }

    /// 32 random bytes, hexadecimal.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
