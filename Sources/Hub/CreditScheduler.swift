import Foundation
import Logging

/// Recomputes credit (contributivity, combined scores, historical contributivity) after newly
/// scored submissions, off the request path: each newly scored evaluation marks credit stale,
/// and one recomputation covers every mark made before it starts (debounced).
public actor CreditScheduler {
    private let hub: Hub
    private let logger: Logger
    private let contributivity: Contributivity
    private var stale = true
    private var recomputations = 0
    /// Kept between recomputations (appending new submissions only); used on this actor only.
    private let lineage: LineageCreditComputation

    public init(hub: Hub, logger: Logger) {
        self.hub = hub
        self.logger = logger
        self.contributivity = Contributivity(hub: hub)
        self.lineage = LineageCreditComputation(hub: hub)
    }

    /// Notes that a submission was scored.
    public func markStale() {
        stale = true
    }

    /// How many recomputations ran (for tests and logs).
    public var count: Int { recomputations }

    /// Looks every `interval` seconds whether credit is stale and recomputes it; runs until
    /// cancelled.
    public func run(interval: Double = 1) async {
        while !Task.isCancelled {
            if stale {
                stale = false
                await recompute()
            }
            try? await Task.sleep(for: .seconds(interval))
        }
    }

    private func recompute() async {
        let contributivity = self.contributivity
        let logger = self.logger
        // The blending is CPU work: run it off this actor's executor.
        await Task.detached(priority: .utility) {
            do {
                for summary in try contributivity.recomputeAll() {
                    for skipped in summary.skipped { logger.warning("contributivity of \(summary.question) leaves out \(skipped)") }
                }
            } catch {
                logger.error("recomputing contributivity: \(error)")
            }
        }.value
        do {
            try lineage.recompute()
        } catch {
            logger.error("recomputing lineage credit: \(error)")
        }
        recomputations += 1
    }
}
