import Challenge
import Foundation
import Host
import Subprocess
import SystemPackage
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs an untrusted command inside bubblewrap with resource limits.
///
/// The sandbox has every namespace unshared (no network at all, its own PID space), dies
/// with its parent, runs in a new session with a cleared environment, as uid/gid 65534,
/// with a read-only system (`/usr` and the runtime), a private size-capped `/tmp`, and only
/// the paths the caller binds. Limits come from ``Limits``: address space, CPU seconds,
/// file size, open files and processes as rlimits (through `prlimit`), wall time and output
/// size enforced by this type, which kills the whole process tree when one is exceeded.
public struct Sandbox: Sendable {
    /// A path of the host mounted in the sandbox.
    public struct Mount: Sendable, Equatable {
        public let hostPath: String
        public let sandboxPath: String
        public let writable: Bool

        public init(hostPath: String, sandboxPath: String, writable: Bool = false) {
            self.hostPath = hostPath
            self.sandboxPath = sandboxPath
            self.writable = writable
        }
    }

    public let runtime: Runtime
    public let limits: Limits
    /// The bubblewrap and prlimit executables.
    public let bubblewrapPath: String
    public let prlimitPath: String

    public init(
        runtime: Runtime, limits: Limits, bubblewrapPath: String = Executables.resolved("bwrap"),
        prlimitPath: String = Executables.resolved("prlimit")
    ) {
        self.runtime = runtime
        self.limits = limits
        self.bubblewrapPath = bubblewrapPath
        self.prlimitPath = prlimitPath
    }

    /// The full argument vector run on the host: prlimit, then bubblewrap, then `command`.
    /// - Parameter capAddressSpace: also cap each process's address space at the memory limit
    ///   (used when no control group caps the run's memory as a whole).
    public func arguments(
        command: [String], mounts: [Mount], workingDirectory: String, environment: [String: String],
        capAddressSpace: Bool = true
    ) -> [String] {
        var arguments = capAddressSpace ? ["--as=\(limits.memoryBytes)"] : []
        arguments += [
            "--cpu=\(limits.cpuSeconds)", "--fsize=\(limits.fileSizeBytes)",
            "--nofile=\(limits.openFiles)", "--nproc=\(limits.processes)", "--core=0", "--",
            bubblewrapPath,
            // Every namespace, the user namespace explicitly (bubblewrap only tries it for root),
            // no further user namespaces inside (no nested "root"), no capabilities.
            "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
            "--die-with-parent", "--new-session", "--clearenv",
            "--uid", "65534", "--gid", "65534",
            "--ro-bind", "/usr", "/usr",
        ]
        for link in ["bin", "sbin", "lib", "lib64", "lib32"] {
            let path = "/\(link)"
            if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                arguments += ["--symlink", destination, path]
            } else if FileManager.default.fileExists(atPath: path) {
                arguments += ["--ro-bind", path, path]
            }
        }
        for path in ["/etc/ld.so.cache", "/etc/alternatives", "/etc/localtime"] where FileManager.default.fileExists(atPath: path) {
            arguments += ["--ro-bind", path, path]
        }
        arguments += ["--proc", "/proc", "--dev", "/dev", "--size", String(limits.temporaryBytes), "--tmpfs", "/tmp"]
        for path in runtime.readOnlyPaths {
            arguments += ["--ro-bind", path, path]
        }
        for mount in mounts {
            arguments += [mount.writable ? "--bind" : "--ro-bind", mount.hostPath, mount.sandboxPath]
        }
        var fullEnvironment = [
            "PATH": "\(runtime.binDirectory):/usr/local/bin:/usr/bin:/bin",
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
            // One thread per run: fair between submissions, and what the limits assume.
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        ]
        fullEnvironment.merge(environment) { _, new in new }
        for (key, value) in fullEnvironment.sorted(by: { $0.key < $1.key }) {
            arguments += ["--setenv", key, value]
        }
        arguments += ["--chdir", workingDirectory, "--"]
        arguments += command
        return arguments
    }

    /// Runs `command` in the sandbox and waits for it, at most the wall-time limit.
    /// - Parameters:
    ///   - mounts: host paths to expose, read-only unless marked writable.
    ///   - workingDirectory: the sandbox path the command starts in.
    ///   - environment: variables added to the sandbox's minimal environment.
    /// - Returns: how it ended, the wall time in seconds, and the tail of its combined output.
    /// - Throws: `CancellationError` when the calling task was cancelled (the run is killed
    ///   and nothing of it is reported); `SubprocessError` or ``SandboxError`` when the
    ///   sandbox cannot be started at all.
    public func run(command: [String], mounts: [Mount], workingDirectory: String, environment: [String: String]) async throws -> SandboxResult {
        let started = ContinuousClock.now
        var options = PlatformOptions()
        options.createSession = true
        let limits = self.limits
        let group = ResourceGroup.create(
            name: "forkboard-\(getpid())-\(UUID().uuidString.prefix(12))", memoryBytes: limits.memoryBytes, processes: limits.processes)
        defer {
            group?.killAll()
            group?.remove()
        }
        let sandboxArguments =
            [prlimitPath]
            + arguments(
                command: command, mounts: mounts, workingDirectory: workingDirectory, environment: environment,
                capAddressSpace: group == nil)
        // A shell joins the control groups, then becomes prlimit, then bubblewrap: nothing the
        // run starts can escape the groups.
        let script = "for file in $FORKBOARD_CGROUP_PROCS; do echo $$ > \"$file\" || exit 125; done; unset FORKBOARD_CGROUP_PROCS; exec \"$@\""
        let writable = mounts.filter(\.writable).map { URL(fileURLWithPath: $0.hostPath) }
        let status: TerminationStatus
        let events: RunEvents
        do {
            let execution = try await Subprocess.run(
                .path("/bin/sh"),
                arguments: Arguments(["-c", script, "sandbox"] + sandboxArguments),
                environment: .custom(["FORKBOARD_CGROUP_PROCS": (group?.processFiles ?? []).joined(separator: " ")]),
                platformOptions: options,
                input: .none,
                output: .sequence,
                error: .combinedWithOutput
            ) { execution in
                try await Self.supervise(execution, group: group, limits: limits, writable: writable)
            }
            status = execution.terminationStatus
            events = execution.closureResult
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
        // A run stopped because the caller was cancelled (a shutdown, a lost lease) ended
        // through no fault of its own: report nothing of it.
        if Task.isCancelled { throw CancellationError() }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let usage = group?.usage() ?? ResourceGroup.Usage()
        // Status 125 is what the shell exits with when it cannot join the groups, before
        // anything of the run starts: then the groups measured no CPU at all. A run that exits
        // with 125 itself has used some.
        if status == .exited(125), group != nil, events.capture.totalBytes == 0, (usage.cpuSeconds ?? 0) == 0 {
            throw SandboxError.cannotJoinControlGroups
        }
        let evidence = Evidence(
            status: status, outputExceeded: events.capture.exceededLimit, diskSpaceExceeded: events.diskSpaceExceeded,
            wallTimeExceeded: events.wallTimeExceeded || seconds >= Double(limits.wallSeconds),
            usage: usage, fileReachedLimit: Self.holdsFile(atLeast: limits.fileSizeBytes, in: writable))
        return SandboxResult(
            ending: Self.ending(evidence, limits: limits),
            wallSeconds: seconds,
            cpuSeconds: usage.cpuSeconds,
            peakMemoryBytes: usage.peakMemoryBytes,
            outputTail: events.capture.tailText,
            outputBytes: events.capture.totalBytes)
    }

    /// The limits the hub enforced on a run, set before it kills the run (so that they are
    /// known whichever of its tasks ends first).
    final class Enforced: Sendable {
        let wallTime = Atomic<Bool>(false)
        let diskSpace = Atomic<Bool>(false)
    }

    /// What happened first while a run was supervised.
    enum SupervisionEvent: Sendable { case finished(OutputCapture), wallTime, processLimit, diskSpace }

    /// What the hub saw of a run while it supervised it.
    struct RunEvents: Sendable {
        var capture: OutputCapture
        var wallTimeExceeded = false
        var diskSpaceExceeded = false
    }

    /// Reads the run's output and enforces the wall-time, output, process and written-bytes
    /// limits, killing the run's process group when one is exceeded (or when the calling task
    /// is cancelled).
    private static func supervise<Input: InputProtocol, Error: OutputProtocol>(
        _ execution: Execution<Input, SequenceOutput, Error>, group: ResourceGroup?, limits: Limits, writable: [URL]
    ) async throws -> RunEvents {
        let processID = execution.processIdentifier.value
        let enforced = Enforced()
        @Sendable func killRun() {
            kill(-processID, SIGKILL)
            kill(processID, SIGKILL)
            group?.killAll()
        }
        return try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: SupervisionEvent?.self) { tasks in
                tasks.addTask {
                    try await Task.sleep(for: .seconds(limits.wallSeconds))
                    enforced.wallTime.store(true, ordering: .sequentiallyConsistent)
                    killRun()
                    return .wallTime
                }
                if let group {
                    // A run that reaches its process limit is stopped at once: a fork bomb
                    // would otherwise churn until the wall-time limit.
                    tasks.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .milliseconds(200))
                            if group.usage().hitProcessLimit {
                                killRun()
                                return nil
                            }
                        }
                        return nil
                    }
                }
                if !writable.isEmpty {
                    // What the run leaves in its writable directories is looked at twice a
                    // second: each file is capped by RLIMIT_FSIZE, their number is not.
                    tasks.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .milliseconds(500))
                            if bytes(under: writable) > limits.writtenBytes {
                                enforced.diskSpace.store(true, ordering: .sequentiallyConsistent)
                                killRun()
                                return .diskSpace
                            }
                        }
                        return nil
                    }
                }
                tasks.addTask {
                    var capture = OutputCapture(tailLimit: limits.outputTailBytes)
                    for try await buffer in execution.standardOutput {
                        buffer.withUnsafeBytes { capture.append($0) }
                        if capture.totalBytes > limits.outputBytes, !capture.exceededLimit {
                            capture.exceededLimit = true
                            killRun()
                        }
                    }
                    return .finished(capture)
                }
                var events = RunEvents(capture: OutputCapture(tailLimit: limits.outputTailBytes))
                for try await event in tasks {
                    switch event {
                    case .wallTime: events.wallTimeExceeded = true
                    case .diskSpace: events.diskSpaceExceeded = true
                    case .finished(let capture):
                        events.capture = capture
                        events.wallTimeExceeded = events.wallTimeExceeded || enforced.wallTime.load(ordering: .sequentiallyConsistent)
                        events.diskSpaceExceeded = events.diskSpaceExceeded || enforced.diskSpace.load(ordering: .sequentiallyConsistent)
                        tasks.cancelAll()
                        return events
                    case .processLimit, nil: break
                    }
                }
                return events
            }
        } onCancel: {
            killRun()
        }
    }

    /// The facts a run's ending is decided from; none of them can be forged by the run.
    struct Evidence {
        var status: TerminationStatus
        /// The hub killed the run for its output size.
        var outputExceeded: Bool
        /// The hub killed the run for what it wrote in its writable directories.
        var diskSpaceExceeded: Bool = false
        /// The hub's clock reached the wall-time limit.
        var wallTimeExceeded: Bool
        /// The control groups' counters.
        var usage: ResourceGroup.Usage
        /// A file in a writable directory of the run reached the file-size limit (the kernel
        /// stops writes there: a process gets SIGXFSZ, or EFBIG when it ignores the signal, as
        /// Python does).
        var fileReachedLimit: Bool
    }

    /// How a run ended, from evidence the run cannot forge: the hub's own clocks and counts,
    /// the kernel's counters of the run's control groups, and the sizes of the files it wrote.
    /// What the run printed never matters, and an exit status alone never names a limit (a run
    /// may exit with 152, which bubblewrap would report for SIGXCPU): the CPU-time limit is
    /// reported when the status says SIGXCPU or SIGKILL and the measured CPU time reached the
    /// limit (or no control group measures it).
    static func ending(_ evidence: Evidence, limits: Limits) -> SandboxResult.Ending {
        if evidence.outputExceeded { return .limitExceeded(.output) }
        if evidence.diskSpaceExceeded { return .limitExceeded(.diskSpace) }
        if evidence.wallTimeExceeded { return .limitExceeded(.wallTime) }
        if evidence.status == .exited(0) { return .succeeded }
        if evidence.usage.hitMemoryLimit { return .limitExceeded(.memory) }
        if evidence.usage.hitProcessLimit { return .limitExceeded(.processes) }
        let signal: Int32?
        switch evidence.status {
        case .exited(let code): signal = code > 128 && code < 128 + 65 ? code - 128 : nil
        case .signaled(let number): signal = number
        }
        let cpuReached = evidence.usage.cpuSeconds.map { $0 >= Double(limits.cpuSeconds) - 0.5 } ?? true
        if let signal, signal == SIGXCPU || signal == SIGKILL, cpuReached { return .limitExceeded(.cpuTime) }
        if evidence.fileReachedLimit { return .limitExceeded(.fileSize) }
        switch evidence.status {
        case .exited(let code): return .failed(exitCode: code)
        case .signaled: return .killed
        }
    }

    /// The bytes of the regular files under `directories` (of their first 100,000 entries; a
    /// run with more is over any sensible limit anyway, and counted as such).
    static func bytes(under directories: [URL]) -> Int {
        var total = 0
        for directory in directories {
            guard
                let enumerator = FileManager.default.enumerator(
                    at: directory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey], options: [])
            else { continue }
            var seen = 0
            for case let url as URL in enumerator {
                seen += 1
                if seen > 100_000 { return Int.max }
                guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
                total += values.fileSize ?? 0
            }
        }
        return total
    }

    /// True when a regular file of at least `bytes` bytes is under one of `directories`
    /// (looked at for the first 10,000 entries of each).
    static func holdsFile(atLeast bytes: Int, in directories: [URL]) -> Bool {
        for directory in directories {
            guard
                let enumerator = FileManager.default.enumerator(
                    at: directory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey], options: [])
            else { continue }
            var seen = 0
            for case let url as URL in enumerator {
                seen += 1
                if seen > 10_000 { break }
                guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
                if (values.fileSize ?? 0) >= bytes { return true }
            }
        }
        return false
    }
}

/// The sandbox itself could not be set up (a fault of the hub, not of the submission).
public enum SandboxError: Error, CustomStringConvertible {
    case cannotJoinControlGroups

    public var description: String {
        switch self {
        case .cannotJoinControlGroups: "the sandbox could not join its control groups"
        }
    }
}

extension Sandbox {
    /// Removes the empty control groups that sandboxed runs of processes killed without
    /// cleaning up (SIGKILL) left behind. Returns how many were removed.
    @discardableResult
    public static func removeAbandonedControlGroups() -> Int {
        ResourceGroup.removeAbandoned()
    }
}
