import Evaluation
import Foundation
import Hub
import Hummingbird
import Ledger
import Logging

/// `forkboard serve`: the web server and the evaluation workers of one hub, in one process.
///
/// At start-up it returns to the queue every evaluation a previous server left running
/// (its lease owner is gone), and records any submission tag that a crash left unrecorded;
/// the reconciler then runs again every `reconcileSeconds`.
public struct HubServer: Sendable {
    public let hub: Hub
    public let host: String
    public let port: Int
    public let workerCount: Int
    public let settings: ServerSettings
    public let logger: Logger
    public let reconcileSeconds: Double

    public init(hub: Hub, host: String, port: Int, workerCount: Int, executablePath: String, logger: Logger, reconcileSeconds: Double = 60) {
        self.hub = hub
        self.host = host
        self.port = port
        self.workerCount = workerCount
        self.settings = ServerSettings(executablePath: executablePath)
        self.logger = logger
        self.reconcileSeconds = reconcileSeconds
    }

    /// Serves until cancelled or sent SIGINT/SIGTERM.
    /// - Parameter onRunning: called with the base URL (`http://host:port`) once listening.
    /// - Throws: when the address cannot be bound or the ledger cannot be read.
    public func run(onRunning: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        let instance = "serve-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        let abandoned = try hub.ledger.requeueAbandonedEvaluations(deadOwners: Set(try hub.ledger.runningEvaluations().compactMap(\.leaseOwner)))
        if abandoned > 0 { logger.notice("requeued \(abandoned) evaluation(s) left running by a previous server") }
        reconcile()

        let router = try WebServer(hub: hub, settings: settings, logger: logger).makeRouter()
        let settings = self.settings
        let host = self.host
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Forkboard"),
            onServerRunning: { channel in
                let boundPort = channel.localAddress?.port ?? 0
                let url = "http://\(host):\(boundPort)"
                settings.baseURL.set(url)
                await onRunning(url)
            },
            logger: logger)
        let evaluator = Evaluator(context: hub.evaluationContext)
        let credit = CreditScheduler(hub: hub, logger: logger)
        let provenance = ProvenanceRecorder(hub: hub, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<workerCount {
                let worker = Worker(ledger: hub.ledger, evaluator: evaluator, owner: "\(instance)-\(index)", logger: logger) { evaluation, state in
                    if state == .scored { await credit.markStale() }
                    if state.isFinal { await provenance.recordFinished(evaluation) }
                }
                group.addTask { await worker.run() }
            }
            group.addTask { await credit.run() }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(reconcileSeconds))
                    reconcile()
                }
            }
            group.addTask { try await app.runService() }
            // The application ends on SIGINT/SIGTERM: then stop the workers too.
            try await group.next()
            group.cancelAll()
        }
    }

    private func reconcile() {
        do {
            for accepted in try Intake(hub: hub).reconcile() {
                logger.notice("recorded \(accepted.submission.team)/\(accepted.submission.name), which a push left unrecorded")
            }
        } catch {
            logger.error("reconciling submission tags: \(error)")
        }
    }
}
