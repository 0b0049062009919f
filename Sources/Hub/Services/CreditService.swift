import Evaluation
import Foundation
import Host
import Ledger
import Logging
import ServiceLifecycle
import Synchronization

/// Recomputes credit (contributivity, combined scores, historical contributivity) when the
/// evaluation results changed, in whichever process of the hub holds the `credit` service
/// lease. Results and credit are versioned in the ledger (``Ledger/LedgerCounter``), so a
/// process knows what changed wherever it happened, and a restart recomputes nothing that
/// is up to date. The work runs on ``Evaluation/BlockingWork``'s threads, never on the
/// cooperative pool, and no worker waits for it.
struct CreditService: Service {
    let hub: Hub
    let owner: String
    let logger: Logger
    /// Seconds between looks at the results' version.
    var interval: Double = 1
    /// Seconds the `credit` lease lasts without renewal.
    var leaseSeconds: TimeInterval = 30

    func run() async throws {
        let lease = ServiceLeaseHolder(hub: hub, name: "credit", owner: owner, seconds: leaseSeconds)
        let computation = CreditComputation(hub: hub)
        await cancelWhenGracefulShutdown {
            var heldAt: Date?
            while !Task.isCancelled {
                if await lease.hold(lastHeldAt: &heldAt) {
                    await recomputeIfStale(computation)
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
        await lease.release()
    }

    private func recomputeIfStale(_ computation: CreditComputation) async {
        do {
            let results = try await hub.ledger.counter(.results)
            guard try await hub.ledger.counter(.credit) != results else { return }
            let started = Date()
            let logger = self.logger
            try await BlockingWork.run { try computation.recompute(logger: logger) }
            try await hub.ledger.setCounter(.credit, to: results)
            logger.info("credit recomputed in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        } catch is CancellationError {
        } catch {
            logger.error("recomputing credit: \(error)")
        }
    }
}

/// What a credit recomputation keeps between runs: parsed fold predictions and the lineage
/// computed so far (appended to, one new submission at a time). Blocking: call it on
/// ``Evaluation/BlockingWork``'s threads.
final class CreditComputation: Sendable {
    private let hub: Hub
    private let contributivity: Contributivity
    private let lineage: Mutex<LineageCreditComputation>

    init(hub: Hub) {
        self.hub = hub
        contributivity = Contributivity(hub: hub)
        lineage = Mutex(LineageCreditComputation(hub: hub))
    }

    /// Recomputes, then writes again the git notes of the submissions whose credit changed.
    func recompute(logger: Logger) throws {
        for summary in try contributivity.recomputeAll() {
            for skipped in summary.skipped { logger.warning("contributivity of \(summary.question) leaves out \(skipped)") }
            if let reason = summary.notBlended { logger.warning("no contributivity: \(reason)") }
        }
        let changed = try lineage.withLock { try $0.recompute() }
        let commits = Set(try changed.compactMap { try hub.ledger.submission(id: $0)?.commitID })
        for commit in commits {
            do {
                try ProvenanceRecorder.writeNote(hub: hub, commitID: commit)
            } catch {
                logger.warning("rewriting the note of \(commit) after a change of credit: \(error)")
            }
        }
    }
}
