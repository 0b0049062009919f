import ArgumentParser
import Foundation
import Host
import Hub
import Ledger
import Logging
import NIOCore
import NIOPosix
import Web

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Create a hub in a temporary directory, push submissions with git over HTTP (two in the closed phase, then a fork across teams in the open phase), wait for their scores and show the leaderboard."
    )

    @Flag(help: "Exit once every submission is scored (status 0 only if all were).")
    var noServe = false

    @Option(help: "Port to serve on (0: any free port).")
    var port: Int = 8080

    @Option(
        help:
            "The Python interpreter submissions run with, with the template's requirements (default: $FORKBOARD_PYTHON, else a runtime built in the hub from the template's requirements.txt)."
    )
    var python: String?

    @Option(help: "Seconds to wait for the scores.")
    var timeout: Double = 600

    func run() async throws {
        // Before the hub is made: a port another program holds ends the demo at once.
        if port != 0 { try await Self.checkPortIsFree(port) }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-demo-\(UUID().uuidString.prefix(8))")
        say("Creating a hub at \(home.path) from the breast-cancer template...")
        let hub = try await HubSetup.createHub(
            at: home, templateName: "breast-cancer", share: try Installation.shareDirectory(),
            python: python ?? Installation.environmentPython)
        let aliceToken = try HubSetup.addTeam("alice", member: "alice", to: hub)
        let bobToken = try HubSetup.addTeam("bob", member: "bob", to: hub)
        let carolToken = try HubSetup.addTeam("carol", member: "carol", to: hub)
        let organiserToken = try hub.ledger.addOrganiser("olga")
        var logger = Logger(label: "forkboard")
        logger.logLevel = .critical
        let server = HubServer(
            hub: hub, host: "127.0.0.1", port: port, services: HubServices.Settings(workerCount: 2),
            executablePath: Installation.executablePath, logger: logger)
        let (started, startedContinuation) = AsyncStream<String>.makeStream()
        let serving = Task {
            // A server that ends without listening ends the wait below too.
            defer { startedContinuation.finish() }
            try await server.run { url in
                startedContinuation.yield(url)
                startedContinuation.finish()
            }
        }
        var iterator = started.makeAsyncIterator()
        guard let url = await iterator.next() else {
            do {
                _ = try await serving.value
            } catch {
                throw DemoError(portUnavailable: port, reason: String(describing: error))
            }
            throw ExitCode.failure
        }
        say("Serving at \(url)")
        let scenario = DemoScenario(baseURL: url, workDirectory: home.appendingPathComponent("participants"))
        // alice weighs the classes: one line of her own on the starting kit, which carol forks later.
        let balanced = try String(contentsOf: hub.paths.startingKit.appendingPathComponent("classifier.py"), encoding: .utf8)
            .replacingOccurrences(of: "LogisticRegression(max_iter=1000)", with: "LogisticRegression(class_weight=\"balanced\", max_iter=1000)")
        try await scenario.push(
            team: "alice", token: aliceToken, submission: "logistic-regression", classifier: balanced,
            message: "Weigh the classes")
        try await scenario.push(team: "bob", token: bobToken, submission: "random-forest", classifier: DemoScenario.randomForest)
        var scored = try await scenario.waitUntilFinished(hub: hub, count: 2, timeout: timeout)
        say("")
        say("The organisers open the collaborative phase: every submission is published in open.git.")
        try hub.ledger.overridePhase("collaborative", by: "demo")
        try OpenCommons(hub: hub).synchronize()
        try await scenario.fork(team: "carol", token: carolToken, from: "alice/logistic-regression", submission: "tuned-logistic-regression")
        scored = try await scenario.waitUntilFinished(hub: hub, count: 3, timeout: timeout) && scored
        // The server recomputes credit after each scored submission; do it once more here so the
        // table below includes the last one.
        try Contributivity(hub: hub).recomputeAll()
        try LineageCreditComputation(hub: hub).recompute()
        say("")
        say(try LeaderboardFormatter.render(await Leaderboard.make(hub: hub), as: .table), terminator: "")
        say("")
        if noServe {
            serving.cancel()
            if !scored { throw ExitCode.failure }
            return
        }
        say("Still serving at \(url) (hub: \(home.path)). Try:")
        say("  git clone http://alice:\(aliceToken)@\(url.dropFirst("http://".count))/git/alice.git")
        say("  open \(url)/ and sign in as alice, token \(aliceToken): the challenge, its leaderboard, submissions and lineage; Ctrl-C to stop.")
        say("  open \(url)/organisers as organiser olga, token \(organiserToken): teams and tokens, phase, reveal, re-score, audit log, resources.")
        say(
            "  Tokens of bob: \(bobToken), carol: \(carolToken). The hub stays in the collaborative phase, set by hand ('forkboard phase clear' returns to the schedule)."
        )
        _ = try await serving.value
    }
}

extension DemoCommand {
    /// Binds `port` on the loopback interface and lets it go at once.
    /// - Throws: ``DemoError`` when it cannot be bound (another
    ///   program listens there, or the port is privileged).
    static func checkPortIsFree(_ port: Int) async throws {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: "127.0.0.1", port: port).get()
            try await channel.close()
        } catch {
            throw DemoError(portUnavailable: port, reason: String(describing: error))
        }
    }
}

extension DemoError {
    /// The demo's server cannot listen on `port` of the loopback interface.
    init(portUnavailable port: Int, reason: String) {
        self.init(
            message: "the demo cannot serve on port \(port) of 127.0.0.1: \(reason); another program may be using it. "
                + "Choose another port: forkboard demo --port N (or make demo PORT=N); --port 0 takes any free port")
    }
}
