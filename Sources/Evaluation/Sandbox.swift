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
    public func arguments(command: [String], mounts: [Mount], workingDirectory: String, environment: [String: String]) -> [String] {
        var arguments = [
            "--as=\(limits.memoryBytes)", "--cpu=\(limits.cpuSeconds)", "--fsize=\(limits.fileSizeBytes)",
            "--nofile=\(limits.openFiles)", "--nproc=\(limits.processes)", "--core=0", "--",
            bubblewrapPath,
            "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
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
        let execution = try await Subprocess.run(
            .path(FilePath(prlimitPath)),
            arguments: Arguments(arguments(command: command, mounts: mounts, workingDirectory: workingDirectory, environment: environment)),
            environment: .custom([:]),
            platformOptions: options,
            input: .none,
            output: .sequence,
            error: .combinedWithOutput
        ) { execution in
            let processID = execution.processIdentifier.value
            return try await withThrowingTaskGroup(of: OutputCapture?.self) { group in
                group.addTask {
                    try await Task.sleep(for: .seconds(limits.wallSeconds))
                    kill(-processID, SIGKILL)
                    kill(processID, SIGKILL)
                    return nil
                }
                group.addTask {
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
                for try await finished in group {
                    if let finished {
                        capture = finished
                        group.cancelAll()
                        break
                    }
                }
                return capture
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let capture = execution.closureResult
        return SandboxResult(
            ending: Self.ending(status: execution.terminationStatus, capture: capture, seconds: seconds, limits: limits),
            wallSeconds: seconds,
            outputTail: capture.tailText,
            outputBytes: capture.totalBytes)
    }

    static func ending(status: TerminationStatus, capture: OutputCapture, seconds: Double, limits: Limits) -> SandboxResult.Ending {
        if capture.exceededLimit { return .limitExceeded(.output) }
        if seconds >= Double(limits.wallSeconds) { return .limitExceeded(.wallTime) }
        switch status {
        case .exited(0):
            return .succeeded
        case .exited(let code):
            // bubblewrap reports a child killed by signal N as exit status 128 + N.
            if code == 128 + SIGXCPU { return .limitExceeded(.cpuTime) }
            if code == 128 + SIGXFSZ { return .limitExceeded(.fileSize) }
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
