/// How a sandboxed run ended, and what it used.
public struct SandboxResult: Sendable, Equatable, Codable {
    /// A limit of ``Challenge/Limits`` that a run hit.
    public enum Limit: String, Sendable, Equatable, Codable {
        case wallTime = "wall time"
        case cpuTime = "CPU time"
        case memory
        case fileSize = "file size"
        case output = "output size"
        case processes
        /// Files written in the run's writable directories, all together.
        case diskSpace = "disk space"
    }

    /// How a run ended. A limit is only reported on evidence the run cannot forge: the hub's
    /// own clock and output count, the control groups' counters (out-of-memory kills, the
    /// process limit, CPU time), and files that reached the file-size limit; never on what
    /// the run printed or its exit status alone.
    public enum Ending: Sendable, Equatable, Codable {
        case succeeded
        case failed(exitCode: Int32)
        case limitExceeded(Limit)
        /// Killed by a signal that is not a limit's.
        case killed
    }

    public let ending: Ending
    /// Wall-clock seconds, measured by the hub from start to end.
    public let wallSeconds: Double
    /// CPU seconds of all the run's processes, measured by the hub (nil without control groups).
    public let cpuSeconds: Double?
    /// The run's largest memory use at once, in bytes (nil without control groups).
    public let peakMemoryBytes: Int?
    /// The last bytes of stdout and stderr combined, as text.
    public let outputTail: String
    /// Bytes the run printed in all.
    public let outputBytes: Int

    public init(ending: Ending, wallSeconds: Double, cpuSeconds: Double?, peakMemoryBytes: Int?, outputTail: String, outputBytes: Int) {
        self.ending = ending
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.peakMemoryBytes = peakMemoryBytes
        self.outputTail = outputTail
        self.outputBytes = outputBytes
    }

    /// A one-line account of the ending, for logs and states.
    public var summary: String {
        switch ending {
        case .succeeded: "succeeded"
        case .failed(let code): "exited with status \(code)"
        case .limitExceeded(let limit): "stopped: \(limit.rawValue) limit exceeded"
        case .killed: "killed by a signal"
        }
    }
}

/// Keeps the tail of a stream of bytes and counts them all.
struct OutputCapture: Sendable {
    let tailLimit: Int
    private(set) var tail: [UInt8] = []
    private(set) var totalBytes = 0
    var exceededLimit = false

    init(tailLimit: Int) {
        self.tailLimit = tailLimit
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        totalBytes += bytes.count
        if bytes.count >= tailLimit {
            tail = Array(bytes.suffix(tailLimit))
        } else {
            tail.append(contentsOf: bytes)
            if tail.count > 2 * tailLimit { tail.removeFirst(tail.count - tailLimit) }
        }
    }

    var tailText: String {
        String(decoding: tail.suffix(tailLimit), as: UTF8.self)
    }
}
