import ArgumentParser
import Foundation
import Hub
import Ledger

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Manage teams.",
        subcommands: [Add.self, Member.self, List.self, Revoke.self])

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
        static let configuration = CommandConfiguration(
            abstract: "Revoke a member's token (recorded in the audit log); the team and its submissions stay.")

        @Argument(help: "The member's login.")
        var login: String

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            guard try hubOptions.open().ledger.revokeMember(login, by: organiserName()) else {
                throw NoSuchLogin(login: login)
            }
            say("The token of \(login) is revoked.")
        }
    }

    struct Member: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member to a team, or give a member a new token (the old one stops working); prints the token (once).")

        @Argument(help: "The team.")
        var team: String

        @Argument(help: "The member's login.")
        var login: String

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let hub = try hubOptions.open()
            guard try hub.ledger.teamExists(team) else { throw ValidationError("no team '\(team)'; create it with 'forkboard team add \(team)'") }
            let token = try hub.ledger.addMember(login, to: team, by: organiserName())
            say("Access token for \(login) of team \(team) (shown once, keep it secret): \(token)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the teams and their members.")
        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let ledger = try hubOptions.open().ledger
            let members = Dictionary(grouping: try await ledger.members(), by: \.team)
            for team in try ledger.teams() {
                say("\(team.name): \((members[team.name] ?? []).map(\.login).joined(separator: ", "))")
            }
        }
    }
}

struct OrganiserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organiser",
        abstract: "Organisers' logins for the web pages at /organisers (teams, tokens, phases, reveal, re-score, audit log, resources).",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an organiser's login (or give it a new token) and print its token (once). Revoke it with 'forkboard team revoke LOGIN'.")

        @Argument(help: "The organiser's login: 1 to 40 of a-z 0-9 _ -, starting with a letter or digit.")
        var login: String

        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            let token = try hubOptions.open().ledger.addOrganiser(login, by: organiserName())
            say("Access token for organiser \(login) (shown once, keep it secret): \(token)")
            say("Sign in at http://HOST:PORT/signin, then open /organisers.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the organisers' logins.")
        @OptionGroup var hubOptions: HubOptions

        func run() async throws {
            for member in try await hubOptions.open().ledger.members() where member.isOrganiser { say(member.login) }
        }
    }
}

struct RegistrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration",
        abstract:
            "Whether outsiders may register teams at /register in open phases (open_registration in challenge.yaml), and closing or opening it again."
    )

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

/// A login the hub does not know (an error of the command's data, not of its usage).
struct NoSuchLogin: Error, CustomStringConvertible {
    let login: String
    var description: String { "no login '\(login)' on this hub ('forkboard team list' shows them)" }
}
