import Hummingbird
import NIOCore

/// The request context of Forkboard's server: Hummingbird's core context plus the client's
/// address (passed to git as `REMOTE_ADDR`).
public struct ForkboardRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
