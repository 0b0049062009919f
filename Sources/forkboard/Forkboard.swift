import ArgumentParser

@main
struct Forkboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forkboard",
        abstract: "A git-driven hub for data-science challenges.",
        subcommands: [
            InitCommand.self, TeamCommand.self, OrganiserCommand.self, RegistrationCommand.self, ChallengeCommand.self, ServeCommand.self,
            WorkerCommand.self, RunJobCommand.self, LeaderboardCommand.self, SelectCommand.self,
            SubmissionsCommand.self, EvaluateCommand.self, PhaseCommand.self, RevealCommand.self, AuditCommand.self, RescoreCommand.self,
            ExportCommand.self, PredictCommand.self, CancelCommand.self, ResourcesCommand.self, RuntimeCommand.self, DemoCommand.self,
            HookCommand.self,
        ])
}
