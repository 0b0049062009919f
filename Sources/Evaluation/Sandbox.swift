import Challenge
import Foundation
import Subprocess
import SystemPackage

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

    public init(runtime: Runtime, limits: Limits, bubblewrapPath: String = "/usr/bin/bwrap", prlimitPath: String = "/usr/bin/prlimit") {
        self.runtime = runtime
        self.limits = limits
        self.bubblewrapPath = bubblewrapPath
        self.prlimitPath = prlimitPath
    }

    /// The full argument vector run on the host: prlimit, then bubblewrap, then `command`.
    /// - Parameter capAddressSpace: also cap each process's address space at the memory limit
    ///   (used when no control group caps the run's memory as a whole).
    public func arguments(command: [String], mounts: [Mount], workingDirectory: String, environment: [String: String],
                          capAddressSpace: Bool = true) -> [String] {
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
    /// - Throws: `SubprocessError` when prlimit or bubblewrap cannot be started at all.
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
        let sandboxArguments = [prlimitPath] + arguments(
            command: command, mounts: mounts, workingDirectory: workingDirectory, environment: environment,
            capAddressSpace: group == nil)
        // A shell joins the control groups, then becomes prlimit, then bubblewrap: nothing the
        // run starts can escape the groups.
        let script = "for file in $FORKBOARD_CGROUP_PROCS; do echo $$ > \"$file\" || exit 125; done; unset FORKBOARD_CGROUP_PROCS; exec \"$@\""
        let execution = try await Subprocess.run(
            .path("/bin/sh"),
            arguments: Arguments(["-c", script, "sandbox"] + sandboxArguments),
            environment: .custom(["FORKBOARD_CGROUP_PROCS": (group?.processFiles ?? []).joined(separator: " ")]),
            platformOptions: options,
            input: .none,
            output: .sequence,
            error: .combinedWithOutput
        ) { execution in
            let processID = execution.processIdentifier.value
            return try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: OutputCapture?.self) { tasks in
                    tasks.addTask {
                        try await Task.sleep(for: .seconds(limits.wallSeconds))
                        kill(-processID, SIGKILL)
                        kill(processID, SIGKILL)
                        return nil
                    }
                    if let group {
                        // A run that reaches its process limit is stopped at once: a fork bomb
                        // would otherwise churn until the wall-time limit.
                        tasks.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: .milliseconds(200))
                                if group.usage().hitProcessLimit {
                                    kill(-processID, SIGKILL)
                                    kill(processID, SIGKILL)
                                    group.killAll()
                                    return nil
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
                                kill(-processID, SIGKILL)
                                kill(processID, SIGKILL)
                            }
                        }
                        return capture
                    }
                    var capture = OutputCapture(tailLimit: limits.outputTailBytes)
                    for try await finished in tasks {
                        if let finished {
                            capture = finished
                            tasks.cancelAll()
                            break
                        }
                    }
                    return capture
                }
            } onCancel: {
                kill(-processID, SIGKILL)
                kill(processID, SIGKILL)
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let capture = execution.closureResult
        let usage = group?.usage() ?? ResourceGroup.Usage()
        if execution.terminationStatus == .exited(125), group != nil, capture.totalBytes == 0 {
            throw SandboxError.cannotJoinControlGroups
        }
        return SandboxResult(
            ending: Self.ending(status: execution.terminationStatus, capture: capture, usage: usage, seconds: seconds, limits: limits),
            wallSeconds: seconds,
            cpuSeconds: usage.cpuSeconds,
            peakMemoryBytes: usage.peakMemoryBytes,
            outputTail: capture.tailText,
            outputBytes: capture.totalBytes)
    }

    static func ending(status: TerminationStatus, capture: OutputCapture, usage: ResourceGroup.Usage, seconds: Double, limits: Limits) -> SandboxResult.Ending {
        if capture.exceededLimit { return .limitExceeded(.output) }
        if seconds >= Double(limits.wallSeconds) { return .limitExceeded(.wallTime) }
        if status == .exited(0) { return .succeeded }
        if usage.hitMemoryLimit { return .limitExceeded(.memory) }
        if usage.hitProcessLimit { return .limitExceeded(.processes) }
        switch status {
        case .exited(0):
            return .succeeded
        case .exited(let code):
            // bubblewrap reports a child killed by signal N as exit status 128 + N.
            if code == 128 + SIGXCPU { return .limitExceeded(.cpuTime) }
            // Python ignores SIGXFSZ: its write fails with EFBIG ("File too large") instead.
            if code == 128 + SIGXFSZ || capture.tailText.contains("File too large") { return .limitExceeded(.fileSize) }
            if capture.tailText.contains("MemoryError") || capture.tailText.contains("Cannot allocate memory") {
                return .limitExceeded(.memory)
            }
            if code == 128 + SIGKILL { return .killed }
            return .failed(exitCode: code)
        case .signaled(let signal):
            if signal == SIGXCPU { return .limitExceeded(.cpuTime) }
            if signal == SIGXFSZ { return .limitExceeded(.fileSize) }
            return .killed
        }
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
