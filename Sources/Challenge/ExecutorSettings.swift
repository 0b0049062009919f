import Foundation

/// Where a hub runs its evaluation jobs: the `executor:` section of challenge.yaml.
///
/// ```yaml
/// executor:
///   type: slurm                # or local, the default: the hub's own machine
///   shared_directory: /sps/forkboard/my-challenge   # seen at the same path by the hub and the nodes
///   partition: htc
///   account: lsst
///   qos: normal
///   sbatch_arguments: ["--constraint=el9"]
///   jobs_in_flight: 50         # batch jobs submitted and not yet finished, at most
///   job_per: evaluation        # or fold: one array task per fold
///   cpus_per_task: 1
///   forkboard_command: /opt/forkboard/bin/forkboard   # as the nodes see it
/// ```
public enum ExecutorSettings: Sendable, Equatable {
    /// Jobs run in the sandbox of the machine whose process claimed them.
    case local
    /// Jobs are submitted to a Slurm cluster with `sbatch`.
    case slurm(SlurmSettings)

    /// The name written in challenge.yaml (`local`, `slurm`).
    public var typeName: String {
        switch self {
        case .local: "local"
        case .slurm: "slurm"
        }
    }

    static func read(_ node: YAMLNode) throws -> ExecutorSettings {
        if node.isMissing { return .local }
        if node.child("type").isMissing, let keys = node.value as? [String: Any], !keys.isEmpty {
            throw node.child("type").error("is required beside the other executor keys: local, or slurm")
        }
        let type = try node.child("type").string(default: "local")
        switch type {
        case "local":
            try node.rejectUnknownKeys(["type"])
            return .local
        case "slurm":
            return .slurm(try SlurmSettings.read(node))
        default:
            throw node.child("type").error("'\(type)' is not an executor; expected local or slurm")
        }
    }
}

/// How the hub uses a Slurm cluster (see ``ExecutorSettings``).
public struct SlurmSettings: Sendable, Equatable, Codable {
    /// What one batch job runs.
    public enum Granularity: String, Sendable, Equatable, Codable {
        /// One job runs every fold of an evaluation, one after the other.
        case evaluation
        /// One job array per evaluation, one task per fold: folds run side by side.
        case fold
    }

    /// A directory that the hub and every node see at the same path, on a shared filesystem.
    /// Job directories (`runs/`) live there; the hub's SQLite ledger never does.
    public var sharedDirectory: String
    /// `--partition`, `--account`, `--qos`; nil leaves the cluster's default.
    public var partition: String?
    public var account: String?
    public var qualityOfService: String?
    /// More `sbatch` arguments, given as they are (`--constraint=...`, `--reservation=...`).
    public var sbatchArguments: [String]
    /// Batch jobs submitted and not yet finished, at most: the hub follows this many
    /// evaluations at a time, the others wait in its own queue.
    public var jobsInFlight: Int
    public var granularity: Granularity
    /// `--cpus-per-task`.
    public var cpusPerTask: Int
    /// The `forkboard` executable as the nodes see it; nil: the hub's own executable's path.
    public var forkboardCommand: String?
    /// Seconds between two looks at the cluster's queue (one `squeue` for every job followed).
    public var pollSeconds: Double
    /// Bytes added to the sandbox's memory limit for `--mem` (the `forkboard run-job` process,
    /// bubblewrap, the page cache the job is charged for).
    public var memoryOverheadBytes: Int
    /// Seconds added to the job's time limit (start-up, copying, writing the report), before
    /// rounding up to Slurm's minutes.
    public var timeOverheadSeconds: Int

    public init(
        sharedDirectory: String, partition: String? = nil, account: String? = nil, qualityOfService: String? = nil,
        sbatchArguments: [String] = [], jobsInFlight: Int = 8, granularity: Granularity = .evaluation, cpusPerTask: Int = 1,
        forkboardCommand: String? = nil, pollSeconds: Double = 2, memoryOverheadBytes: Int = 512 << 20,
        timeOverheadSeconds: Int = 120
    ) {
        self.sharedDirectory = sharedDirectory
        self.partition = partition
        self.account = account
        self.qualityOfService = qualityOfService
        self.sbatchArguments = sbatchArguments
        self.jobsInFlight = jobsInFlight
        self.granularity = granularity
        self.cpusPerTask = cpusPerTask
        self.forkboardCommand = forkboardCommand
        self.pollSeconds = pollSeconds
        self.memoryOverheadBytes = memoryOverheadBytes
        self.timeOverheadSeconds = timeOverheadSeconds
    }

    static func read(_ node: YAMLNode) throws -> SlurmSettings {
        try node.rejectUnknownKeys([
            "type", "shared_directory", "partition", "account", "qos", "sbatch_arguments", "jobs_in_flight",
            "job_per", "cpus_per_task", "forkboard_command", "poll_seconds", "memory_overhead_bytes",
            "time_overhead_seconds",
        ])
        let shared = try node.child("shared_directory").string()
        guard shared.hasPrefix("/") else { throw node.child("shared_directory").error("must be an absolute path") }
        let granularityNode = node.child("job_per")
        let granularityName = try granularityNode.string(default: Granularity.evaluation.rawValue)
        guard let granularity = Granularity(rawValue: granularityName) else {
            throw granularityNode.error("'\(granularityName)' is not one of: evaluation, fold")
        }
        let command = node.child("forkboard_command").isMissing ? nil : try node.child("forkboard_command").string()
        if let command, !command.hasPrefix("/") { throw node.child("forkboard_command").error("must be an absolute path") }
        let poll = try node.child("poll_seconds").double(default: 2)
        guard poll >= 0.1, poll <= 600 else { throw node.child("poll_seconds").error("must be between 0.1 and 600") }
        func optional(_ key: String) throws -> String? {
            node.child(key).isMissing ? nil : try node.child(key).string()
        }
        return SlurmSettings(
            sharedDirectory: shared, partition: try optional("partition"), account: try optional("account"),
            qualityOfService: try optional("qos"), sbatchArguments: try node.child("sbatch_arguments").stringList(default: []),
            jobsInFlight: try node.child("jobs_in_flight").integer(default: 8, minimum: 1), granularity: granularity,
            cpusPerTask: try node.child("cpus_per_task").integer(default: 1, minimum: 1), forkboardCommand: command,
            pollSeconds: poll, memoryOverheadBytes: try node.child("memory_overhead_bytes").integer(default: 512 << 20, minimum: 0),
            timeOverheadSeconds: try node.child("time_overhead_seconds").integer(default: 120, minimum: 0))
    }
}

/// A webhook (`webhooks:` in challenge.yaml): a Slack-compatible JSON POST (Mattermost and
/// Matrix bridges take the same) for the events it lists.
///
/// ```yaml
/// webhooks:
///   - url: https://hooks.slack.com/services/T000/B000/XXXX
///     events: [submission_scored, new_best_score, phase_changed]   # default: all three
/// ```
public struct Webhook: Sendable, Equatable, Codable {
    public enum Event: String, Sendable, Equatable, Codable, CaseIterable {
        case submissionScored = "submission_scored"
        case newBestScore = "new_best_score"
        case phaseChanged = "phase_changed"
    }

    public let url: String
    public let events: [Event]

    public init(url: String, events: [Event] = Event.allCases) {
        self.url = url
        self.events = events
    }

    static func readAll(_ node: YAMLNode) throws -> [Webhook] {
        guard !node.isMissing else { return [] }
        return try node.list().map { item in
            try item.rejectUnknownKeys(["url", "events"])
            let url = try item.child("url").string()
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw item.child("url").error("must be an http:// or https:// address")
            }
            let names = try item.child("events").stringList(default: Event.allCases.map(\.rawValue))
            let events = try names.enumerated().map { index, name in
                guard let event = Event(rawValue: name) else {
                    throw item.child("events").error(
                        "entry \(index) ('\(name)') is not one of: \(Event.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return event
            }
            return Webhook(url: url, events: events)
        }
    }
}
