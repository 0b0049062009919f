import Crypto
import Evaluation
import Foundation
import Host
import Subprocess
import SystemPackage

/// Builds the Python runtime a challenge's submissions run with: a virtual environment made
/// by the machine's `python3` (found on the `PATH`), with the challenge's `requirements.txt`
/// installed into it by pip. The hub builds one under its home at `forkboard init`;
/// `forkboard evaluate` builds one per set of requirements in the user's cache.
public enum RuntimeBuilder {
    /// A runtime that could not be built, and what to do.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes a virtual environment at `directory` (replacing what is there) and installs
    /// `requirements` into it; returns its interpreter (`<directory>/bin/python`).
    /// - Parameters:
    ///   - showProgress: pip's output goes to this process's standard output and error (a
    ///     download of a few hundred MB takes minutes); otherwise it is kept for the error.
    /// - Throws: ``Executables/Missing`` without `python3`; ``Failure`` when the virtual
    ///   environment cannot be made (python3-venv missing) or pip fails (its output's end).
    public static func buildPython(requirements: URL, into directory: URL, showProgress: Bool) async throws -> String {
        let python3 = try Executables.locate("python3")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
        let venv = try await Subprocess.run(
            .path(FilePath(python3)), arguments: ["-m", "venv", directory.path],
            output: .string(limit: 1 << 16), error: .string(limit: 1 << 16))
        guard venv.terminationStatus.isSuccess else {
            throw Failure(
                description: "cannot make a virtual environment with \(python3) (\(venv.terminationStatus)): "
                    + "\(venv.standardError)\(venv.standardOutput)".trimmingCharacters(in: .whitespacesAndNewlines)
                    + " (Debian and Ubuntu: apt-get install python3-venv)")
        }
        let python = directory.appendingPathComponent("bin/python").path
        let arguments: Arguments = ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", requirements.path]
        let status: TerminationStatus
        var tail = ""
        if showProgress {
            status = try await Subprocess.run(
                .path(FilePath(python)), arguments: arguments,
                output: .fileDescriptor(.standardOutput, closeAfterSpawningProcess: false),
                error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false)
            ).terminationStatus
        } else {
            let result = try await Subprocess.run(
                .path(FilePath(python)), arguments: arguments, output: .string(limit: 1 << 22), error: .string(limit: 1 << 20))
            status = result.terminationStatus
            tail = String((result.standardError + result.standardOutput).suffix(2000))
        }
        guard status.isSuccess else {
            throw Failure(
                description: "pip could not install \(requirements.path) into \(directory.path) (\(status))"
                    + (tail.isEmpty ? "; its output is above" : ":\n\(tail)"))
        }
        return python
    }

    /// The runtime `forkboard evaluate` uses for a starting kit's `requirements`: built once
    /// per content of the file, under `$XDG_CACHE_HOME/forkboard/runtimes/` (else
    /// `~/.cache/forkboard/runtimes/`), and reused; returns its interpreter.
    /// - Throws: as ``buildPython(requirements:into:showProgress:)``; a Foundation error when
    ///   the file cannot be read.
    public static func cachedPython(requirements: URL, announce: (String) -> Void) async throws -> String {
        let content = try Data(contentsOf: requirements)
        let key = SHA256.hash(data: content).prefix(8).map { String(format: "%02x", $0) }.joined()
        let environment = ProcessInfo.processInfo.environment
        let cache =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let directory = cache.appendingPathComponent("forkboard/runtimes/python-\(key)")
        let python = directory.appendingPathComponent("bin/python").path
        let complete = directory.appendingPathComponent("forkboard-complete")
        if FileManager.default.fileExists(atPath: complete.path) { return python }
        announce("Building the challenge's Python runtime in \(directory.path) from \(requirements.path) (once; pip's output follows)")
        _ = try await buildPython(requirements: requirements, into: directory, showProgress: true)
        try Data(content).write(to: complete)
        return python
    }
}
