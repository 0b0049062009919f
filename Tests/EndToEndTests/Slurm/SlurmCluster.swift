import Foundation

/// The real one-node Slurm cluster of `scripts/slurm-test-cluster`, started once for the tests
/// that need it (`make test` stops it by PID after the tests).
actor SlurmCluster {
    static let shared = SlurmCluster()

    private var configuration: String?

    static let script = CommandRunner.repositoryRoot.appendingPathComponent("scripts/slurm-test-cluster").path

    /// Starts the cluster unless it runs; returns its `SLURM_CONF`.
    func start() async throws -> String {
        if let configuration { return configuration }
        let result = try await CommandRunner.run(Self.script, ["start"])
        guard result.status == 0, let path = result.output.split(separator: "\n").last.map(String.init), path.hasSuffix("slurm.conf") else {
            throw TestHubError("the test Slurm cluster did not start: \(result.output)")
        }
        configuration = path
        return path
    }

    /// Runs a Slurm client program against the cluster; returns its output.
    func run(_ program: String, _ arguments: [String]) async throws -> String {
        let configuration = try await start()
        var environment = ProcessInfo.processInfo.environment
        environment["SLURM_CONF"] = configuration
        let result = try await CommandRunner.run("/usr/bin/\(program)", arguments, environment: environment)
        return result.output
    }

    /// Each job's (or array task's) state, as squeue lists it, for the given job ids.
    func states(of jobIDs: [String]) async throws -> [String: String] {
        guard !jobIDs.isEmpty else { return [:] }
        let output = try await run("squeue", ["--noheader", "--states=all", "--array", "--jobs=\(jobIDs.joined(separator: ","))", "--format=%i|%T"])
        var states: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|").map(String.init)
            if fields.count == 2 { states[fields[0]] = fields[1] }
        }
        return states
    }

    /// Kills the node's daemons (slurmd, every slurmstepd): a node failure.
    func killNode() async throws {
        _ = try await CommandRunner.run(Self.script, ["kill-node"])
    }

    /// Starts slurmd again and waits for the node to be idle.
    func startNode() async throws {
        let result = try await CommandRunner.run(Self.script, ["start-node"])
        guard result.status == 0 else { throw TestHubError("slurmd did not start again: \(result.output)") }
    }
}

extension TestHub {
    /// A hub whose evaluations run on the test Slurm cluster: `executor:` written into its
    /// challenge.yaml with a shared directory of its own, and `extra` settings (indented lines).
    /// Returns the hub and its shared directory.
    static func onSlurm(
        template: String = "breast-cancer", folds: Int = 2, settings extra: String = "", limits: String? = nil, shared given: URL? = nil,
        configure: @escaping (String) -> String = { $0 }
    ) async throws -> (hub: TestHub, shared: URL) {
        let configuration = try await SlurmCluster.shared.start()
        var environment = CommandRunner.environment
        environment["SLURM_CONF"] = configuration
        let shared = given ?? FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-slurm-shared-\(UUID().uuidString.prefix(8))")
        let hub = try await TestHub(template: template, folds: folds, environment: environment) { text in
            var text =
                configure(text) + """

                    executor:
                      type: slurm
                      shared_directory: \(shared.path)
                      poll_seconds: 0.5
                    \(extra)
                    """
            if let limits { text = TestHub.replaceSection("limits", with: limits, in: text) }
            return text
        }
        return (hub, shared)
    }

    /// The Slurm job ids of every submission's evaluations (`slurm:` left out), by submission name.
    func slurmJobs() async throws -> [String: String] {
        var jobs: [String: String] = [:]
        for submission in try await submissions() {
            let evaluations = submission["evaluations"] as? [[String: Any]] ?? []
            if let job = evaluations.first?["batch_job"] as? String, let name = submission["submission"] as? String {
                jobs[name] = String(job.dropFirst("slurm:".count))
            }
        }
        return jobs
    }
}
