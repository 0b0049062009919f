import NIOCore
import NIOPosix

/// Runs blocking work (file and git I/O, parsing, scoring, blending, blame) on a dedicated
/// thread pool (SwiftNIO's `NIOThreadPool`), never on Swift's cooperative executor, whose few
/// threads (one per core) must stay free for requests and supervision.
public enum BlockingWork {
    /// The process's pool: four threads or one per core, whichever is more; started once and
    /// kept for the life of the process.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(4, System.coreCount))
        pool.start()
        return pool
    }()

    /// Runs `body` on the pool and returns its result.
    /// - Throws: what `body` throws; `CancellationError` when the task was cancelled before
    ///   `body` started (a started body runs to its end).
    public static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await pool.runIfActive(body)
    }
}
