import ArgumentParser
import Foundation
import Hub

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Manage teams.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a team with one member and print the member's access token (once).")

        @Argument(help: "Team name: 1 to 40 of a-z 0-9 _ -, starting with a letter or digit.")
        var team: String

        @Option(help: "The member's login (default: the team name).")
        var member: String?

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            let login = member ?? team
            let token = try HubSetup.addTeam(team, member: login, to: hub, by: organiserName())
            say("Team \(team) created with member \(login).")
            say("Access token for \(login) (shown once, keep it secret): \(token)")
            say("Clone: git clone http://\(login):\(token)@HOST:PORT/git/\(team).git")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a member's token (recorded in the audit log); the team and its submissions stay.")

        @Argument(help: "The member's login.")
        var login: String

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            guard try hubOptions.open().ledger.revokeMember(login, by: organiserName()) else {
                throw ValidationError("no member '\(login)'")
            }
            say("The token of \(login) is revoked.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the teams.")
        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            for team in try hubOptions.open().ledger.teams() { say(team.name) }
        }
    }
}

struct RegistrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration",
        abstract: "Whether outsiders may register teams at /register in open phases (open_registration in challenge.yaml), and closing or opening it again.")

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case status, close, open
    }

    @Argument(help: "status, close or open.")
    var action: Action = .status

    @OptionGroup var hubOptions: HubOptions

    func run() async throws {
        let hub = try hubOptions.open()
        switch action {
        case .status: break
        case .close: try await hub.setRegistrationClosed(true, by: organiserName())
        case .open: try await hub.setRegistrationClosed(false, by: organiserName())
        }
        let refusal = try await hub.registrationRefusal()
        say(refusal.map { "Registration is not possible now: \($0)." } ?? "Registration is open at /register.")
    }
}
