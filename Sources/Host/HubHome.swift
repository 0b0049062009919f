import Foundation

/// The layout of a hub home, the directory that `forkboard init` makes and every process of
/// the hub (server, workers, hooks, commands) opens: each path spelled here once.
///
/// ```
/// <home>/challenge.yaml        the challenge's configuration
/// <home>/forkboard.sqlite      the ledger
/// <home>/repos/teams/<t>.git   one bare repository per team (what participants push to)
/// <home>/repos/ledger.git      every accepted submission's commits, kept for ever
/// <home>/repos/open.git        every submission, served read-only in open phases
/// <home>/hooks                 the hooks every team repository runs
/// <home>/harness               mounted read-only at /harness in the sandbox
/// <home>/starting-kit          what participants clone first
/// <home>/data/{public,private} the questions' data (private: the test objects)
/// <home>/requirements.txt      the runtime's Python packages, when the challenge has some
/// <home>/runs                  job directories (a shared directory's, under Slurm)
/// <home>/scoring               the organisers' score programs, when the challenge has some
/// <home>/runtime/python        the runtime built for the challenge
/// <home>/spool                 pushes received by the server, not yet taken in
/// ```
public struct HubHome: Sendable, Hashable {
    /// The hub home directory.
    public let url: URL

    public init(_ url: URL) {
        self.url = url
    }

    /// The name of the configuration file in a hub home and in a template.
    public static let configurationFileName = "challenge.yaml"

    /// `<home>/challenge.yaml`.
    public var configurationFile: URL { url.appendingPathComponent(Self.configurationFileName) }
    /// `<home>/forkboard.sqlite`: the ledger's database.
    public var database: URL { url.appendingPathComponent("forkboard.sqlite") }
    /// `<home>/repos`: the project root that `git http-backend` serves.
    public var repositories: URL { url.appendingPathComponent("repos") }
    /// `<home>/repos/teams`: one bare repository per team.
    public var teamRepositories: URL { repositories.appendingPathComponent("teams") }
    /// `<home>/repos/teams/<team>.git`: the bare repository of `team`.
    public func teamRepository(_ team: String) -> URL { teamRepositories.appendingPathComponent("\(team).git") }
    /// `<home>/repos/ledger.git`: every submission's commits.
    public var ledgerRepository: URL { repositories.appendingPathComponent("ledger.git") }
    /// `<home>/repos/open.git`: every submission as a branch, for open phases.
    public var openRepository: URL { repositories.appendingPathComponent("open.git") }
    /// `<home>/hooks`.
    public var hooks: URL { url.appendingPathComponent("hooks") }
    /// `<home>/harness`.
    public var harness: URL { url.appendingPathComponent("harness") }
    /// `<home>/starting-kit`.
    public var startingKit: URL { url.appendingPathComponent("starting-kit") }
    /// `<home>/data`: challenge.yaml's data paths are relative to the home, under here.
    public var data: URL { url.appendingPathComponent("data") }
    /// `<home>/requirements.txt`.
    public var requirements: URL { url.appendingPathComponent("requirements.txt") }
    /// `<home>/runs`: job directories when the hub's own machine runs them.
    public var runs: URL { url.appendingPathComponent("runs") }
    /// `<home>/scoring`: the organisers' score programs, when the challenge has some.
    public var scoring: URL { url.appendingPathComponent("scoring") }
    /// `<home>/runtime/python`: the runtime the hub built for the challenge.
    public var builtRuntime: URL { url.appendingPathComponent("runtime/python") }
    /// `<home>/spool`: pushes received and not yet taken in by the hooks.
    public var spool: URL { url.appendingPathComponent("spool") }

    /// `path` (relative, as challenge.yaml writes data paths) inside the home.
    public func file(_ path: String) -> URL { url.appendingPathComponent(path) }

    /// True when `url` holds a hub (its ledger repository exists).
    public var exists: Bool { FileManager.default.fileExists(atPath: ledgerRepository.path) }

    /// The directories `forkboard init` makes.
    public var directoriesMadeAtInit: [URL] {
        [data.appendingPathComponent("public"), data.appendingPathComponent("private"), teamRepositories, runs, hooks]
    }
}
