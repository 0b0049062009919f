import Foundation
import Yams

/// A challenge as configured in a hub's `challenge.yaml`.
public struct ChallengeConfiguration: Sendable, Equatable {
    /// Human title, shown on leaderboards.
    public let title: String
    /// What the challenge is about, in Markdown (`description:`), shown on the hub's home page.
    public let description: String?
    /// The address of the challenge's forum or chat (`forum:`), linked from the home page.
    public let forum: String?
    /// How many submissions each team may select for the final (private) leaderboard
    /// (`final_selection:`, Kaggle's); 0: every submission counts.
    public let finalSelection: Int
    /// Where events are posted (`webhooks:`).
    public let webhooks: [Webhook]
    /// Whether anyone may register a new team during an open phase (`open_registration:`;
    /// organisers may still close it with `forkboard registration close`).
    public let openRegistration: Bool
    /// The questions, in file order.
    public let questions: [Question]
    /// Limits of each sandboxed run.
    public let limits: Limits
    /// Interpreter and libraries of the sandbox, recorded by `forkboard init`; nil in a
    /// starting kit's copy of the file (`forkboard evaluate` finds the local interpreter).
    public let runtime: Runtime?
    /// The phases; a configuration without `phases:` is always in one closed phase.
    public let schedule: Schedule
    public let quotas: Quotas
    public let pushLimits: PushLimits
    public let testSplit: TestSplit
    /// Where evaluation jobs run (`executor:`): this machine, or a Slurm cluster.
    public let executor: ExecutorSettings

    public init(
        title: String, questions: [Question], limits: Limits, runtime: Runtime?, schedule: Schedule = .alwaysClosed,
        quotas: Quotas = .unlimited, pushLimits: PushLimits = .defaults, testSplit: TestSplit = .defaults,
        executor: ExecutorSettings = .local, description: String? = nil, forum: String? = nil, finalSelection: Int = 0,
        webhooks: [Webhook] = [], openRegistration: Bool = false
    ) {
        self.title = title
        self.description = description
        self.forum = forum
        self.finalSelection = finalSelection
        self.webhooks = webhooks
        self.openRegistration = openRegistration
        self.questions = questions
        self.limits = limits
        self.runtime = runtime
        self.schedule = schedule
        self.quotas = quotas
        self.pushLimits = pushLimits
        self.testSplit = testSplit
        self.executor = executor
    }

    /// The question named `name`, or nil.
    public func question(named name: String) -> Question? {
        questions.first { $0.name == name }
    }

    /// Reads and validates `challenge.yaml`.
    /// - Throws: ``ChallengeError`` naming the file and the key when the file cannot be read,
    ///   is not YAML, or a key is missing or invalid.
    public static func load(from file: URL, initTime: Date? = nil) throws -> ChallengeConfiguration {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ChallengeError(file: file.path, key: "", problem: "cannot be read (\(error.localizedDescription))")
        }
        return try parse(text, file: file.path, initTime: initTime)
    }

    /// Validates the YAML `text`; `file` names it in errors. `initTime` resolves a template's
    /// relative instants (`init+14d`); without it only absolute instants are accepted.
    /// - Throws: ``ChallengeError`` as ``load(from:)`` does.
    public static func parse(_ text: String, file: String, initTime: Date? = nil) throws -> ChallengeConfiguration {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw ChallengeError(file: file, key: "", problem: "is not valid YAML (\(error))")
        }
        guard document is [String: Any] else {
            throw ChallengeError(file: file, key: "", problem: "must be a mapping of keys to values")
        }
        let root = YAMLNode(value: document, path: "", file: file)
        try root.rejectUnknownKeys([
            "title", "questions", "limits", "runtime", "phases", "quotas", "push_limits", "test_split", "executor", "description", "forum",
            "final_selection", "webhooks", "open_registration",
        ])
        let questionNodes = try root.child("questions").list()
        guard !questionNodes.isEmpty else { throw root.child("questions").error("must list at least one question") }
        let questions = try questionNodes.map(QuestionReader.read)
        var seen = Set<String>()
        for (index, question) in questions.enumerated() where !seen.insert(question.name).inserted {
            throw questionNodes[index].child("name").error("'\(question.name)' is used by two questions")
        }
        return ChallengeConfiguration(
            title: try root.child("title").string(),
            questions: questions,
            limits: try readLimits(root.child("limits")),
            runtime: root.child("runtime").isMissing ? nil : try readRuntime(root.child("runtime")),
            schedule: root.child("phases").isMissing ? .alwaysClosed : try ScheduleReader.read(root.child("phases"), initTime: initTime),
            quotas: try readQuotas(root.child("quotas")),
            pushLimits: try readPushLimits(root.child("push_limits")),
            testSplit: try readTestSplit(root.child("test_split")),
            executor: try ExecutorSettings.read(root.child("executor")),
            description: root.child("description").isMissing ? nil : try root.child("description").string(),
            forum: try readForum(root.child("forum")),
            finalSelection: try root.child("final_selection").integer(default: 0, minimum: 0),
            webhooks: try Webhook.readAll(root.child("webhooks")),
            openRegistration: try root.child("open_registration").boolean(default: false))
    }

    private static func readForum(_ node: YAMLNode) throws -> String? {
        guard !node.isMissing else { return nil }
        let address = try node.string()
        guard address.hasPrefix("https://") || address.hasPrefix("http://") else { throw node.error("must be an http:// or https:// address") }
        return address
    }

    private static func readQuotas(_ node: YAMLNode) throws -> Quotas {
        try node.rejectUnknownKeys(["minimum_interval_seconds", "maximum_per_day", "maximum_total", "count_own_errors"])
        return Quotas(
            minimumIntervalSeconds: try node.child("minimum_interval_seconds").integer(default: 0, minimum: 0),
            maximumPerDay: try node.child("maximum_per_day").integer(default: 0, minimum: 0),
            maximumTotal: try node.child("maximum_total").integer(default: 0, minimum: 0),
            countOwnErrors: try node.child("count_own_errors").boolean(default: true))
    }

    private static func readPushLimits(_ node: YAMLNode) throws -> PushLimits {
        try node.rejectUnknownKeys(["largest_blob_bytes", "push_bytes", "files", "tree_bytes"])
        let defaults = PushLimits.defaults
        return PushLimits(
            largestBlobBytes: try node.child("largest_blob_bytes").integer(default: defaults.largestBlobBytes, minimum: 1),
            pushBytes: try node.child("push_bytes").integer(default: defaults.pushBytes, minimum: 1),
            files: try node.child("files").integer(default: defaults.files, minimum: 1),
            treeBytes: try node.child("tree_bytes").integer(default: defaults.treeBytes, minimum: 1))
    }

    private static func readTestSplit(_ node: YAMLNode) throws -> TestSplit {
        try node.rejectUnknownKeys(["public_fraction", "seed"])
        let fraction = try node.child("public_fraction").double(default: TestSplit.defaults.publicFraction)
        guard (0...1).contains(fraction) else { throw node.child("public_fraction").error("must be between 0 and 1") }
        return TestSplit(publicFraction: fraction, seed: UInt64(try node.child("seed").integer(default: 1, minimum: 0)))
    }

    private static func readLimits(_ node: YAMLNode) throws -> Limits {
        try node.rejectUnknownKeys([
            "wall_seconds", "cpu_seconds", "memory_bytes", "processes", "file_size_bytes", "open_files",
            "output_tail_bytes", "output_bytes", "temporary_bytes", "written_bytes",
        ])
        let defaults = Limits.defaults
        return Limits(
            wallSeconds: try node.child("wall_seconds").integer(default: defaults.wallSeconds, minimum: 1),
            cpuSeconds: try node.child("cpu_seconds").integer(default: defaults.cpuSeconds, minimum: 1),
            memoryBytes: try node.child("memory_bytes").integer(default: defaults.memoryBytes, minimum: 1 << 20),
            processes: try node.child("processes").integer(default: defaults.processes, minimum: 1),
            fileSizeBytes: try node.child("file_size_bytes").integer(default: defaults.fileSizeBytes, minimum: 1),
            openFiles: try node.child("open_files").integer(default: defaults.openFiles, minimum: 16),
            outputTailBytes: try node.child("output_tail_bytes").integer(default: defaults.outputTailBytes, minimum: 1024),
            outputBytes: try node.child("output_bytes").integer(default: defaults.outputBytes, minimum: 1024),
            temporaryBytes: try node.child("temporary_bytes").integer(default: defaults.temporaryBytes, minimum: 1 << 20),
            writtenBytes: try node.child("written_bytes").integer(default: defaults.writtenBytes, minimum: 1 << 20))
    }

    private static func readRuntime(_ node: YAMLNode) throws -> Runtime {
        try node.rejectUnknownKeys(["bin", "read_only_paths"])
        // A template may give only the system paths its language needs; init adds the bin.
        let bin = node.child("bin").isMissing ? "/usr/bin" : try node.child("bin").string()
        guard bin.hasPrefix("/") else { throw node.child("bin").error("must be an absolute path") }
        let paths = try node.child("read_only_paths").stringList(default: [])
        for (index, path) in paths.enumerated() where !path.hasPrefix("/") {
            throw node.child("read_only_paths").error("entry \(index) ('\(path)') must be an absolute path")
        }
        return Runtime(binDirectory: bin, readOnlyPaths: paths)
    }
}
