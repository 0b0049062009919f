import Challenge
import Crypto
import Evaluation
import Foundation
import Host
import Ledger
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
    /// The data files are hashed on ``Evaluation/BlockingWork``'s threads, once per version
    /// (size and modification time; kept in `runs/.data-hashes.json`): gigabytes of data are not
    /// read again at each process's first evaluation.
    public static func current(hub: Hub) async throws -> EvaluationEnvironment {
        let data = try await BlockingWork.run { try dataHashes(hub: hub) }
        var harness: [String: String] = [:]
        let harnessRoot = hub.paths.harness
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

    /// SHA-256 of a file, read in chunks (data files may be larger than memory).
    /// SHA-256 of every data file and file directory of every question, by path relative to
    /// the hub home, reusing the hashes kept for files of the same size and modification time.
    static func dataHashes(hub: Hub) throws -> [String: String] {
        struct Kept: Codable {
            var stamp: String
            var sha256: String
        }
        let keptFile = hub.paths.runs.appendingPathComponent(".data-hashes.json")
        var kept = (try? JSONDecoder().decode([String: Kept].self, from: Data(contentsOf: keptFile))) ?? [:]
        var hashes: [String: String] = [:]
        var changed = false
        for question in hub.challenge.questions {
            let files = [question.trainData, question.testData] + question.tables.flatMap { [$0.train, $0.test] }
            let directories = question.fileDirectories.flatMap { [$0.train, $0.test] }
            for path in files + directories {
                let url = hub.home.appendingPathComponent(path)
                let stamp = QuestionFiles(train: QuestionFiles.Split(objects: url), test: nil).stamp
                if let known = kept[path], known.stamp == stamp {
                    hashes[path] = known.sha256
                    continue
                }
                let hash = directories.contains(path) ? try sha256(ofDirectory: url) : try sha256(of: url)
                hashes[path] = hash
                kept[path] = Kept(stamp: stamp, sha256: hash)
                changed = true
            }
        }
        if changed { try? JSONEncoder().encode(kept).write(to: keptFile, options: .atomic) }
        return hashes
    }

    static func sha256(of file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of a directory of files: of each file's name and SHA-256, in name order.
    static func sha256(ofDirectory directory: URL) throws -> String {
        var hasher = SHA256()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            hasher.update(data: Data("\(name)\0\(try sha256(of: directory.appendingPathComponent(name)))\n".utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
