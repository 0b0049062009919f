import ArgumentParser
import Challenge
import Foundation
import Host
import Hub
import Logging
import ServiceLifecycle
import Web

/// The options of the processes that run a hub's services.
struct ServiceOptions: ParsableArguments {
    @Option(
        help:
            "Seconds an evaluation's lease lasts without renewal: a worker that dies loses its evaluation to the queue this long (plus one sweep) after."
    )
    var leaseSeconds: Double = 30

    @Option(help: "Seconds between sweeps of expired leases.")
    var sweepSeconds: Double = 5

    @Option(help: "Seconds between passes of the reconciler (submission tags a crash left unrecorded).")
    var reconcileSeconds: Double = 60

    func validate() throws {
        guard leaseSeconds >= 3 else { throw ValidationError("--lease-seconds must be at least 3") }
        guard sweepSeconds > 0, reconcileSeconds > 0 else { throw ValidationError("--sweep-seconds and --reconcile-seconds must be positive") }
    }

    func settings(workers: Int) -> HubServices.Settings {
        HubServices.Settings(workerCount: workers, leaseSeconds: leaseSeconds, sweepSeconds: sweepSeconds, reconcileSeconds: reconcileSeconds)
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve git over HTTP, the API and the leaderboard, and run evaluation workers (unless --workers 0).")

    @OptionGroup var hubOptions: HubOptions

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port: Int = 8080

    @Option(help: "Evaluation workers in this process (each runs one sandboxed job at a time); 0 leaves evaluation to 'forkboard worker' processes.")
    var workers: Int = 1

    @Option(help: "Seconds a client may read nothing of a git answer, or leave its connection idle, before it is dropped.")
    var idleSeconds: Double = 60

    @OptionGroup var serviceOptions: ServiceOptions

    func validate() throws {
        guard workers >= 0 else { throw ValidationError("--workers must be 0 or more") }
        guard idleSeconds >= 1 else { throw ValidationError("--idle-seconds must be at least 1") }
    }

    func run() async throws {
        let hub = try hubOptions.open()
        try Executables.requireAll(["git"] + (workers > 0 ? Executables.sandboxPrograms : []))
        var logger = Logger(label: "forkboard")
        logger.logLevel = .info
        let server = HubServer(
            hub: hub, host: host, port: port, services: serviceOptions.settings(workers: workers),
            executablePath: Installation.executablePath, logger: logger, idleSeconds: idleSeconds)
        try await server.run { url in
            let line = "Forkboard serving '\(hub.challenge.title)' at \(url) (git: \(url)/git/TEAM.git, leaderboard: \(url)/leaderboard)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run evaluation workers only, beside 'forkboard serve' on the hub's machine; any number of them share the queue.")

    @OptionGroup var hubOptions: HubOptions

    @Option(help: "Evaluation workers in this process (each runs one sandboxed job at a time).")
    var count: Int = 1

    @OptionGroup var serviceOptions: ServiceOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let hub = try hubOptions.open()
        try Executables.requireAll(["git"] + Executables.sandboxPrograms)
        var logger = Logger(label: "forkboard-worker")
        logger.logLevel = .info
        let name = HubServices.processName(role: "worker")
        let services = HubServices.make(hub: hub, settings: serviceOptions.settings(workers: count), processName: name, logger: logger)
        say("Forkboard worker \(name): \(count) evaluation worker(s) on '\(hub.challenge.title)' (\(hub.home.path)); stop with Ctrl-C")
        try await ServiceGroup(configuration: HubServices.groupConfiguration(services: services, logger: logger)).run()
    }
}
