import ArgumentParser
import Foundation
import Hub

/// `--hub PATH`, shared by every command that works on a hub.
struct HubOptions: ParsableArguments {
    @Option(name: .long, help: "The hub home (default: $FORKBOARD_HUB, else the current directory when it holds challenge.yaml).")
    var hub: String?

    func open() throws -> Hub {
        try Hub(home: Hub.locate(explicit: hub))
    }
}

/// Where this program finds its templates and hooks, and its own path.
enum Installation {
    /// The running executable, resolved (what the hooks must run).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// `$FORKBOARD_SHARE`, else the nearest directory above the executable that holds
    /// `templates/` and `hooks/` (the source tree, for a build made there).
    static func shareDirectory() throws -> URL {
        if let share = ProcessInfo.processInfo.environment["FORKBOARD_SHARE"], !share.isEmpty {
            return URL(fileURLWithPath: share)
        }
        var directory = URL(fileURLWithPath: executablePath).deletingLastPathComponent()
        while directory.path != "/" {
            let templates = directory.appendingPathComponent("templates").path
            let hooks = directory.appendingPathComponent("hooks").path
            if FileManager.default.fileExists(atPath: templates), FileManager.default.fileExists(atPath: hooks) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        throw ValidationError("cannot find Forkboard's templates/ and hooks/: set FORKBOARD_SHARE to the directory that holds them")
    }

    /// `$FORKBOARD_PYTHON`, when set: the interpreter that commands building or probing a
    /// runtime use instead of building one.
    static var environmentPython: String? {
        ProcessInfo.processInfo.environment["FORKBOARD_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
