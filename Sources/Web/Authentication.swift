import Foundation
import Hummingbird
import Ledger

/// HTTP basic authentication against the ledger's members (login + access token).
struct Authentication: Sendable {
    let ledger: Ledger

    /// The member the request's `Authorization: Basic` header names, or nil when it is
    /// missing, malformed, or does not match.
    func member(of request: Request) -> MemberRecord? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1])),
              let text = String(data: decoded, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return nil }
        let login = String(text[..<colon])
        let token = String(text[text.index(after: colon)...])
        return try? ledger.authenticate(login: login, token: token)
    }

    /// The 401 answer that makes git and browsers ask for a login and token.
    static func challenge() -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Basic realm=\"Forkboard\", charset=\"UTF-8\""
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .unauthorized, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: "Sign in with your login and access token.\n")))
    }

    static func forbidden(_ message: String) -> Response {
        Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
