/// Resource limits applied to each sandboxed `train` or `predict` run.
public struct Limits: Sendable, Equatable, Codable {
    /// Wall-clock seconds before the run's whole process tree is killed.
    public var wallSeconds: Int
    /// CPU seconds (RLIMIT_CPU).
    public var cpuSeconds: Int
    /// Address space in bytes (RLIMIT_AS).
    public var memoryBytes: Int
    /// Processes and threads (RLIMIT_NPROC).
    public var processes: Int
    /// Largest file the run may write, in bytes (RLIMIT_FSIZE).
    public var fileSizeBytes: Int
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles: Int
    /// Bytes of the run's combined output kept for its log (the tail is kept).
    public var outputTailBytes: Int
    /// Bytes of output after which the run is killed.
    public var outputBytes: Int
    /// Size of the private /tmp, in bytes.
    public var temporaryBytes: Int
    /// Bytes a run may leave in its writable directories (`/model` for train, `/output` for
    /// predict), all files together: the run is stopped when it writes more.
    public var writtenBytes: Int

    /// Defaults sized for small tabular challenges on a workstation.
    public static let defaults = Limits(
        wallSeconds: 600, cpuSeconds: 1200, memoryBytes: 4 << 30, processes: 256,
        fileSizeBytes: 256 << 20, openFiles: 256, outputTailBytes: 64 << 10, outputBytes: 64 << 20, temporaryBytes: 256 << 20,
        writtenBytes: 1 << 30)

    public init(
        wallSeconds: Int, cpuSeconds: Int, memoryBytes: Int, processes: Int, fileSizeBytes: Int,
        openFiles: Int, outputTailBytes: Int, outputBytes: Int, temporaryBytes: Int, writtenBytes: Int
    ) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.outputTailBytes = outputTailBytes
        self.outputBytes = outputBytes
        self.temporaryBytes = temporaryBytes
        self.writtenBytes = writtenBytes
    }
}

/// The interpreter and libraries submissions run with, mounted read-only in the sandbox.
public struct Runtime: Sendable, Equatable, Codable {
    /// Directory put first on the sandbox's PATH (a virtual environment's `bin`).
    public let binDirectory: String
    /// Host directories bound read-only at the same path in the sandbox (the virtual
    /// environment and the base interpreter it points to).
    public let readOnlyPaths: [String]

    public init(binDirectory: String, readOnlyPaths: [String]) {
        self.binDirectory = binDirectory
        self.readOnlyPaths = readOnlyPaths
    }
}
