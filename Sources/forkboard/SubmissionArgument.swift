import ArgumentParser

/// A `TEAM/NAME` command-line argument.
struct SubmissionArgument: ExpressibleByArgument {
    let team: String
    let name: String

    init?(argument: String) {
        let parts = argument.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        team = parts[0]
        name = parts[1]
    }

    static var defaultValueDescription: String { "TEAM/NAME" }

    var description: String { "\(team)/\(name)" }
}
