import Challenge
import Foundation
import Git
import Host
import Hub
import Hummingbird
import Ledger

/// The browser sandbox (`/sandbox`): the team's files (or those of a submission the member
/// may read: `?from=TEAM/NAME`, in open phases any team's) in text areas, a file input per
/// file, a new file, and a submission name; posting the form makes a ``SandboxSubmission``.
/// The form carries the session's anti-forgery token; a post without it is refused (403).
struct SandboxPages: Sendable {
    let hub: Hub
    let settings: ServerSettings
    let templates: PageTemplates

    /// Text files shown for editing are at most this large.
    static let editableBytes = 256 << 10
    /// A form post is at most this large.
    static let formBytes = 8 << 20

    func add(to router: RouterGroup<ForkboardRequestContext>) {
        router.get("/sandbox") { request, context in
            if try context.requireMember().isOrganiser { return Self.organisersDoNotSubmit }
            return try await page(from: request.uri.queryParameters.get("from"), context: context, status: .ok)
        }
        router.post("/sandbox") { request, context in
            if try context.requireMember().isOrganiser { return Self.organisersDoNotSubmit }
            return try await post(request, context)
        }
    }

    /// Organisers belong to no team: they have nothing to submit to.
    static let organisersDoNotSubmit = AuthenticationMiddleware.forbidden(
        "organisers do not submit: sign in with a participant's login to use the sandbox")

    /// Where a sandbox submission starts: a commit, what to call it, and whether it is the
    /// team's `main` (which the push then moves).
    private struct Base {
        let commit: ObjectID
        let label: String
        let isTeamMain: Bool
    }

    /// - Throws: `HTTPError(.notFound)` for an unknown submission; `HTTPError(.forbidden)` for
    ///   another team's submission while the commons is closed.
    private func base(from: String?, member: MemberRecord) async throws -> Base {
        let hub = self.hub
        if let from, !from.isEmpty {
            let parts = from.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2,
                let record = try await BlockingWork.run({ try hub.ledger.submission(SubmissionKey(team: parts[0], name: parts[1])) }),
                let commit = ObjectID(hex: record.commitID)
            else {
                throw HTTPError(.notFound, message: "no submission \(from)")
            }
            if !SubmissionCode.isReadable(team: record.team, by: member, commonsOpen: try await PhaseClock(hub: hub).currentStatus().isCommonsOpen) {
                throw HTTPError(.forbidden, message: "another team's code can be started from in open phases only")
            }
            return Base(commit: commit, label: "the submission \(from)", isTeamMain: false)
        }
        let commit = try await BlockingWork.run {
            try Repository.open(at: hub.paths.teamRepository(member.team).path).resolveCommit("refs/heads/main")
        }
        return Base(commit: commit, label: "your team's main branch", isTeamMain: true)
    }

    private func page(
        from: String?, context: ForkboardRequestContext, status: HTTPResponse.Status, form: [String: Any] = [:]
    ) async throws -> Response {
        let member = try context.requireMember()
        guard let formToken = context.formToken else {
            return Response(status: .seeOther, headers: [.location: "/signin?next=%2Fsandbox"])
        }
        let base = try await base(from: from, member: member)
        let hub = self.hub
        let (editable, others): ([(String, String)], [String]) = try await BlockingWork.run {
            let repository = try Repository.open(at: hub.paths.ledgerRepository.path)
            let source = repository.contains(base.commit) ? repository : try Repository.open(at: hub.paths.teamRepository(member.team).path)
            var editable: [(String, String)] = []
            var others: [String] = []
            for (path, entry) in try source.allEntries(inTree: try source.commit(base.commit).treeID) where entry.kind == .blob {
                // The hub's own files (.forkboard/) and data files are kept, not offered for editing.
                let isHubOrData = path.hasPrefix(".forkboard/") || path.hasPrefix("data/") || path.hasSuffix(".csv")
                if !isHubOrData, try source.objectSize(entry.id) <= Self.editableBytes,
                    let text = String(data: try source.blobContent(entry.id), encoding: .utf8), !text.contains("\0")
                {
                    editable.append((path, text))
                } else {
                    others.append(path)
                }
            }
            // The questions' required files (classifier.py) first.
            let required = Set(hub.challenge.questions.flatMap(\.requiredFiles))
            editable.sort { (required.contains($0.0) ? 0 : 1, $0.0) < (required.contains($1.0) ? 0 : 1, $1.0) }
            return (editable, others)
        }
        var context: [String: Any] = [
            "pageTitle": "Sandbox", "title": hub.challenge.title, "member": member.login, "team": member.team, "formToken": formToken,
            "from": from ?? "", "base": base.commit.hex, "baseLabel": base.label,
            "files": editable.enumerated().map { index, file -> [String: Any] in
                ["index": index, "path": file.0, "content": file.1, "rows": min(40, max(6, file.1.split(separator: "\n").count + 2))]
            },
            "newIndex": editable.count,
            "others": others.isEmpty ? false as Any : others.joined(separator: ", "),
        ]
        context.merge(form) { $1 }
        return PageTemplates.html(templates.render("sandbox", context), status: status)
    }

    private func post(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let form = try await FormBody.read(request, limit: Self.formBytes)
        try FormProtection.check(form, context: context)
        let name = form["name"] ?? ""
        let from = form["from"].flatMap { $0.isEmpty ? nil : $0 }
        let paths = form.fields.filter { $0.name == "path" }.map(\.value)
        let contents = form.fields.filter { $0.name == "content" }.map(\.value)
        var files: [SandboxSubmission.File] = []
        var problems: [String] = []
        if name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) })
            || !(name.first?.isLetter ?? false || name.first?.isNumber ?? false)
        {
            problems.append("the submission name must be letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        for (index, path) in paths.enumerated() where !path.isEmpty {
            guard SandboxSubmission.isAcceptable(path: path) else {
                problems.append("'\(path)' is not a path the hub accepts (relative, no '..', no .git)")
                continue
            }
            // Browsers send text areas' line ends as CRLF.
            files.append(.init(path: path, content: (index < contents.count ? contents[index] : "").replacingOccurrences(of: "\r\n", with: "\n")))
        }
        let echo: [String: Any] = ["name": name, "description": form["description"] ?? ""]
        guard problems.isEmpty else {
            return try await page(
                from: from, context: context, status: .badRequest,
                form: echo.merging(["outcome": ["accepted": false, "messages": problems.joined(separator: "\n")]]) { $1 })
        }
        let base = try await base(from: from, member: member)
        let outcome = try await SandboxSubmission(hub: hub, settings: settings).submit(
            member: member, name: name, description: form["description"], base: base.commit, updatesMain: base.isTeamMain, files: files,
            remoteAddress: context.remoteAddress?.ipAddress ?? "")
        if outcome.accepted {
            return Response(status: .seeOther, headers: [.location: PageFormat.submissionLink(member.team, name)])
        }
        return try await page(
            from: from, context: context, status: .forbidden,
            form: echo.merging([
                "outcome": ["accepted": false, "messages": outcome.messages.joined(separator: "\n")]
            ]) { $1 })
    }
}
