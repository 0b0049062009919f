/// A Slurm job's state (`squeue`'s `%T`, `scontrol`'s `JobState`) as Forkboard reads it:
/// waiting, running, or ended in one of the ways that decide what the evaluation becomes.
/// Slurm's states are listed in the squeue(1) manual, "JOB STATE CODES".
enum SlurmJobState: Sendable, Equatable {
    /// PENDING, REQUEUED and the like: the evaluation shows as queued.
    case waiting
    /// RUNNING, COMPLETING, SUSPENDED and the like: the evaluation shows its fold's step.
    case running
    /// COMPLETED: the job's report says how each step ended.
    case completed
    /// FAILED: the job's program exited with a non-zero status or was killed (Slurm's memory
    /// enforcement reports an over-memory kill this way when accounting gathers it).
    case failed
    /// OUT_OF_MEMORY: the submission went over the job's memory.
    case outOfMemory
    /// TIMEOUT, DEADLINE: the job's time limit, sized from the submission's limits, was reached.
    case timedOut
    /// CANCELLED: by the hub (an organiser's cancel) or by the cluster's administrators.
    case cancelled
    /// NODE_FAIL, BOOT_FAIL, PREEMPTED, REVOKED: the infrastructure's fault; the evaluation
    /// is retried.
    case infrastructureFailure(String)
    /// A state this table does not know, kept by name.
    case other(String)

    init(name: String) {
        // squeue may print `CANCELLED by 0`; scontrol prints the bare name.
        let base = name.split(separator: " ").first.map(String.init) ?? name
        switch base {
        case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "CONFIGURING", "RESV_DEL_HOLD": self = .waiting
        case "RUNNING", "COMPLETING", "SUSPENDED", "STOPPED", "RESIZING", "SIGNALING", "STAGE_OUT", "SPECIAL_EXIT": self = .running
        case "COMPLETED": self = .completed
        case "FAILED": self = .failed
        case "OUT_OF_MEMORY": self = .outOfMemory
        case "TIMEOUT", "DEADLINE": self = .timedOut
        case "CANCELLED": self = .cancelled
        case "NODE_FAIL", "BOOT_FAIL", "PREEMPTED", "REVOKED": self = .infrastructureFailure(base)
        default: self = .other(base)
        }
    }

    /// True when the job (or task) will not change any more.
    var hasEnded: Bool {
        switch self {
        case .waiting, .running, .other: false
        case .completed, .failed, .outOfMemory, .timedOut, .cancelled, .infrastructureFailure: true
        }
    }
}
