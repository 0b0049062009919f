import ArgumentParser
import Foundation
import Hub
import Logging
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve git over HTTP, the API and the leaderboard, and run the evaluation workers.")

    @OptionGroup var hubOptions: HubOptions

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port: Int = 8080

    @Option(help: "Evaluation workers (each runs one sandboxed job at a time).")
    var workers: Int = 1

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }

    func run() async throws {
        let hub = try hubOptions.open()
        var logger = Logger(label: "forkboard")
        logger.logLevel = .info
        let server = HubServer(hub: hub, host: host, port: port, workerCount: workers,
                               executablePath: Installation.executablePath, logger: logger)
        try await server.run { url in
            let line = "Forkboard serving '\(hub.challenge.title)' at \(url) (git: \(url)/git/TEAM.git, leaderboard: \(url)/leaderboard)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
