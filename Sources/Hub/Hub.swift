import Challenge
import Evaluation
import Foundation
import Host
import Ledger
import Synchronization

/// An opened hub home: its challenge configuration, its ledger, and the paths of its parts
/// (see DESIGN.md, "Hub home").
///
/// The configuration in force is the one the ledger records as applied (one source of truth
/// for every process of the hub: CLI, server, workers, hooks), not challenge.yaml as it is on
/// disk: a changed file takes effect everywhere once `forkboard challenge reload` applied it
/// (``reloadConfiguration(by:)``), and processes that run pick it up
/// (``refreshConfiguration()``). A hub whose ledger has no configuration yet applies the file.
public final class Hub: Sendable {
    /// The hub home directory.
    public let home: URL
    public let ledger: Ledger
    /// This hub's identifier (``Ledger/hubIdentifier()``).
    public let identifier: String
    private let applied: Mutex<AppliedConfiguration>

    /// The configuration in force and the ledger's record of it.
    struct AppliedConfiguration: Sendable {
        let record: ChallengeConfigurationRecord
        let configuration: ChallengeConfiguration
    }

    /// The challenge's configuration in force.
    public var challenge: ChallengeConfiguration { applied.withLock { $0.configuration } }

    /// The ledger's record of the configuration in force (its hash, when and by whom applied).
    public var configurationRecord: ChallengeConfigurationRecord { applied.withLock { $0.record } }

    /// Where each part of the hub lives in its home.
    public var paths: HubHome { HubHome(home) }

    /// Opens the hub at `home`.
    /// - Throws: ``HubError/notAHub(_:)`` when `home` has no challenge.yaml,
    ///   ``ChallengeError`` when the configuration is invalid, or a database error.
    public init(home: URL) throws {
        let file = HubHome(home).configurationFile
        guard FileManager.default.fileExists(atPath: file.path) else { throw HubError.notAHub(home.path) }
        self.home = home.standardizedFileURL
        self.ledger = try Ledger(path: HubHome(home).database.path)
        self.identifier = try ledger.hubIdentifier()
        var record = try ledger.activeConfiguration()
        if record == nil {
            let text = try Self.readConfigurationFile(file)
            _ = try Self.validate(text, file: file.path)
            _ = try ledger.applyConfiguration(text, by: "hub")
            record = try ledger.activeConfiguration()
        }
        applied = Mutex(AppliedConfiguration(record: record!, configuration: try Self.validate(record!.text, file: file.path)))
    }

    private static func readConfigurationFile(_ file: URL) throws -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ChallengeError(file: file.path, key: "", problem: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// The configuration of `text`, checked as a hub's (it must name its runtime).
    static func validate(_ text: String, file: String) throws -> ChallengeConfiguration {
        let configuration = try ChallengeConfiguration.parse(text, file: file)
        guard configuration.runtime != nil else {
            throw ChallengeError(file: file, key: "runtime", problem: "is required in a hub (forkboard init writes it)")
        }
        return configuration
    }

    /// Uses the configuration the ledger has in force when another process applied a new
    /// one since; returns true when it changed.
    /// - Throws: database errors.
    @discardableResult
    public func refreshConfiguration() throws -> Bool {
        guard let record = try ledger.activeConfiguration(), record.id != configurationRecord.id else { return false }
        let configuration = try Self.validate(record.text, file: paths.configurationFile.path)
        applied.withLock { $0 = AppliedConfiguration(record: record, configuration: configuration) }
        return true
    }

    /// What a reload did.
    public enum Reload: Sendable, Equatable {
        /// The file was already in force.
        case unchanged
        /// The file is in force now.
        case applied(ChallengeConfigurationRecord)
    }

    /// Checks challenge.yaml and makes it the configuration in force for every process, with
    /// an audit entry holding its hash.
    /// - Throws: ``ChallengeError`` for an invalid file (nothing changes);
    ///   ``HubError/configurationChangeBlocked(_:)`` when the questions, limits, runtime or
    ///   executor change while evaluations run (their results would mix two configurations;
    ///   a batch job would be looked for where it is not).
    public func reloadConfiguration(by actor: String) throws -> Reload {
        let text = try Self.readConfigurationFile(paths.configurationFile)
        let configuration = try Self.validate(text, file: paths.configurationFile.path)
        let current = challenge
        let record = try ledger.applyConfiguration(text, by: actor) { running in
            let evaluationsChange =
                configuration.questions != current.questions || configuration.limits != current.limits
                || configuration.runtime != current.runtime || configuration.testSplit != current.testSplit
                || configuration.executor != current.executor
            guard evaluationsChange, !running.isEmpty else { return }
            throw HubError.configurationChangeBlocked(
                "\(running.count) evaluation(s) are running, and this change of the questions, limits, runtime, test split or executor would "
                    + "mix two configurations in their results: wait until they finish ('forkboard submissions'), or stop them "
                    + "('forkboard cancel TEAM/NAME'), then reload")
        }
        guard let record else { return .unchanged }
        applied.withLock { $0 = AppliedConfiguration(record: record, configuration: configuration) }
        return .applied(record)
    }

    /// True when challenge.yaml is the configuration in force (else it changed since it was
    /// applied, and `forkboard challenge reload` applies it).
    /// - Throws: ``ChallengeError`` when the file cannot be read.
    public func configurationFileIsApplied() throws -> Bool {
        try ChallengeConfigurationRecord.hash(Self.readConfigurationFile(paths.configurationFile)) == configurationRecord.sha256
    }

    /// The evaluation context of this hub.
    public var evaluationContext: EvaluationContext { EvaluationContext(hubHome: home, challenge: challenge, hubIdentifier: identifier) }

    /// The questions whose required files all exist in `files`.
    public func questions(applicableTo hasFile: (String) throws -> Bool) rethrows -> [Question] {
        try challenge.questions.filter { question in try question.requiredFiles.allSatisfy(hasFile) }
    }

    /// Locates the hub home: `explicit` if given, else `FORKBOARD_HUB`, else the current
    /// directory when it holds challenge.yaml.
    /// - Throws: ``HubError/noHubGiven`` when none applies.
    public static func locate(explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit).standardizedFileURL }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FORKBOARD_HUB"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment).standardizedFileURL
        }
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if FileManager.default.fileExists(atPath: HubHome(current).configurationFile.path) {
            return current
        }
        throw HubError.noHubGiven
    }
}

/// Errors about the hub as a whole.
public enum HubError: Error, CustomStringConvertible {
    case notAHub(String)
    case noHubGiven
    case alreadyExists(String)
    case templateNotFound(name: String, searched: String)
    case preparationFailed(String)
    case unknownTeam(String)
    case unknownSubmission(String)
    case unknownQuestion(String)
    case nothingToEvaluate(String)
    case notAStartingKit(String)
    case unknownPhase(String)
    case invalidCursor(String)
    case configurationChangeBlocked(String)
    case runtimeRebuildBlocked(String)
    case notATemplate(String)
    case finalSelectionRefused(String)
    case registrationRefused(String)
    case rescoreRefused(String)

    public var description: String {
        switch self {
        case .finalSelectionRefused(let reason): reason
        case .registrationRefused(let reason): reason
        case .rescoreRefused(let reason): "not re-scored: \(reason)"
        case .notAHub(let path):
            "\(path) is not a Forkboard hub (no challenge.yaml); create one with 'forkboard init \(path) --template breast-cancer'"
        case .noHubGiven: "no hub given: pass --hub PATH, set FORKBOARD_HUB, or run from a hub home"
        case .alreadyExists(let path): "\(path) already exists and is not empty; choose a new directory"
        case .templateNotFound(let name, let searched): "no template '\(name)' in \(searched)"
        case .preparationFailed(let detail): "data preparation failed: \(detail)"
        case .unknownTeam(let team): "no team '\(team)'"
        case .unknownSubmission(let name): "no submission '\(name)'"
        case .unknownQuestion(let name): "no question '\(name)' in challenge.yaml"
        case .unknownPhase(let name): "no phase '\(name)' in challenge.yaml"
        case .configurationChangeBlocked(let reason): "challenge.yaml was not applied: \(reason)"
        case .runtimeRebuildBlocked(let reason): "the runtime was not rebuilt: \(reason)"
        case .notATemplate(let reason):
            "not a template: \(reason) (a template holds challenge.yaml, harness/, starting-kit/, and optionally prepare_data.py and requirements.txt)"
        case .invalidCursor(let text): "'\(text)' is not a leaderboard cursor: pass the next_cursor of the previous page"
        case .notAStartingKit(let path):
            "\(path) has no \(LocalEvaluation.directoryName)/challenge.yaml: run this in your clone of your team's repository, or pass --hub HUB"
        case .nothingToEvaluate(let path): "\(path) holds the required files of no question (see required_files in challenge.yaml)"
        }
    }
}
