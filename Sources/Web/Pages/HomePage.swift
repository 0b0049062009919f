import Challenge
import Foundation
import Hub
import Hummingbird
import Ink
import Ledger

/// The challenge's home page (`home.mustache`): its description (challenge.yaml's
/// `description:`, Markdown rendered by Ink), the phase in force and a countdown to the next
/// change (UTC, and the reader's local time in the browser), the phases, the questions with
/// their score types, and the git commands of the signed-in member's team.
struct HomePage: Sendable {
    let templates: PageTemplates

    /// - Parameter origin: the scheme and host the reader used (`http://hub.example.org:8080`).
    /// - Parameter organiser: the reader is an organiser (links to the organisers' pages
    ///   instead of git commands).
    func render(
        challenge: ChallengeConfiguration, status: PhaseClock.Status, member: String, formToken: String?, team: String,
        origin: String, organiser: Bool = false, now: Date = Date()
    ) -> ByteBuffer {
        let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        let meanings: [Phase.Kind: String] = [
            .closed: "each team sees only its own code", .open: "every submission's code is open to all",
            .frozen: "no more submissions; the private scores are revealed",
        ]
        var context: [String: Any] = [
            "pageTitle": "Home", "title": challenge.title, "member": member, "organiser": organiser, "formToken": formToken ?? false, "team": team,
            "cloneURL": "\(origin)/git/\(team).git", "openURL": "\(origin)/git/open.git",
            "description": MarkdownParser().html(from: challenge.description ?? ""),
            "end": challenge.schedule.end.formatted(format),
            "phases": challenge.schedule.phases.map { phase -> [String: Any] in
                [
                    "name": phase.name, "kind": phase.kind.rawValue, "meaning": meanings[phase.kind] ?? "",
                    "start": phase.start.formatted(format), "current": phase.name == status.phase?.name,
                ]
            },
            "questions": challenge.questions.map { question -> [String: Any] in
                let ranking = Leaderboard.rankingSpecification(of: question, in: challenge)
                return [
                    "name": question.name, "kind": question.kind.rawValue, "scoreTypes": question.scoreTypes.joined(separator: ", "),
                    "rankedOn": ranking.split == .valid ? "cross-validation (\(question.folds.count) folds), bagged" : "the public test rows",
                    "query": question.name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? question.name,
                ]
            },
            "openPhase": status.isCommonsOpen,
        ]
        if let phase = status.phase {
            context["currentPhase"] = phase.name
            context["currentKind"] = phase.kind.rawValue
        }
        if let override = status.override {
            // Set by hand: it lasts until the organisers return to the schedule, so no countdown.
            context["overriddenBy"] = override.setBy
            context["overriddenAt"] = override.setAt.formatted(format)
        } else if let next = status.nextChange {
            context["nextChange"] = next.formatted(format)
            context["nextLabel"] = status.nextPhase.map { "the \($0.name) phase starts" } ?? "the challenge ends"
            context["countdown"] = Self.countdown(from: now, to: next)
        }
        if let forum = challenge.forum { context["forum"] = forum }
        return templates.render("home", context)
    }

    /// `3 d 4 h 12 min`.
    static func countdown(from now: Date, to instant: Date) -> String {
        var seconds = max(0, Int(instant.timeIntervalSince(now)))
        let days = seconds / 86_400
        seconds -= days * 86_400
        let hours = seconds / 3600
        seconds -= hours * 3600
        return "\(days) d \(hours) h \(seconds / 60) min"
    }
}
