import Hummingbird
import HummingbirdAuth
import Ledger
import NIOCore

/// What a browser's session holds (hummingbird-auth keeps it in memory, behind an HttpOnly,
/// SameSite=Lax cookie): the member signed in, the hash of the token they signed in with (a
/// revoked token ends the session), and the session's anti-forgery token, which every form of
/// the hub carries and every form post must return.
public struct WebSession: Codable, Sendable, Equatable {
    public var login: String
    public var tokenSHA256: String
    public var formToken: String
}

/// The request context of Forkboard's server: Hummingbird's core context, the client's
/// address (passed to git as `REMOTE_ADDR`), the browser's session, and the member that
/// ``AuthenticationMiddleware`` signed in.
public struct ForkboardRequestContext: RequestContext, RemoteAddressRequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public let sessions: SessionContext<WebSession>
    /// The signed-in member; set on every route behind ``AuthenticationMiddleware``.
    public var member: MemberRecord?
    /// The ledger's version when the member was signed in (read with it).
    public var ledgerVersion: LedgerVersion?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        sessions = .init()
    }

    /// The signed-in member.
    /// - Throws: `HTTPError(.unauthorized)` when the route is not behind the middleware.
    public func requireMember() throws -> MemberRecord {
        guard let member else { throw HTTPError(.unauthorized) }
        return member
    }

    /// The anti-forgery token of the browser's session, or nil when the member signed in
    /// with HTTP basic authentication (git, curl), which has no forms.
    public var formToken: String? { sessions.session?.formToken }
}
