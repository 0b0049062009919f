import Challenge
import Foundation
import Ledger

/// Kaggle's final leaderboard of a question: each team ranked by the private test score of
/// its best counted submission. A team's counted submissions are those it selected
/// (`final_selection: N` in challenge.yaml, `forkboard select`), or, when it selected none,
/// its N best by the public test score (all of them when N is 0). Only scored submissions
/// count; ties go to the earlier submission.
public struct FinalLeaderboard: Sendable, Encodable, Equatable {
    public struct Row: Sendable, Encodable, Equatable {
        public let rank: Int
        public let team: String
        /// The counted submission with the best private score.
        public let submission: String
        public let privateScore: Double
        public let publicScore: Double?
        /// Whether the team chose its counted submissions (else its best public ones counted).
        public let selected: Bool

        enum CodingKeys: String, CodingKey {
            case rank, team, submission, selected
            case privateScore = "private_score"
            case publicScore = "public_score"
        }
    }

    public let question: String
    public let scoreType: String
    public let lowerIsBetter: Bool
    /// `final_selection` of challenge.yaml.
    public let selectionLimit: Int
    public let rows: [Row]

    enum CodingKeys: String, CodingKey {
        case question, rows
        case scoreType = "score_type"
        case lowerIsBetter = "lower_is_better"
        case selectionLimit = "selection_limit"
    }

    /// The final leaderboard of `question` (the first one when nil).
    /// - Throws: ``HubError/unknownQuestion(_:)``; database errors.
    public static func make(hub: Hub, question name: String? = nil) throws -> FinalLeaderboard {
        let challenge = hub.challenge
        guard let question = name.map({ challenge.question(named: $0) }) ?? challenge.questions.first else {
            throw HubError.unknownQuestion(name ?? "")
        }
        let scoreType = question.officialScoreType
        let lowerIsBetter = question.isLowerBetter(scoreType)
        let selections = try hub.ledger.finalSelections()
        struct Candidate {
            let team: String
            let name: String
            let id: Int64
            let publicScore: Double?
            let privateScore: Double
        }
        var byTeam: [String: [Candidate]] = [:]
        for detail in try hub.ledger.submissionDetails() {
            guard let evaluation = detail.evaluations.first(where: { $0.record.question == question.name && $0.record.state == .scored }),
                let privateScore = evaluation.baggedScore(scoreType, on: .privateTest) ?? evaluation.baggedScore(scoreType, on: .test)
            else { continue }
            byTeam[detail.submission.team, default: []].append(
                Candidate(
                    team: detail.submission.team, name: detail.submission.name, id: detail.submission.id!,
                    publicScore: evaluation.baggedScore(scoreType, on: .publicTest), privateScore: privateScore))
        }
        let better = { (a: Double, b: Double) in lowerIsBetter ? a < b : a > b }
        var entries: [(Candidate, Bool)] = []
        for (_, candidates) in byTeam {
            let chosen = candidates.filter { selections[$0.id] != nil }
            var counted = chosen
            if chosen.isEmpty {
                let byPublic = candidates.sorted { first, second in
                    switch (first.publicScore, second.publicScore) {
                    case let (a?, b?) where a != b: better(a, b)
                    case (_?, nil): true
                    case (nil, _?): false
                    default: first.id < second.id
                    }
                }
                counted = challenge.finalSelection > 0 ? Array(byPublic.prefix(challenge.finalSelection)) : byPublic
            }
            if let best = counted.min(by: { $0.privateScore != $1.privateScore ? better($0.privateScore, $1.privateScore) : $0.id < $1.id }) {
                entries.append((best, !chosen.isEmpty))
            }
        }
        entries.sort { $0.0.privateScore != $1.0.privateScore ? better($0.0.privateScore, $1.0.privateScore) : $0.0.id < $1.0.id }
        return FinalLeaderboard(
            question: question.name, scoreType: scoreType, lowerIsBetter: lowerIsBetter,
            selectionLimit: challenge.finalSelection,
            rows: entries.enumerated().map { index, entry in
                Row(
                    rank: index + 1, team: entry.0.team, submission: entry.0.name, privateScore: entry.0.privateScore,
                    publicScore: entry.0.publicScore, selected: entry.1)
            })
    }
}
