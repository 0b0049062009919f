import Foundation
import Host
import Synchronization

/// What the server needs to know about itself to pass on to git and its hooks.
public struct ServerSettings: Sendable {
    /// The forkboard executable the hooks run (`FORKBOARD_EXECUTABLE`).
    public let executablePath: String
    /// The address participants use, for example `http://127.0.0.1:8080`; shown in push
    /// output. Set once the server listens (the port may be chosen by the system).
    public let baseURL: SharedString
    /// The git executable.
    public let gitPath: String
    /// Largest request body accepted for a push, in bytes.
    public let maximumPushBytes: Int
    /// The loopback port on which the server runs the hooks' logic (``HookEndpoint``), once
    /// it listens; empty until then (the hooks then run `forkboard hook`).
    public let hookPort: SharedString
    /// The secret the hooks prove they were started by this server with.
    public let hookSecret: String
    /// Seconds a client may read nothing of a git answer (or leave a connection idle between
    /// requests) before the server stops serving it.
    public let idleSeconds: Double
    /// Where request bodies of pushes are spooled (this process's directory under the hub's
    /// `spool/`, emptied when a process of the same name starts).
    public let spoolDirectory: URL

    public init(
        executablePath: String, baseURL: SharedString = SharedString(""), gitPath: String = Executables.resolved("git"),
        maximumPushBytes: Int = 1 << 30,
        idleSeconds: Double = 60, spoolDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-spool")
    ) {
        self.executablePath = executablePath
        self.idleSeconds = idleSeconds
        self.spoolDirectory = spoolDirectory
        self.baseURL = baseURL
        self.gitPath = gitPath
        self.maximumPushBytes = maximumPushBytes
        self.hookPort = SharedString("")
        self.hookSecret = HookEndpoint.makeSecret()
    }
}

/// A string shared between tasks, set after creation (the server's address once it listens).
public final class SharedString: Sendable {
    private let storage: Mutex<String>

    public init(_ value: String) {
        storage = Mutex(value)
    }

    public var value: String {
        get { storage.withLock { $0 } }
    }

    public func set(_ newValue: String) {
        storage.withLock { $0 = newValue }
    }
}
