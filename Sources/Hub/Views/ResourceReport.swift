import Foundation
import Ledger

/// What the evaluations cost, measured by the hub: per submission, per team and in total, and
/// what one participant costs, to plan compute with a computing centre.
public struct ResourceReport: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        /// `team/name` for a submission, the team's name for a team, `total` for the total.
        public let name: String
        public let submissions: Int
        /// Wall seconds of train and of predict, summed over folds and questions.
        public let trainSeconds: Double
        public let testSeconds: Double
        /// CPU seconds of every sandboxed process, summed.
        public let cpuSeconds: Double
        /// Largest memory of any single run, in bytes (0 when not measured).
        public let peakMemoryBytes: Int

        enum CodingKeys: String, CodingKey {
            case name, submissions
            case trainSeconds = "train_seconds"
            case testSeconds = "test_seconds"
            case cpuSeconds = "cpu_seconds"
            case peakMemoryBytes = "peak_memory_bytes"
        }
    }

    public let submissions: [Line]
    public let teams: [Line]
    public let total: Line
    /// CPU hours one participant (team) has cost on average so far.
    public let cpuHoursPerParticipant: Double
    /// CPU hours of one evaluated submission, on average.
    public let cpuHoursPerSubmission: Double
    /// What `challenge check` projected one submission of each question to cost.
    public var projections: [CostProjection] = []

    enum CodingKeys: String, CodingKey {
        case submissions, teams, total, projections
        case cpuHoursPerParticipant = "cpu_hours_per_participant"
        case cpuHoursPerSubmission = "cpu_hours_per_submission"
    }

    /// The report from the ledger's measured fold runs.
    /// - Throws: database errors.
    public static func make(ledger: Ledger, projections: [CostProjection] = []) throws -> ResourceReport {
        var lines: [Line] = []
        for detail in try ledger.submissionDetails() {
            let runs = detail.evaluations.flatMap(\.foldRuns)
            lines.append(
                Line(
                    name: "\(detail.submission.key)", submissions: 1,
                    trainSeconds: runs.reduce(0) { $0 + $1.trainSeconds },
                    testSeconds: runs.reduce(0) { $0 + $1.testSeconds },
                    cpuSeconds: runs.reduce(0) { $0 + ($1.trainCPUSeconds ?? 0) + ($1.testCPUSeconds ?? 0) },
                    peakMemoryBytes: runs.map { max($0.trainPeakMemoryBytes ?? 0, $0.testPeakMemoryBytes ?? 0) }.max() ?? 0))
        }
        func sum(_ name: String, _ group: [Line]) -> Line {
            Line(
                name: name, submissions: group.count,
                trainSeconds: group.reduce(0) { $0 + $1.trainSeconds }, testSeconds: group.reduce(0) { $0 + $1.testSeconds },
                cpuSeconds: group.reduce(0) { $0 + $1.cpuSeconds }, peakMemoryBytes: group.map(\.peakMemoryBytes).max() ?? 0)
        }
        let byTeam = Dictionary(grouping: lines) { String($0.name.split(separator: "/").first ?? "") }
        let teams = byTeam.keys.sorted().map { sum($0, byTeam[$0]!) }
        let total = sum("total", lines)
        let measured = lines.filter { $0.cpuSeconds > 0 }
        return ResourceReport(
            submissions: lines, teams: teams, total: total,
            cpuHoursPerParticipant: teams.isEmpty ? 0 : total.cpuSeconds / 3600 / Double(teams.count),
            cpuHoursPerSubmission: measured.isEmpty ? 0 : measured.reduce(0) { $0 + $1.cpuSeconds } / 3600 / Double(measured.count),
            projections: projections)
    }

    /// An aligned text table, with a projection for `submissionsPerParticipant` submissions
    /// each for `participants` participants.
    public func table(participants: Int, submissionsPerParticipant: Int) -> String {
        func cells(_ line: Line) -> [String] {
            [
                line.name, String(line.submissions), String(format: "%.1f", line.trainSeconds), String(format: "%.1f", line.testSeconds),
                String(format: "%.1f", line.cpuSeconds), String(format: "%.1f", Double(line.peakMemoryBytes) / 1_048_576),
            ]
        }
        let header = ["name", "submissions", "train_s", "test_s", "cpu_s", "peak_MiB"]
        var text = "Per submission\n" + LeaderboardFormatter.table(header: header, rows: submissions.map(cells))
        text += "\nPer team\n" + LeaderboardFormatter.table(header: header, rows: teams.map(cells) + [cells(total)])
        let projected = cpuHoursPerSubmission * Double(submissionsPerParticipant)
        text += String(
            format: "\nOne submission costs %.4f CPU hours on average; one participant has cost %.4f CPU hours so far.\n",
            cpuHoursPerSubmission, cpuHoursPerParticipant)
        text += String(
            format: "Projection: %d participants x %d submissions = %.1f CPU hours (%.4f per participant).\n",
            participants, submissionsPerParticipant, projected * Double(participants), projected)
        for projection in projections {
            let largest = Double(max(projection.trainPeakBytes, projection.predictPeakBytes)) / 1_048_576
            text += String(
                format:
                    "Question %@: 'challenge check' projected %.4f CPU hours and %.0f MiB at most per submission; measured: %.4f CPU hours and %.0f MiB on average.\n",
                projection.question, projection.cpuHours, largest, cpuHoursPerSubmission,
                Double(submissions.map(\.peakMemoryBytes).max() ?? 0) / 1_048_576)
        }
        return text
    }
}
