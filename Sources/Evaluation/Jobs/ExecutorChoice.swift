import Challenge
import Foundation
import Synchronization

/// The executor that challenge.yaml's `executor:` names, chosen again at each evaluation so
/// that a reloaded configuration takes effect in running processes; one ``SlurmExecutor`` is
/// kept while its settings hold, so that its jobs share one watcher of the queue.
public final class ExecutorChoice: Sendable {
    private let slurm = Mutex<SlurmExecutor?>(nil)

    public init() {}

    /// The executor for `settings`.
    public func executor(for settings: ExecutorSettings) -> any Executor {
        switch settings {
        case .local:
            return LocalExecutor()
        case .slurm(let wanted):
            return slurm.withLock { kept in
                if let current = kept, current.settings == wanted { return current }
                let made = SlurmExecutor(settings: wanted)
                kept = made
                return made
            }
        }
    }
}
