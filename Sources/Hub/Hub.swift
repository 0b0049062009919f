import Challenge
import Evaluation
import Foundation
import Ledger

/// An opened hub home: its challenge configuration, its ledger, and the paths of its parts
/// (see DESIGN.md, "Hub home").
public final class Hub: Sendable {
    /// The hub home directory.
    public let home: URL
    public let challenge: ChallengeConfiguration
    public let ledger: Ledger

    /// The file a hub home is recognised by.
    public static let configurationFileName = "challenge.yaml"

    /// Opens the hub at `home`.
    /// - Throws: ``HubError/notAHub(_:)`` when `home` has no challenge.yaml,
    ///   ``ChallengeError`` when it is invalid, or a database error.
    public init(home: URL) throws {
        let configuration = home.appendingPathComponent(Self.configurationFileName)
        guard FileManager.default.fileExists(atPath: configuration.path) else { throw HubError.notAHub(home.path) }
        self.home = home.standardizedFileURL
        self.challenge = try ChallengeConfiguration.load(from: configuration)
        guard challenge.runtime != nil else {
            throw ChallengeError(file: configuration.path, key: "runtime", problem: "is required in a hub (forkboard init writes it)")
        }
        self.ledger = try Ledger(path: home.appendingPathComponent("forkboard.sqlite").path)
    }

    /// `<hub>/repos/teams`: one bare repository per team.
    public var teamRepositoriesDirectory: URL { home.appendingPathComponent("repos/teams") }
    /// `<hub>/repos/ledger.git`.
    public var ledgerRepository: URL { home.appendingPathComponent("repos/ledger.git") }
    /// `<hub>/hooks`: the hooks every team repository runs.
    public var hooksDirectory: URL { home.appendingPathComponent("hooks") }
    /// `<hub>/starting-kit`.
    public var startingKitDirectory: URL { home.appendingPathComponent("starting-kit") }

    /// The bare repository of `team`.
    public func teamRepository(_ team: String) -> URL {
        teamRepositoriesDirectory.appendingPathComponent("\(team).git")
    }

    /// The evaluation context of this hub.
    public var evaluationContext: EvaluationContext { EvaluationContext(hubHome: home, challenge: challenge) }

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
        if FileManager.default.fileExists(atPath: current.appendingPathComponent(configurationFileName).path) {
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

    public var description: String {
        switch self {
        case .notAHub(let path): "\(path) is not a Forkboard hub (no challenge.yaml); create one with 'forkboard init \(path) --template breast-cancer'"
        case .noHubGiven: "no hub given: pass --hub PATH, set FORKBOARD_HUB, or run from a hub home"
        case .alreadyExists(let path): "\(path) already exists and is not empty; choose a new directory"
        case .templateNotFound(let name, let searched): "no template '\(name)' in \(searched)"
        case .preparationFailed(let detail): "data preparation failed: \(detail)"
        case .unknownTeam(let team): "no team '\(team)'"
        case .unknownSubmission(let name): "no submission '\(name)'"
        case .unknownQuestion(let name): "no question '\(name)' in challenge.yaml"
        case .unknownPhase(let name): "no phase '\(name)' in challenge.yaml"
        case .invalidCursor(let text): "'\(text)' is not a leaderboard cursor: pass the next_cursor of the previous page"
        case .notAStartingKit(let path): "\(path) has no \(LocalEvaluation.directoryName)/challenge.yaml: run this in your clone of your team's repository, or pass --hub HUB"
        case .nothingToEvaluate(let path): "\(path) holds the required files of no question (see required_files in challenge.yaml)"
        }
    }
}
