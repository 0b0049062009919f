import Challenge
import Foundation
import Hub
import Ledger

/// `GET /api/v1/challenge`: what the home page shows.
struct ChallengeView: Encodable, Sendable {
    struct PhaseView: Encodable, Sendable {
        let name: String
        let kind: String
        /// ISO 8601, UTC.
        let start: String
    }

    struct QuestionView: Encodable, Sendable {
        let name: String
        let kind: String
        /// The first one ranks.
        let scoreTypes: [String]
        /// `valid` (bagged cross-validation), `public` or `test` (predictions-only questions).
        let rankedBy: String

        enum CodingKeys: String, CodingKey {
            case name, kind
            case scoreTypes = "score_types"
            case rankedBy = "ranked_by"
        }
    }

    let title: String
    /// Markdown.
    let description: String?
    let forum: String?
    let phases: [PhaseView]
    /// ISO 8601, UTC: when the last phase ends.
    let end: String
    /// The phase in force, or nil.
    let currentPhase: String?
    /// ISO 8601, UTC, or nil.
    let nextChange: String?
    let questions: [QuestionView]

    enum CodingKeys: String, CodingKey {
        case title, description, forum, phases, end, questions
        case currentPhase = "current_phase"
        case nextChange = "next_change"
    }

    init(challenge: ChallengeConfiguration, status: PhaseClock.Status) {
        title = challenge.title
        description = challenge.description
        forum = challenge.forum
        phases = challenge.schedule.phases.map { PhaseView(name: $0.name, kind: $0.kind.rawValue, start: Instant.format($0.start)) }
        end = Instant.format(challenge.schedule.end)
        currentPhase = status.phase?.name
        nextChange = status.nextChange.map(Instant.format)
        questions = challenge.questions.map { question in
            QuestionView(
                name: question.name, kind: question.kind.rawValue, scoreTypes: question.scoreTypes,
                rankedBy: Leaderboard.rankingSpecification(of: question, in: challenge).split.rawValue)
        }
    }
}

/// `GET /api/v1/lineage`: the graph the lineage page draws.
struct LineageView: Encodable, Sendable {
    struct Node: Encodable, Sendable {
        /// `team/name`.
        let submission: String
        let team: String
        /// On the first question, in [0, 1]; nil when not computed.
        let contributivity: Double?
    }

    struct Edge: Encodable, Sendable {
        /// `team/name` of the nearest ancestor, and of the submission that builds on it.
        let from: String
        let to: String
    }

    let nodes: [Node]
    let edges: [Edge]
}
