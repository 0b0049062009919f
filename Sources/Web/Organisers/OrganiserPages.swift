import Challenge
import Foundation
import Host
import Hub
import Hummingbird
import Ledger

/// Lets organisers' logins (``Ledger/MemberRecord/isOrganiser``) through, and answers 403
/// to everyone else: the organisers' pages and API are behind it.
struct OrganiserMiddleware: RouterMiddleware {
    typealias Context = ForkboardRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.member?.isOrganiser == true else {
            let message = "for organisers only: sign in with an organiser's login (made with 'forkboard organiser add LOGIN')"
            if request.uri.path.hasPrefix("/api/") { return try APIHandlers.json(["error": message], status: .forbidden) }
            throw HTTPError(.forbidden, message: message)  // a page, by PageErrorMiddleware
        }
        return try await next(request, context)
    }
}

/// The organisers' pages under `/organisers`: the phase in force and its override, the reveal
/// of the private scores, registration, re-scoring, the teams with their members and tokens
/// (create a team, add a member or give a new token, shown once; revoke), the audit log and
/// the resources used (a table, the projection per participant, and a plot). Every change is
/// a form with the session's anti-forgery token and is recorded in the audit log with the
/// organiser's login; it does what the `forkboard` command of the same name does.
struct OrganiserPages: Sendable {
    let hub: Hub
    let templates: PageTemplates

    /// Audit entries per page.
    static let auditRows = 100

    func add(to router: RouterGroup<ForkboardRequestContext>) {
        let pages = router.group("/organisers").add(middleware: OrganiserMiddleware())
        pages.get { _, context in try await dashboard(context, notice: nil) }
        pages.get("audit") { request, context in try await audit(request, context) }
        pages.get("resources") { request, context in try await resources(request, context) }
        pages.get("resources.svg") { _, _ in try await resourcePlot() }
        pages.post("teams") { request, context in try await addTeam(request, context) }
        pages.post("members") { request, context in try await addMember(request, context) }
        pages.post("members/{login}/revoke") { request, context in
            try await revoke(request, login: try context.parameters.require("login"), context)
        }
        pages.post("phase") { request, context in try await setPhase(request, context) }
        pages.post("reveal") { request, context in
            let member = try await checkedForm(request, context).member
            try await BlockingWork.run { [hub] in try hub.ledger.reveal(by: member.login) }
            return try await dashboard(context, notice: "The private test scores are now shown to participants.")
        }
        pages.post("registration") { request, context in
            let (member, form) = try await checkedForm(request, context)
            let close = form["action"] == "close"
            try await hub.setRegistrationClosed(close, by: member.login)
            return try await dashboard(context, notice: close ? "Registration is closed." : "Registration is open again.")
        }
        pages.post("rescore") { request, context in try await rescore(request, context) }
    }

    /// The organisers' JSON API: `GET /api/v1/organisers/teams` (teams and their members'
    /// logins), `/api/v1/organisers/audit?before=&team=&limit=` (a page of the audit log,
    /// newest first), `/api/v1/organisers/resources` (``Hub/ResourceReport``).
    func addAPI(to router: RouterGroup<ForkboardRequestContext>) {
        let api = router.group("/api/v1/organisers").add(middleware: OrganiserMiddleware())
        api.get("teams") { _, _ -> Response in
            let (teams, members) = try await roster()
            return try APIHandlers.json(
                TeamsView(
                    teams: teams.map {
                        .init(name: $0.name, createdAt: Instant.format($0.createdAt), members: (members[$0.name] ?? []).map(\.login))
                    },
                    organisers: (members[MemberRecord.organisersTeam] ?? []).map(\.login)))
        }
        api.get("audit") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            var limit = Self.auditRows
            if let text = parameters.get("limit") {
                guard let value = Int(text), (1...1000).contains(value) else {
                    return try APIHandlers.json(["error": "limit must be a number of entries from 1 to 1000"], status: .badRequest)
                }
                limit = value
            }
            let entries = try await hub.ledger.auditPage(
                before: parameters.get("before").flatMap { Int64($0) },
                team: parameters.get("team").flatMap { $0.isEmpty ? nil : $0 }, limit: limit)
            return try APIHandlers.json(entries.map(AuditEntryView.init))
        }
        api.get("resources") { _, _ -> Response in
            let hub = self.hub
            return try APIHandlers.json(try await BlockingWork.run { try ResourceReport.make(ledger: hub.ledger) })
        }
    }

    /// `GET /api/v1/organisers/teams`.
    struct TeamsView: Encodable {
        struct Team: Encodable {
            let name: String
            let createdAt: String
            let members: [String]
            enum CodingKeys: String, CodingKey {
                case name, members
                case createdAt = "created_at"
            }
        }
        let teams: [Team]
        let organisers: [String]
    }

    /// The participating teams, and every login by team (the organisers' under
    /// ``Ledger/MemberRecord/organisersTeam``).
    private func roster() async throws -> (teams: [TeamRecord], members: [String: [MemberRecord]]) {
        let hub = self.hub
        let members = Dictionary(grouping: try await hub.ledger.members(), by: \.team)
        return (try await BlockingWork.run { try hub.ledger.teams() }, members)
    }

    /// The signed-in organiser and the posted form, whose anti-forgery token was checked.
    private func checkedForm(_ request: Request, _ context: ForkboardRequestContext) async throws -> (member: MemberRecord, form: FormBody) {
        let member = try context.requireMember()
        let form = try await FormBody.read(request, limit: 16 << 10)
        try FormProtection.check(form, context: context)
        return (member, form)
    }

    private func render(
        _ name: String, _ values: [String: Any], _ context: ForkboardRequestContext,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let common: [String: Any] = [
            "title": hub.challenge.title, "member": try context.requireMember().login, "organiser": true, "formToken": context.formToken ?? false,
        ]
        return PageTemplates.html(templates.render(name, common.merging(values) { $1 }), status: status)
    }

    private func dashboard(_ context: ForkboardRequestContext, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let hub = self.hub
        let phaseStatus = try await PhaseClock(hub: hub).currentStatus()
        let revealed = try await hub.ledger.phaseState().revealed
        let (teams, byTeam) = try await roster()
        let format = Date.ISO8601FormatStyle()
        let viewer = context.member?.login
        func memberRows(_ list: [MemberRecord]) -> [[String: Any]] {
            // (No button to revoke the login signed in: it is refused.)
            list.map {
                [
                    "login": $0.login, "since": $0.createdAt.formatted(format),
                    "revokeURL": $0.login == viewer ? false : "/organisers/members/\($0.login)/revoke",
                ]
            }
        }
        var values: [String: Any] = [
            "pageTitle": "Organisers",
            "phase": phaseStatus.phase.map { "\($0.name) (\($0.kind.rawValue))" } ?? "none",
            "phases": hub.challenge.schedule.phases.map { phase -> [String: Any] in
                ["name": phase.name, "kind": phase.kind.rawValue, "selected": phaseStatus.override?.phase == phase.name]
            },
            "revealed": revealed,
            "registration": hub.challenge.openRegistration,
            "teams": teams.map { team -> [String: Any] in
                ["name": team.name, "members": memberRows(byTeam[team.name] ?? [])]
            },
            "organisers": memberRows(byTeam[MemberRecord.organisersTeam] ?? []),
        ]
        if let override = phaseStatus.override {
            values["override"] = ["setBy": override.setBy, "setAt": override.setAt.formatted(format)]
        }
        if hub.challenge.openRegistration {
            values["registrationRefusal"] = try await hub.registrationRefusal() ?? false
            values["registrationClosed"] = try await hub.ledger.hubState("registration_closed") == "1"
        }
        if let notice { values["notice"] = notice }
        return try render("organisers", values, context, status: status)
    }

    /// A refusal shown on the dashboard, with the status that says what went wrong.
    private func refused(_ context: ForkboardRequestContext, _ message: String, status: HTTPResponse.Status = .badRequest) async throws -> Response {
        try await dashboard(context, notice: message, status: status)
    }

    private func addTeam(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let (member, form) = try await checkedForm(request, context)
        let team = (form["team"] ?? "").trimmingCharacters(in: .whitespaces)
        let loginField = (form["login"] ?? "").trimmingCharacters(in: .whitespaces)
        let login = loginField.isEmpty ? team : loginField
        let hub = self.hub
        do {
            let token = try await BlockingWork.run { try HubSetup.addTeam(team, member: login, to: hub, by: member.login) }
            return try shownOnce(request, context, team: team, login: login, token: token)
        } catch let error as TeamError {
            return try await refused(context, error.description, status: error.responseStatus)
        }
    }

    private func addMember(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let (member, form) = try await checkedForm(request, context)
        let team = (form["team"] ?? "").trimmingCharacters(in: .whitespaces)
        let login = (form["login"] ?? "").trimmingCharacters(in: .whitespaces)
        let hub = self.hub
        let teamExists = try await hub.ledger.hasTeam(team)
        guard team == MemberRecord.organisersTeam || teamExists else {
            return try await refused(context, "no team '\(team)'", status: .notFound)
        }
        do {
            let token = try await BlockingWork.run { try hub.ledger.addMember(login, to: team, by: member.login) }
            return try shownOnce(request, context, team: team, login: login, token: token)
        } catch let error as TeamError {
            return try await refused(context, error.description, status: error.responseStatus)
        }
    }

    /// The page that shows a new token, once (only its hash is kept).
    private func shownOnce(_ request: Request, _ context: ForkboardRequestContext, team: String, login: String, token: String) throws -> Response {
        let origin = "http://\(request.head.authority ?? "localhost")"
        var values: [String: Any] = ["pageTitle": "New token", "login": login, "token": token]
        if team == MemberRecord.organisersTeam {
            values["isOrganiser"] = true
        } else {
            values["team"] = team
            values["cloneURL"] = "\(origin)/git/\(team).git"
        }
        var response = try render("organisers-token", values, context)
        // Shown once: never kept by the browser or a proxy.
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func revoke(_ request: Request, login: String, _ context: ForkboardRequestContext) async throws -> Response {
        let member = try await checkedForm(request, context).member
        guard login != member.login else { return try await refused(context, "you cannot revoke your own login while signed in with it") }
        let hub = self.hub
        guard try await BlockingWork.run({ try hub.ledger.revokeMember(login, by: member.login) }) else {
            return try await refused(context, "no login '\(login)'", status: .notFound)
        }
        return try await dashboard(context, notice: "The token of \(login) is revoked: its sessions end at their next request.")
    }

    private func setPhase(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let (member, form) = try await checkedForm(request, context)
        let phase = form["phase"].flatMap { $0.isEmpty ? nil : $0 }
        let hub = self.hub
        do {
            try await BlockingWork.run { try hub.overridePhase(phase, by: member.login) }
        } catch let error as HubError {
            return try await refused(context, error.description)
        }
        return try await dashboard(
            context,
            notice: phase.map { "The hub is now in the \($0) phase, until you return to the schedule." }
                ?? "The schedule rules again.")
    }

    private func rescore(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let (member, form) = try await checkedForm(request, context)
        let parts = (form["submission"] ?? "").trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return try await refused(context, "name the submission as TEAM/NAME") }
        let hub = self.hub
        do {
            let outcome = try await BlockingWork.run { try hub.rescore(SubmissionKey(team: parts[0], name: parts[1]), by: member.login) }
            if outcome.queued == 0 && outcome.running > 0 {
                return try await refused(
                    context, "\(parts[0])/\(parts[1]) was not queued again: its evaluation runs now; re-score it once it has ended",
                    status: .conflict)
            }
            // Already waiting in the queue (a second click): the submission page shows it queued.
        } catch let error as HubError {
            if case .unknownSubmission = error { return try await refused(context, error.description, status: .notFound) }
            return try await refused(context, error.description, status: .conflict)
        }
        return Response(status: .seeOther, headers: [.location: PageFormat.submissionLink(parts[0], parts[1])])
    }

    private func audit(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let team = parameters.get("team").flatMap { $0.isEmpty ? nil : $0 }
        let before = parameters.get("before").flatMap { Int64($0) }
        let entries = try await hub.ledger.auditPage(before: before, team: team, limit: Self.auditRows)
        var values: [String: Any] = [
            "pageTitle": "Audit log", "team": team ?? "",
            "entries": entries.map { entry -> [String: Any] in
                [
                    "id": entry.id ?? 0, "at": Instant.format(entry.at), "actor": entry.actor, "action": entry.action,
                    "team": entry.team ?? "", "detail": entry.detail,
                ]
            },
        ]
        if entries.count == Self.auditRows, let last = entries.last?.id {
            let teamQuery = team.map { "&team=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
            values["older"] = "/organisers/audit?before=\(last)\(teamQuery)"
        }
        return try render("organisers-audit", values, context)
    }

    private func resources(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let participants = parameters.get("participants").flatMap(Int.init).map { min(max($0, 1), 1_000_000) } ?? 100
        let perParticipant = parameters.get("submissions").flatMap(Int.init).map { min(max($0, 1), 100_000) } ?? 50
        let hub = self.hub
        let report = try await BlockingWork.run { try ResourceReport.make(ledger: hub.ledger) }
        func row(_ line: ResourceReport.Line) -> [String: Any] {
            [
                "name": line.name, "submissions": line.submissions, "trainSeconds": PageFormat.seconds(line.trainSeconds),
                "testSeconds": PageFormat.seconds(line.testSeconds), "cpuSeconds": PageFormat.seconds(line.cpuSeconds),
                "peakMemory": PageFormat.mebibytes(line.peakMemoryBytes),
            ]
        }
        let projected = report.cpuHoursPerSubmission * Double(perParticipant)
        return try render(
            "organisers-resources",
            [
                "pageTitle": "Resources", "teams": report.teams.map(row), "total": row(report.total),
                "participants": participants, "perParticipant": perParticipant,
                "cpuHoursPerSubmission": String(format: "%.4f", report.cpuHoursPerSubmission),
                "cpuHoursPerParticipant": String(format: "%.4f", report.cpuHoursPerParticipant),
                "projectedPerParticipant": String(format: "%.4f", projected),
                "projectedTotal": String(format: "%.1f", projected * Double(participants)),
            ], context)
    }

    private func resourcePlot() async throws -> Response {
        let hub = self.hub
        let report = try await BlockingWork.run { try ResourceReport.make(ledger: hub.ledger) }
        let plot = ResourcePlot(
            points: report.submissions.map {
                ResourcePlot.Point(cpuSeconds: $0.cpuSeconds, peakMemoryBytes: $0.peakMemoryBytes, label: $0.name)
            }, memoryLimitBytes: hub.challenge.limits.memoryBytes)
        return Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: plot.svg())))
    }
}
