import Crypto
import Evaluation
import Foundation
import Subprocess
import SystemPackage

/// What an evaluation ran with, to prove later that a score comes from this code on this data:
/// SHA-256 of the data files, of the harness and of challenge.yaml, the runtime (interpreter
/// and package versions), the sandbox limits and the hub's version.
public struct EvaluationEnvironment: Codable, Sendable, Equatable {
    /// The version of Forkboard.
    public static let hubVersion = "0.4.0"

    /// SHA-256 (hex) by path relative to the hub home.
    public let dataFiles: [String: String]
    /// SHA-256 (hex) of every harness file, by path relative to the harness.
    public let harness: [String: String]
    public let challengeConfiguration: String
    /// `python --version`.
    public let interpreter: String
    /// The runtime's `bin` directory (which tells two runtimes of one Python version apart);
    /// nil in records made before it was kept.
    public let runtime: String?
    /// For a challenge whose commands run `Rscript`: `Rscript --version`, and its installed
    /// packages, one `name==version` per entry; nil otherwise.
    public let rVersion: String?
    public let rPackages: [String]?
    /// `pip freeze` of the runtime, one `name==version` per entry.
    public let packages: [String]
    /// The sandbox limits, by challenge.yaml key.
    public let limits: [String: Int]
    public let hubVersion: String

    enum CodingKeys: String, CodingKey {
        case harness, interpreter, packages, limits, runtime
        case rVersion = "r_version"
        case rPackages = "r_packages"
        case dataFiles = "data_files"
        case challengeConfiguration = "challenge_yaml"
        case hubVersion = "hub_version"
    }

    /// The environment of `hub` now (reads and hashes the files, asks the runtime:
    /// ``HubRuntime/describe(hub:)``).
    /// - Throws: file errors; the runtime's failures give empty fields.
    public static func current(hub: Hub) async throws -> EvaluationEnvironment {
        var data: [String: String] = [:]
        for question in hub.challenge.questions {
            for path in [question.trainData, question.testData] { data[path] = try sha256(of: hub.home.appendingPathComponent(path)) }
        }
        var harness: [String: String] = [:]
        let harnessRoot = hub.home.appendingPathComponent("harness")
        if let files = FileManager.default.enumerator(at: harnessRoot, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                harness[String(file.path.dropFirst(harnessRoot.path.count + 1))] = try sha256(of: file)
            }
        }
        let runtime = await HubRuntime.describe(hub: hub)
        let limits = hub.challenge.limits
        return EvaluationEnvironment(
            dataFiles: data, harness: harness,
            challengeConfiguration: hub.configurationRecord.sha256,
            interpreter: runtime.interpreter,
            runtime: hub.challenge.runtime?.binDirectory,
            rVersion: runtime.rVersion, rPackages: runtime.rPackages,
            packages: runtime.packages,
            limits: [
                "wall_seconds": limits.wallSeconds, "cpu_seconds": limits.cpuSeconds, "memory_bytes": limits.memoryBytes,
                "processes": limits.processes, "file_size_bytes": limits.fileSizeBytes, "open_files": limits.openFiles,
                "output_bytes": limits.outputBytes, "temporary_bytes": limits.temporaryBytes,
            ],
            hubVersion: hubVersion)
    }

    static func sha256(of file: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: file)).map { String(format: "%02x", $0) }.joined()
    }
}
