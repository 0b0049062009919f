import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A program the tests run, started with `posix_spawn` and waited for with `waitpid` on its
/// own process identifier.
///
/// Foundation's `Process` is not used: on Linux its `waitUntilExit()` can miss the end of a
/// child when many run at once (the child stays a zombie and the wait never returns, seen in
/// CI), which would hang a whole test run. Here nothing but this type reaps the child, every
/// descriptor of the test process but the three given is closed in the child, and every signal
/// is back to its default (the test runner ignores some).
public final class ChildProcess: @unchecked Sendable {
    public let processIdentifier: Int32
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable`.
    /// - Parameters:
    ///   - input: the file read as standard input (default `/dev/null`).
    ///   - output: the file standard output is written to (created or truncated; default `/dev/null`).
    ///   - error: the file standard error is written to; nil: the same as `output`.
    ///   - directory: the working directory (default: the test process's).
    /// - Throws: ``Failure`` when the program cannot be started.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String? = nil, input: String = "/dev/null", output: String = "/dev/null", error: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let error, error != output {
            posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        guard Self.closeFrom(&actions, 3) == 0 else { throw Failure("cannot close the test process's descriptors in the child") }
        if let directory, Self.changeDirectory(&actions, directory) != 0 { throw Failure("cannot start in \(directory)") }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw Failure("cannot start \(executable): \(String(cString: strerror(result)))") }
        processIdentifier = pid
    }

    /// True until the program has ended (and it is reaped then).
    public var isRunning: Bool { reap() == nil }

    /// Sends `signal` (SIGTERM by default) while it runs.
    public func signal(_ signal: Int32 = SIGTERM) {
        if isRunning { kill(processIdentifier, signal) }
    }

    /// Waits for the end, at most `timeout` seconds (nil: no limit), and returns its status as
    /// Foundation's `terminationStatus` gives it (the exit code, or the number of the signal
    /// that killed it), or nil when it still runs at the deadline.
    @discardableResult
    public func wait(timeout: TimeInterval? = nil) -> Int32? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var pause: useconds_t = 500
        while deadline.map({ Date() < $0 }) ?? true {
            if let status = reap() { return status }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
        return reap()
    }

    /// Waits for the end; after `timeout` seconds sends SIGKILL and waits for that.
    /// - Returns: its status, and whether it had to be killed.
    public func wait(killingAfter timeout: TimeInterval) -> (status: Int32, killed: Bool) {
        if let status = wait(timeout: timeout) { return (status, false) }
        kill(processIdentifier, SIGKILL)
        return (wait() ?? -1, true)
    }

    /// The status once it ended (reaping it the first time), nil while it runs; never blocks.
    private func reap() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(processIdentifier, &raw, WNOHANG) } while result < 0 && errno == EINTR
        guard result == processIdentifier else { return nil }
        let signal = raw & 0x7f
        status = signal == 0 ? (raw >> 8) & 0xff : signal
        return status
    }

    /// What a program printed and how it ended.
    public struct Outcome: Sendable {
        /// Its exit code, or the number of the signal that killed it.
        public let status: Int32
        /// Its standard output (with its standard error unless `separateError`).
        public let output: String
        /// Its standard error when `separateError`, else empty.
        public let error: String
    }

    /// Runs `executable` to its end (killed after `timeout` seconds, which the outcome's
    /// output then says) and returns what it printed and its status.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String? = nil, input: Data? = nil, separateError: Bool = false,
        timeout: TimeInterval = 600
    ) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-child-\(UUID().uuidString)").path
        let (outputPath, errorPath, inputPath) = (scratch + ".out", scratch + ".err", scratch + ".in")
        defer {
            for path in [outputPath, errorPath, inputPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        if let input { _ = FileManager.default.createFile(atPath: inputPath, contents: input) }
        let child = try ChildProcess(
            executable, arguments, environment: environment, directory: directory,
            input: input == nil ? "/dev/null" : inputPath, output: outputPath,
            error: separateError ? errorPath : nil)
        let (status, killed) = child.wait(killingAfter: timeout)
        let read = { (path: String) in String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data(), as: UTF8.self) }
        var output = read(outputPath)
        if killed {
            let note = "[ChildProcess: \(executable) \(arguments.joined(separator: " ")) was killed after \(Int(timeout)) s]"
            FileHandle.standardError.write(Data((note + "\n").utf8))
            output += "\n" + note + "\n"
        }
        return Outcome(status: status, output: output, error: separateError ? read(errorPath) : "")
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    // glibc's `_np` spawn actions, which Swift's Glibc module does not declare.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) }

    private static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        guard let function = symbol("posix_spawn_file_actions_addclosefrom_np") else { return -1 }
        return unsafeBitCast(function, to: CloseFrom.self)(actions, lowest)
    }

    private static func changeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let function = symbol("posix_spawn_file_actions_addchdir_np") else { return -1 }
        return path.withCString { unsafeBitCast(function, to: ChangeDirectory.self)(actions, $0) }
    }
}
