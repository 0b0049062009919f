import Foundation

/// Finds the programs Forkboard runs (git, python3, bwrap, Rscript) on the `PATH`, so that a
/// machine whose programs live elsewhere than `/usr/bin` works, and a missing one is named
/// with the Debian package that provides it.
public enum Executables {
    /// A program that is not on the `PATH`.
    public struct Missing: Error, CustomStringConvertible {
        public let name: String
        public let package: String
        public let searched: [String]

        public var description: String {
            if name.contains("/") { return "\(name) does not exist or cannot be run" }
            return "\(name) was not found on PATH (\(searched.joined(separator: ":"))): install it (Debian and Ubuntu: apt-get install \(package))"
        }
    }

    /// The Debian packages of the programs Forkboard runs.
    static let packages: [String: String] = [
        "git": "git", "python3": "python3", "bwrap": "bubblewrap", "prlimit": "util-linux", "Rscript": "r-base-core",
        "dot": "graphviz",
    ]

    /// The absolute path of `name`: itself when it holds a slash, else the first executable
    /// file of that name in the directories of `PATH` (of `environment`).
    /// - Throws: ``Missing`` when there is none, naming its package.
    public static func locate(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if name.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: name) else {
                throw Missing(name: name, package: packages[URL(fileURLWithPath: name).lastPathComponent] ?? name, searched: [])
            }
            return name
        }
        let searched = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for directory in searched {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        throw Missing(name: name, package: packages[name] ?? name, searched: searched)
    }

    /// git, from the `PATH`.
    /// - Throws: ``Missing``.
    public static func git() throws -> String { try locate("git") }

    /// The path of `name` on the `PATH`, or `/usr/bin/<name>` when it is not there (for
    /// defaults; commands check what they need first with ``requireAll(_:)``).
    public static func resolved(_ name: String) -> String {
        (try? locate(name)) ?? "/usr/bin/\(name)"
    }

    /// What the sandbox runs (bubblewrap, and prlimit from util-linux).
    public static let sandboxPrograms = ["bwrap", "prlimit"]

    /// Checks that every program of `names` is on the `PATH`.
    /// - Throws: ``Missing`` for the first one that is not.
    public static func requireAll(_ names: [String]) throws {
        for name in names { _ = try locate(name) }
    }
}
