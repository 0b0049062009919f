import ArgumentParser
import Credit
import Foundation
import Git
import Hub
import ScoreTypes
import SyntheticWorkloads

/// Full contributivity recomputations for S submissions x K folds x N validation rows x 3
/// classes, with log loss as the official score.
struct ContributivityBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "contributivity", abstract: "Full contributivity recompute times.")

    @Option(help: "Submission counts.")
    var submissions: [Int] = [100, 500, 1000]

    @Option(help: "Folds.")
    var folds = 5

    @Option(help: "Validation rows per fold.")
    var validationRows = 10_000

    @Option(help: "Test rows.")
    var testRows = 2_000

    func run() async throws {
        say("Contributivity: full recompute, log loss, \(folds) folds x \(validationRows) validation rows x 3 classes, \(testRows) test rows")
        var rows: [[String]] = []
        var previous: (Int, Double)?
        for count in submissions {
            let problem = SyntheticProblem.classification(
                submissions: count, folds: folds, rows: validationRows * folds, classes: 3, testRows: testRows, seed: UInt64(count))
            var result: BlendingResult?
            let seconds = try await Timing.seconds { result = try Blender(scoreType: LogLoss()).blend(problem) }
            let sizes = result!.ensembles.map(\.count)
            let growth = previous.map { String(format: "x%.2f for x%.1f submissions", seconds / $0.1, Double(count) / Double($0.0)) } ?? ""
            rows.append([String(count), String(format: "%.2f", seconds), sizes.map(String.init).joined(separator: " "), growth])
            previous = (count, seconds)
        }
        say(LeaderboardFormatter.table(header: ["submissions", "recompute s", "ensemble sizes per fold", "growth"], rows: rows), terminator: "")
        say("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
    }
}

/// Lineage credit (git blame through a synthetic ledger written with git fast-import): the
/// whole ledger from scratch, and one new submission appended to a kept computation.
struct LineageBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lineage", abstract: "Lineage credit times on synthetic ledgers.")

    @Option(help: "Ledger sizes (submissions).")
    var submissions: [Int] = [250, 500, 1000]

    @Option(help: "Teams.")
    var teams = 100

    @Option(help: "New submissions timed one by one at the end of each ledger.")
    var appended = 50

    func run() async throws {
        say("Lineage credit: synthetic ledgers (\(teams) teams forking, merging, renaming; 4 source files of 150 lines in the kit)")
        var rows: [[String]] = []
        for count in submissions {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-lineage-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: directory) }
            _ = try Repository.createBare(at: directory.path)
            let ledger = try SyntheticLedger.build(gitDirectory: directory, submissionCount: count, teamCount: teams, seed: UInt64(count))
            let credited: (String) -> Bool = { $0.hasSuffix(".py") }
            let full = try await Timing.seconds {
                _ = try LineageCredit.compute(
                    repository: try Repository.open(at: directory.path), submissions: ledger.submissions,
                    startingKit: ledger.kit, isCredited: credited, isVisible: { _, _ in true })
            }
            let kept = try LineageCredit(repositoryPath: directory.path, startingKit: ledger.kit, isCredited: credited, isVisible: { _, _ in true })
            let split = max(0, ledger.submissions.count - appended)
            for submission in ledger.submissions.prefix(split) { try kept.append(submission) }
            var each: [Double] = []
            for submission in ledger.submissions.dropFirst(split) {
                each.append(try await Timing.seconds { try kept.append(submission) })
            }
            rows.append([
                String(count), String(format: "%.3f", full), String(format: "%.2f", Timing.median(each) * 1000),
                String(format: "%.2f", (each.max() ?? 0) * 1000),
            ])
        }
        say(
            LeaderboardFormatter.table(header: ["submissions", "whole ledger s", "one new: median ms", "one new: max ms"], rows: rows), terminator: ""
        )
    }
}

/// Writes a line to standard output at once.
func say(_ text: String = "", terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((text + terminator).utf8))
}
