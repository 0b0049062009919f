import ArgumentParser
import Credit
import Foundation
import Hub
import Ledger

extension AuditCommand {
    struct Submission: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A submission's provenance: commit and tree, pusher and time, phase, lineage and credit, reuse, and what it was evaluated with."
        )
        @Argument(help: "TEAM/NAME")
        var submission: SubmissionKey
        @OptionGroup var hubOptions: HubOptions
        @Option(help: "table or json.")
        var format: LeaderboardFormatter.Format = .table

        func run() async throws {
            let hub = try hubOptions.open()
            let key = submission.description
            let reuse = try ReuseReport(hub: hub).matches(minimumLines: 3).filter { $0.later == key }.map {
                "\($0.laterFile):\($0.laterLines.lowerBound)-\($0.laterLines.upperBound) matches \($0.earlier) \($0.earlierFile):\($0.earlierLines.lowerBound)-\($0.earlierLines.upperBound) (\($0.matchedLines) lines)"
            }
            let report = try await ProvenanceReport.make(hub: hub, key: submission, reuse: reuse)
            switch format {
            case .json:
                say(try LeaderboardFormatter.json(report), terminator: "")
            case .table, .csv:
                say("Submission \(key): commit \(report.commit), tree \(report.tree)")
                say("Pushed by \(report.pusher) at \(report.submittedAt), phase \(report.phase ?? "-")")
                say("Parents: \(report.parents.joined(separator: ", "))")
                say("Derives from: \(report.derivesFrom.isEmpty ? "nothing" : report.derivesFrom.joined(separator: ", "))")
                func percents(_ shares: [String: Double]) -> String {
                    shares.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value * 100))%" }.joined(separator: ", ")
                }
                say("Credits: " + percents(report.credits))
                say("  measured (whose code tokens these are): " + percents(report.measuredCredits))
                if !report.declaredCredits.isEmpty {
                    say("  declared (given by Credit: trailers, of its own share): " + percents(report.declaredCredits))
                }
                say("Reuse without lineage: \(reuse.isEmpty ? "none found" : reuse.joined(separator: "; "))")
                for evaluation in report.evaluations {
                    say(
                        "Question \(evaluation.question): \(evaluation.state), \(evaluation.attempts) attempt(s), \(evaluation.history.count) earlier result(s)"
                    )
                    if let worker = evaluation.worker { say("  worker \(worker)" + (evaluation.batchJob.map { ", batch job \($0)" } ?? "")) }
                    if let environment = evaluation.environment {
                        say(
                            "  runtime \(environment.interpreter) in \(environment.runtime ?? "?"), \(environment.packages.count) packages, hub \(environment.hubVersion)"
                        )
                        if let rVersion = environment.rVersion { say("  \(rVersion), \(environment.rPackages?.count ?? 0) R packages") }
                        say("  challenge.yaml sha256 \(environment.challengeConfiguration)")
                        for (path, hash) in environment.dataFiles.sorted(by: { $0.key < $1.key }) { say("  \(path) sha256 \(hash)") }
                    }
                }
                say("Git note (\(ProvenanceRecorder.notesReference)): \(report.note == nil ? "none" : "present")")
            }
        }
    }

    struct Reuse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List code copied from another team's earlier submission without lineage (winnowing fingerprints).")
        @OptionGroup var hubOptions: HubOptions
        @Option(help: "Smallest match reported, in lines of the later file.")
        var minLines: Int = 5
        @Option(help: "table or json.")
        var format: LeaderboardFormatter.Format = .table

        func run() async throws {
            let matches = try ReuseReport(hub: try hubOptions.open()).matches(minimumLines: minLines)
            switch format {
            case .json:
                say(try LeaderboardFormatter.json(matches), terminator: "")
            case .table, .csv:
                if matches.isEmpty { say("No reuse without lineage of \(minLines) lines or more."); return }
                let rows = matches.map {
                    [
                        $0.later, "\($0.laterFile):\($0.laterLines.lowerBound)-\($0.laterLines.upperBound)",
                        $0.earlier, "\($0.earlierFile):\($0.earlierLines.lowerBound)-\($0.earlierLines.upperBound)", String($0.matchedLines),
                    ]
                }
                say(LeaderboardFormatter.table(header: ["submission", "lines", "copied from", "lines", "matched"], rows: rows), terminator: "")
            }
        }
    }
}
