import Foundation
import Host
import Hub
import Hummingbird
import Ledger
import Logging
import ServiceLifecycle

/// `forkboard serve`: the web server and, beside it, the hub's services (``Hub/HubServices``:
/// evaluation workers unless there are none, the lease sweeper, credit and maintenance), as
/// services of one group that SIGINT and SIGTERM shut down gracefully: the web server stops
/// accepting requests and finishes those in flight; a worker stopped mid-evaluation returns
/// it to the queue without counting the attempt.
///
/// Nothing at start-up touches what other processes are doing: evaluations whose worker died
/// are found by their expired leases, in whichever process sweeps first.
public struct HubServer: Sendable {
    public let hub: Hub
    public let host: String
    public let port: Int
    public let services: HubServices.Settings
    public let settings: ServerSettings
    public let logger: Logger

    public init(
        hub: Hub, host: String, port: Int, services: HubServices.Settings, executablePath: String, logger: Logger,
        idleSeconds: Double = 60
    ) {
        self.hub = hub
        self.host = host
        self.port = port
        self.services = services
        self.settings = ServerSettings(executablePath: executablePath, idleSeconds: idleSeconds, spoolDirectory: Self.spoolDirectory(of: hub))
        self.logger = logger
    }

    /// `<hub>/spool/serve-<pid>`: this process's spooled push bodies. Directories of processes
    /// that are gone (killed mid-push) are removed.
    static func spoolDirectory(of hub: Hub) -> URL {
        let spool = hub.paths.spool
        for name in (try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? [] {
            guard let pid = Int32(name.dropFirst("serve-".count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: spool.appendingPathComponent(name))
        }
        return spool.appendingPathComponent("serve-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Serves until SIGINT or SIGTERM (or until the task is cancelled).
    /// - Parameter onRunning: called with the base URL (`http://host:port`) once listening.
    /// - Throws: when the address cannot be bound or the ledger cannot be read.
    public func run(onRunning: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        let router = try WebServer(hub: hub, settings: settings, logger: logger).makeRouter()
        let settings = self.settings
        let host = self.host
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.idleSeconds)))),
            configuration: .init(address: .hostname(host, port: port), serverName: "Forkboard"),
            onServerRunning: { channel in
                let boundPort = channel.localAddress?.port ?? 0
                let url = "http://\(host):\(boundPort)"
                settings.baseURL.set(url)
                await onRunning(url)
            },
            logger: logger)
        // The hooks' logic runs here, on a listener of the loopback interface only (its start is
        // not announced: the hub's address is the one above).
        var hooksLogger = logger
        hooksLogger.logLevel = max(logger.logLevel, .warning)
        let hooks = Application(
            router: HookEndpoint(hub: hub, secret: settings.hookSecret).makeRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "Forkboard hooks"),
            onServerRunning: { channel in settings.hookPort.set(String(channel.localAddress?.port ?? 0)) },
            logger: hooksLogger)
        let background = HubServices.make(hub: hub, settings: services, processName: HubServices.processName(role: "serve"), logger: logger)
        try await ServiceGroup(configuration: HubServices.groupConfiguration(services: [hooks, app] + background, logger: logger)).run()
    }
}
