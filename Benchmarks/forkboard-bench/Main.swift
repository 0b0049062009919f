import ArgumentParser

@main
struct ForkboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forkboard-bench",
        abstract: "Forkboard's benchmarks; each prints a table. Run with: swift run -c release forkboard-bench <benchmark>",
        subcommands: [
            EvaluationBenchmark.self, ContributivityBenchmark.self, LineageBenchmark.self, HubBenchmark.self, WebBenchmark.self, SlurmBenchmark.self,
            PlasticcBenchmark.self,
        ])
}
