import Evaluation
import Foundation
import Host
import Ledger
import Logging
import ServiceLifecycle

/// The hub's upkeep, done by whichever process holds the `maintenance` service lease: the
/// reconciler (submission tags a crash left unrecorded, reservations of pushes that failed)
/// every `reconcileSeconds`, and open.git's synchronisation when the commons opens (a phase
/// change by the schedule or by the organisers), not on every request.
struct MaintenanceService: Service {
    let hub: Hub
    let owner: String
    let reconcileSeconds: TimeInterval
    let logger: Logger
    /// Where phase changes are announced.
    let webhooks: WebhookDispatcher
    /// Seconds between looks at the phase.
    var interval: Double = 2

    func run() async throws {
        let lease = ServiceLeaseHolder(hub: hub, name: "maintenance", owner: owner, seconds: 30)
        do {
            try await hub.useCurrentRankingSpecifications()
        } catch {
            logger.error("updating the leaderboards' ranking: \(error)")
        }
        let hub = self.hub
        let logger = self.logger
        let reconcileSeconds = self.reconcileSeconds
        let interval = self.interval
        let webhooks = self.webhooks
        await cancelWhenGracefulShutdown {
            var heldAt: Date?
            var commonsWasOpen = false
            var lastReconcile = Date.distantPast
            var unappliedFileWarned = false
            while !Task.isCancelled {
                if await lease.hold(lastHeldAt: &heldAt) {
                    do {
                        let status = try await BlockingWork.run { try PhaseClock(hub: hub).status() }
                        await HubEvents.announcePhase(status, hub: hub, webhooks: webhooks)
                        let open = status.isCommonsOpen
                        if open, !commonsWasOpen {
                            let published = try await BlockingWork.run { try OpenCommons(hub: hub).synchronize() }
                            if published > 0 { logger.notice("the commons is open: published \(published) submission(s) in open.git") }
                        }
                        commonsWasOpen = open
                        if Date().timeIntervalSince(lastReconcile) >= reconcileSeconds {
                            lastReconcile = Date()
                            let applied = (try? hub.configurationFileIsApplied()) ?? true
                            if !applied, !unappliedFileWarned {
                                logger.warning(
                                    "challenge.yaml changed since it was applied; 'forkboard challenge reload --hub \(hub.home.path)' checks it and makes every process use it"
                                )
                            }
                            unappliedFileWarned = !applied
                            for accepted in try await BlockingWork.run({ try Intake(hub: hub).reconcile() }) {
                                logger.notice("recorded \(accepted.submission.key), which a push left unrecorded")
                            }
                        }
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.error("maintaining the hub: \(error)")
                    }
                } else {
                    commonsWasOpen = false
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
        await lease.release()
    }
}
