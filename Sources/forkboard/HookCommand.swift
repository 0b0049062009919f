import ArgumentParser
import Foundation
import Hub

struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run a git hook's logic (called by the hub's hooks; not for people).")

    @Argument(help: "pre-receive or post-receive")
    var name: String

    func run() async throws {
        let input = Array(FileHandle.standardInput.readDataToEndOfFile())
        let runner = HookRunner()
        switch name {
        case "pre-receive":
            let (status, lines) = runner.preReceive(input: input)
            lines.forEach { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            if status != 0 { throw ExitCode(status) }
        case "post-receive":
            runner.postReceive(input: input).forEach { say($0) }
        default:
            throw ValidationError("unknown hook '\(name)': expected pre-receive or post-receive")
        }
    }
}
