import Foundation
import Hummingbird
import HummingbirdAuth
import Ledger

/// An `application/x-www-form-urlencoded` body, read whole up to a limit.
struct FormBody: Sendable {
    let fields: [(name: String, value: String)]

    /// The first value of `name`, or nil.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Reads and decodes the request's body.
    /// - Throws: `HTTPError(.contentTooLarge)` beyond `limit` bytes; `HTTPError(.badRequest)`
    ///   when it is not a form.
    static func read(_ request: Request, limit: Int) async throws -> FormBody {
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else {
            throw HTTPError(.unsupportedMediaType, message: "a form (application/x-www-form-urlencoded) is expected")
        }
        let buffer = try await request.body.collect(upTo: limit)
        return parse(String(buffer: buffer))
    }

    /// `a=1&b=x+y` as fields (`+` is a space; percent escapes decoded).
    static func parse(_ text: String) -> FormBody {
        FormBody(
            fields: text.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
                return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
            })
    }
}

/// The anti-forgery check of every form post: the form's `form_token` must be the session's.
enum FormProtection {
    /// - Throws: `HTTPError(.forbidden)` when the request has no browser session, the session
    ///   is not the signed-in member's (basic credentials sent beside another member's cookie),
    ///   or the token differs (a form posted from another site, or an old page).
    static func check(_ form: FormBody, context: ForkboardRequestContext) throws {
        guard let session = context.sessions.session, context.member.map({ $0.login == session.login }) ?? true else {
            throw HTTPError(.forbidden, message: "forms are sent from a page of your own browser session: sign in at /signin and send it again")
        }
        let expected = session.formToken
        guard let given = form["form_token"], !given.isEmpty,
            given.utf8.count == expected.utf8.count, zip(given.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else {
            throw HTTPError(.forbidden, message: "this form's anti-forgery token is missing or out of date: reload the page and send it again")
        }
    }
}
