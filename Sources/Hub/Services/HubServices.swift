import Challenge
import Evaluation
import Foundation
import Host
import Ledger
import Logging
import ServiceLifecycle
import UnixSignals

/// The background services of a hub process: evaluation workers, the lease sweeper, the
/// credit service and the maintenance service. `forkboard serve` runs them beside its web
/// server, `forkboard worker` alone; any number of such processes on one hub share the
/// ledger's queue and divide the rest among themselves through service leases.
public enum HubServices {
    /// How a process takes part.
    public struct Settings: Sendable {
        /// Evaluation workers in this process (each runs one sandboxed job at a time).
        public var workerCount: Int
        /// Seconds an evaluation's lease lasts without renewal; a dead worker's evaluation is
        /// back in the queue at most this long plus one sweep after it died.
        public var leaseSeconds: TimeInterval
        /// Seconds between sweeps of expired leases (and looks at the configuration in force).
        public var sweepSeconds: TimeInterval
        /// Seconds between passes of the reconciler (submission tags a crash left unrecorded).
        public var reconcileSeconds: TimeInterval
        /// Whether this process computes credit and maintains the hub when no other does.
        public var sharesHubDuties: Bool

        public init(
            workerCount: Int, leaseSeconds: TimeInterval = 30, sweepSeconds: TimeInterval = 5,
            reconcileSeconds: TimeInterval = 60, sharesHubDuties: Bool = true
        ) {
            self.workerCount = workerCount
            self.leaseSeconds = leaseSeconds
            self.sweepSeconds = sweepSeconds
            self.reconcileSeconds = reconcileSeconds
            self.sharesHubDuties = sharesHubDuties
        }
    }

    /// Seconds a process takes at most to stop gracefully after SIGTERM or SIGINT (workers give
    /// their evaluations back to the queue, requests in flight end), then as long again to
    /// stop its tasks by cancellation; then it ends whatever still runs.
    public static let shutdownSeconds = 30

    /// The service group of a hub process: stopped by SIGTERM and SIGINT, within
    /// 2 × ``shutdownSeconds`` even when a client keeps a connection open or a service ignores
    /// the shutdown (nothing accepted is lost: the ledger is the truth, and a lease not given
    /// back expires).
    public static func groupConfiguration(services: [any Service], logger: Logger) -> ServiceGroupConfiguration {
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(shutdownSeconds)
        configuration.maximumCancellationDuration = .seconds(shutdownSeconds)
        return configuration
    }

    /// A name for this process, unique among the hub's live processes: `<role>-<host>-<pid>-<random>`.
    public static func processName(role: String) -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(role)-\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(6).lowercased())"
    }

    /// The services of one process named `processName`. Each evaluation runs with the
    /// executor that challenge.yaml names (`executor:`) when it starts, unless `executor` is
    /// given. With Slurm configured when the process starts, a process that runs workers runs
    /// `jobs_in_flight` of them, each following one batch job.
    public static func make(
        hub: Hub, settings: Settings, processName: String, logger: Logger,
        executor: (any Executor)? = nil
    ) -> [any Service] {
        Sandbox.removeAbandonedControlGroups()
        var workerCount = settings.workerCount
        if case .slurm(let slurm) = hub.challenge.executor, workerCount > 0 {
            workerCount = slurm.jobsInFlight
            logger.info(
                "evaluations run on Slurm: \(workerCount) job(s) in flight at most from this process, job directories in \(slurm.sharedDirectory)/runs"
            )
        }
        let evaluator = Evaluator(context: { hub.evaluationContext }, executor: executor)
        let provenance = ProvenanceRecorder(hub: hub, logger: logger)
        let webhooks = WebhookDispatcher(webhooks: { hub.challenge.webhooks }, logger: logger)
        var services: [any Service] = (0..<workerCount).map { index in
            let worker = EvaluationWorker(
                hub: hub, evaluator: evaluator, owner: "\(processName)-\(index)",
                leaseSeconds: settings.leaseSeconds, logger: logger
            ) { evaluation, state in
                if state.isFinal { await provenance.recordFinished(evaluation) }
                if state == .scored { await HubEvents.scored(evaluation, hub: hub, webhooks: webhooks) }
            }
            return LoopService { await worker.run() }
        }
        services.append(LoopService { await webhooks.run() })
        services.append(
            LoopService {
                while !Task.isCancelled {
                    do {
                        let requeued = try await hub.ledger.requeueExpiredLeases()
                        if requeued > 0 { logger.notice("returned \(requeued) evaluation(s) whose lease expired to the queue") }
                        let tasks = try await hub.ledger.requeueExpiredTaskLeases()
                        if tasks > 0 { logger.notice("returned \(tasks) task(s) whose lease expired to the queue") }
                        // A configuration applied by another process ('forkboard challenge reload').
                        if try await BlockingWork.run({ try hub.refreshConfiguration() }) {
                            try await hub.useCurrentRankingSpecifications()
                            logger.notice(
                                "now using the challenge configuration \(hub.configurationRecord.sha256.prefix(12)) applied by \(hub.configurationRecord.appliedBy)"
                            )
                        }
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.error("sweeping expired leases: \(error)")
                    }
                    try? await Task.sleep(for: .seconds(settings.sweepSeconds))
                }
            })
        if settings.sharesHubDuties {
            services.append(CreditService(hub: hub, owner: processName, logger: logger))
            services.append(
                MaintenanceService(
                    hub: hub, owner: processName, reconcileSeconds: settings.reconcileSeconds, logger: logger,
                    webhooks: webhooks))
        }
        return services
    }
}

/// A service whose body runs until it is cancelled; a graceful shutdown cancels it.
struct LoopService: Service {
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
    }
}

/// Holds a named service lease in the ledger while this process does the work only one
/// process of the hub should do; renews it every third of its length.
struct ServiceLeaseHolder: Sendable {
    let hub: Hub
    let name: String
    let owner: String
    let seconds: TimeInterval

    /// Whether this process holds the lease now, renewing it when due.
    func hold(lastHeldAt: inout Date?) async -> Bool {
        if let last = lastHeldAt, Date().timeIntervalSince(last) < seconds / 3 { return true }
        let held = (try? await hub.ledger.holdServiceLease(name, owner: owner, seconds: seconds)) ?? false
        lastHeldAt = held ? Date() : nil
        return held
    }

    func release() async {
        _ = try? await EvaluationWorker.uncancelled { try await hub.ledger.releaseServiceLease(name, owner: owner) }
    }
}
