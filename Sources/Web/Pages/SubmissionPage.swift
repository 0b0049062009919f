import Foundation
import Git
import Hub
import Hummingbird
import Ledger

/// A submission's page (`submission.mustache`): state and queue position (the page refreshes
/// itself while the submission is queued or running), commit, pusher, phase, description, the
/// submissions it builds on and those that build on it (any team's), its credit, and for each
/// question its bagged scores, per-fold scores and times, and the tail of its log (only in
/// the ``Hub/SubmissionView`` of its own team).
struct SubmissionPage: Sendable {
    /// Seconds between refreshes while the submission is not final.
    static let refreshSeconds = 5

    let templates: PageTemplates

    /// The team's final selection, shown to the team while it may change it.
    struct Selection: Sendable {
        let selected: Bool
        let count: Int
        let limit: Int
    }

    /// Credit another submission gives this one.
    struct CreditReceived: Sendable {
        let submission: String
        /// In [0, 1]: of the giver's whole credit (measured), or of its own share (declared).
        let fraction: Double
        let declared: Bool
    }

    /// - Parameters:
    ///   - children: the submissions (`team/name`) whose history holds this one.
    ///   - viewer: the signed-in login (an organiser gets the re-score button).
    ///   - canStartFrom: whether the reader may start a sandbox submission from it (its own
    ///     team's, or any in open phases).
    ///   - code: its files and diffs, when the reader may see its code.
    func render(
        _ view: SubmissionView, children: [String], viewer: MemberRecord, formToken: String?, title: String,
        canStartFrom: Bool = false, selection: Selection? = nil, code: SubmissionCode? = nil,
        creditReceived: [CreditReceived] = []
    ) -> ByteBuffer {
        let running = ["new", "queued", "training", "testing"].contains(view.state)
        let links = { (names: [String]) -> [[String: String]] in
            names.map { name in
                let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
                return ["name": name, "link": parts.count == 2 ? PageFormat.submissionLink(parts[0], parts[1]) : "#"]
            }
        }
        let evaluations = view.evaluations.map { evaluation -> [String: Any] in
            let scoreTypes = Array(Set(evaluation.scores.values.flatMap(\.keys)).union(evaluation.folds.flatMap { $0.scores.values.flatMap(\.keys) }))
                .sorted()
            let bagged = evaluation.scores.keys.sorted().map { split -> [String: Any] in
                ["split": split, "values": scoreTypes.map { ["value": PageFormat.score(evaluation.scores[split]?[$0])] }]
            }
            // Per fold: the validation scores (what each fold's model is judged on).
            let foldSplit =
                evaluation.folds.contains { $0.scores["valid"] != nil } ? "valid" : evaluation.folds.first?.scores.keys.sorted().first ?? "valid"
            let foldTypes = Array(Set(evaluation.folds.flatMap { $0.scores[foldSplit]?.keys ?? [:].keys })).sorted()
            let folds = evaluation.folds.map { fold -> [String: Any] in
                [
                    "fold": fold.fold,
                    "values": foldTypes.map { ["value": PageFormat.score(fold.scores[foldSplit]?[$0])] },
                    "trainSeconds": PageFormat.seconds(fold.trainSeconds), "testSeconds": PageFormat.seconds(fold.testSeconds),
                    "cpuSeconds": PageFormat.seconds(fold.cpuSeconds), "peakMemory": PageFormat.mebibytes(fold.peakMemoryBytes),
                ]
            }
            var context: [String: Any] = [
                "question": evaluation.question, "state": evaluation.state, "stateClass": PageFormat.stateClass(evaluation.state),
                "attempts": evaluation.attempts,
                "hasScores": !bagged.isEmpty, "scoreTypes": scoreTypes.map { ["name": $0] }, "bagged": bagged,
                "hasFolds": !folds.isEmpty, "foldColumns": foldTypes.map { ["name": "\(foldSplit) \($0)"] }, "folds": folds,
            ]
            if let seconds = evaluation.trainSeconds { context["trainSeconds"] = PageFormat.seconds(seconds) }
            if let seconds = evaluation.testSeconds { context["testSeconds"] = PageFormat.seconds(seconds) }
            if let job = evaluation.batchJob { context["batchJob"] = job }
            if let log = evaluation.log, !log.isEmpty { context["log"] = log }
            if let progress = evaluation.progress, !progress.isEmpty {
                let done = progress.filter { $0.state == "succeeded" || $0.state == "failed" }.count
                context["progress"] =
                    [
                        "done": done, "total": progress.count,
                        "running": progress.filter { $0.state == "running" }.map(\.task).joined(separator: ", "),
                        "tasks": progress.map {
                            [
                                "task": $0.task, "state": $0.state,
                                "stateClass": $0.state == "succeeded" ? "state-scored" : $0.state == "failed" ? "state-error" : "",
                            ]
                        },
                    ] as [String: Any]
            }
            context["hasHistory"] = !evaluation.history.isEmpty
            context["history"] = evaluation.history.map { earlier -> [String: Any] in
                let scores = earlier.scores.keys.sorted().flatMap { split in
                    (earlier.scores[split] ?? [:]).sorted { $0.key < $1.key }.map { "\(split) \($0.key) \(PageFormat.score($0.value))" }
                }
                return ["archivedAt": earlier.archivedAt, "state": earlier.state, "scores": scores.isEmpty ? "none" : scores.joined(separator: ", ")]
            }
            return context
        }
        var context: [String: Any] = [
            "pageTitle": "\(view.key)", "title": title, "member": viewer.login, "organiser": viewer.isOrganiser,
            "formToken": formToken ?? false,
            "team": view.team, "submission": view.submission, "commit": view.commit, "pusher": view.pusher,
            "submittedAt": view.submittedAt, "state": view.state, "stateClass": PageFormat.stateClass(view.state),
            "hasParents": !view.derivesFrom.isEmpty, "derivesFrom": links(view.derivesFrom),
            "hasChildren": !children.isEmpty, "children": links(children),
            "hasCredits": !view.credits.isEmpty,
            "credits": view.credits.sorted { $0.value > $1.value }.map { "\($0.key) \(PageFormat.percent($0.value))" }.joined(separator: "; "),
            "evaluations": evaluations,
            "hasReceived": !creditReceived.isEmpty,
            "received": creditReceived.map { credit -> [String: Any] in
                let parts = credit.submission.split(separator: "/", maxSplits: 1).map(String.init)
                return [
                    "name": credit.submission, "link": parts.count == 2 ? PageFormat.submissionLink(parts[0], parts[1]) : "#",
                    "share": PageFormat.percent(credit.fraction),
                    "of": credit.declared ? "of its own share, declared in a Credit: trailer" : "of its credit, measured in its code",
                ]
            },
        ]
        if running { context["refreshSeconds"] = Self.refreshSeconds }
        if let selection, let formToken {
            context["selection"] =
                [
                    "selected": selection.selected, "count": selection.count, "limit": selection.limit, "formToken": formToken,
                    "selectionURL": PageFormat.submissionLink(view.team, view.submission) + "/selection",
                    "action": selection.selected ? "unselect" : "select",
                    "label": selection.selected ? "Remove from the final selection" : "Select for the final leaderboard",
                ] as [String: Any]
        }
        if canStartFrom {
            let from = "\(view.key)".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            context["startFrom"] = "/sandbox?from=\(from)"
        }
        if viewer.isOrganiser, let formToken {
            context["rescore"] = ["formToken": formToken, "submission": "\(view.key)"]
        }
        if let code { context["code"] = Self.codeContext(code, team: view.team, submission: view.submission) }
        if let position = view.evaluations.compactMap(\.queuePosition).min() { context["queuePosition"] = position }
        if let phase = view.phase { context["phase"] = phase }
        if let description = view.description { context["description"] = description }
        return templates.render("submission", context)
    }

    /// The files (each linked to its text) and the diffs against the parents.
    static func codeContext(_ code: SubmissionCode, team: String, submission: String) -> [String: Any] {
        let base = PageFormat.submissionLink(team, submission) + "/files/"
        return [
            "files": code.files.map { file -> [String: Any] in
                let path = file.path.split(separator: "/").map { PageFormat.pathComponent(String($0)) }.joined(separator: "/")
                return ["path": file.path, "link": base + path, "bytes": file.bytes]
            },
            "diffs": code.diffs.map { parent -> [String: Any] in
                var entry: [String: Any] = [
                    "against": parent.submission ?? "commit \(parent.commit.prefix(12))",
                    "changes": parent.diff.files.map {
                        ["path": $0.path, "change": $0.change, "additions": $0.additions, "deletions": $0.deletions]
                    },
                    "patch": parent.diff.patch, "truncated": parent.diff.truncated, "unchanged": parent.diff.files.isEmpty,
                ]
                if let name = parent.submission {
                    let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
                    if parts.count == 2 { entry["link"] = PageFormat.submissionLink(parts[0], parts[1]) }
                }
                return entry
            },
        ]
    }
}
