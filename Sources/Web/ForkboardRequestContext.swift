import Hummingbird
import Ledger
import NIOCore

/// The request context of Forkboard's server: Hummingbird's core context, the client's
/// address (passed to git as `REMOTE_ADDR`), and the member that ``AuthenticationMiddleware``
/// signed in.
public struct ForkboardRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The signed-in member; set on every route behind ``AuthenticationMiddleware``.
    public var member: MemberRecord?
    /// The ledger's version when the member was signed in (read with it).
    public var ledgerVersion: LedgerVersion?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The signed-in member.
    /// - Throws: `HTTPError(.unauthorized)` when the route is not behind the middleware.
    public func requireMember() throws -> MemberRecord {
        guard let member else { throw HTTPError(.unauthorized) }
        return member
    }
}
