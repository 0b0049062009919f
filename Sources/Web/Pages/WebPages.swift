import Challenge
import Foundation
import Host
import Hub
import Hummingbird
import Ledger

/// The HTML pages, behind the sign-in: the challenge's home (`/`), the leaderboard (`/leaderboard`), a submission's page
/// (`/submissions/TEAM/NAME`), the lineage graph (`/lineage`, its SVG at `/lineage.svg`) and
/// the score-against-time plot (`/plots/scores.svg`). Pages read what the JSON API reads,
/// with the same access rules; rendered answers are kept in the ``RenderedCache`` while the
/// ledger does not change.
struct WebPages: Sendable {
    let hub: Hub
    let cache: RenderedCache
    let templates: PageTemplates

    init(hub: Hub, cache: RenderedCache) throws {
        self.hub = hub
        self.cache = cache
        self.templates = try PageTemplates()
    }

    func add(to router: RouterGroup<ForkboardRequestContext>) {
        router.get("/") { request, context in try await home(request, context) }
        router.get("/leaderboard") { request, context in try await leaderboard(request, context) }
        router.get("/submissions/{team}/{name}") { _, context in
            try await submission(SubmissionKey(team: try context.parameters.require("team"), name: try context.parameters.require("name")), context)
        }
        router.get("/lineage") { _, context in
            let member = try context.requireMember()
            return PageTemplates.html(
                templates.render(
                    "lineage",
                    [
                        "pageTitle": "Lineage", "title": hub.challenge.title, "member": member.login,
                        "organiser": member.isOrganiser,
                        "formToken": context.formToken ?? false,
                    ]))
        }
        router.get("/lineage.svg") { request, context in try await lineage(request, context) }
        router.get("/leaderboard/final") { request, context in try await finalLeaderboard(request, context) }
        router.get("/submissions/{team}/{name}/files/**") { request, context in
            try await submissionFile(
                request, SubmissionKey(team: try context.parameters.require("team"), name: try context.parameters.require("name")), context)
        }
        router.post("/submissions/{team}/{name}/selection") { request, context in
            try await select(request, team: try context.parameters.require("team"), name: try context.parameters.require("name"), context)
        }
        router.get("/plots/scores.svg") { request, context in try await scorePlot(request, context) }
        router.get("/plots/histogram.svg") { request, context in try await histogram(request, context) }
    }

    private func version(_ context: ForkboardRequestContext) async throws -> LedgerVersion {
        if let known = context.ledgerVersion { return known }
        return try await hub.ledger.version()
    }

    private func home(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let status = try await PhaseClock(hub: hub).currentStatus()
        // The address the reader used, for the clone commands.
        let scheme = request.headers[.init("X-Forwarded-Proto")!] ?? "http"
        let host = request.head.authority ?? "localhost"
        return PageTemplates.html(
            HomePage(templates: templates).render(
                challenge: hub.challenge, status: status, member: member.login,
                formToken: context.formToken, team: member.team, origin: "\(scheme)://\(host)",
                organiser: member.isOrganiser))
    }

    private func leaderboard(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let member = try context.requireMember()
        do {
            let version = try await version(context)
            let visible = ScoreVisibility.visible(to: member, hub, in: version)
            let limit = parameters.get("limit").flatMap(Int.init).map { min(max($0, 1), 1000) } ?? LeaderboardPage.rowsPerPage
            let phase = parameters.get("phase").flatMap { $0.isEmpty ? nil : $0 }
            let bestPerTeam = ["1", "true", "yes", "on"].contains(parameters.get("best_per_team") ?? "")
            let options = Leaderboard.Options(
                question: parameters.get("question"), phase: phase, bestPerTeam: bestPerTeam,
                visibleSplits: visible, limit: limit, cursor: parameters.get("cursor"))
            let key = RenderedCache.key(
                "/leaderboard",
                [
                    ("question", options.question), ("cursor", options.cursor), ("phase", phase), ("best", bestPerTeam ? "1" : nil),
                    ("limit", String(limit)), ("member", member.login), ("session", context.formToken),
                ], visibleSplits: visible, version: version)
            let page = LeaderboardPage(templates: templates)
            let phases = hub.challenge.schedule.phases.map(\.name)
            let body = try await cache.body(for: key) {
                page.render(
                    try await Leaderboard.make(hub: hub, options: options),
                    request: .init(
                        phase: phase, bestPerTeam: bestPerTeam, limit: limit, member: member.login,
                        formToken: context.formToken, phases: phases, organiser: member.isOrganiser))
            }
            return PageTemplates.html(body)
        } catch let error as HubError {
            throw HTTPError(.notFound, message: error.description)
        }
    }

    private func submission(_ key: SubmissionKey, _ context: ForkboardRequestContext) async throws -> Response {
        let team = key.team
        let member = try context.requireMember()
        let visible = try await ScoreVisibility.visible(to: member, of: hub)
        guard
            let view = try await SubmissionView.make(
                hub: hub, key: key, includeLogs: member.seesOwnWork(of: team),
                visibleSplits: visible),
            let record = try await BlockingWork.run({ try hub.ledger.submission(key) })
        else {
            throw HTTPError(.notFound, message: "no submission \(key)")
        }
        let ledger = hub.ledger
        let children = try await BlockingWork.run { try ledger.descendants(of: record.id!) }
        let status = try await PhaseClock(hub: hub).currentStatus()
        // Code that cannot be read (a ledger repository damaged by hand) leaves the rest of the page.
        let code =
            SubmissionCode.isReadable(team: team, by: member, commonsOpen: status.isCommonsOpen)
            ? try? await SubmissionCode.make(hub: hub, submission: record) : nil
        let received = try await hub.ledger.creditReceived(by: "\(key)")
        let canStartFrom = !member.isOrganiser && (member.team == team || status.isCommonsOpen)
        var selection: SubmissionPage.Selection?
        if member.team == team, hub.challenge.finalSelection > 0, status.phase?.kind != .frozen {
            let selections = try await BlockingWork.run { try ledger.finalSelections() }
            selection = .init(
                selected: selections[record.id!] != nil, count: selections.values.filter { $0.team == team }.count,
                limit: hub.challenge.finalSelection)
        }
        return PageTemplates.html(
            SubmissionPage(templates: templates).render(
                view, children: children, viewer: member, formToken: context.formToken,
                title: hub.challenge.title, canStartFrom: canStartFrom,
                selection: selection, code: code,
                creditReceived: received.map { .init(submission: $0.submission, fraction: $0.fraction, declared: $0.source == .declared) }))
    }

    /// One file of a submission's code, as plain text, for those who may read its code.
    private func submissionFile(_ request: Request, _ key: SubmissionKey, _ context: ForkboardRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let prefix = PageFormat.submissionLink(key.team, key.name) + "/files/"
        let rawPath = request.uri.path.hasPrefix(prefix) ? String(request.uri.path.dropFirst(prefix.count)) : ""
        let path = rawPath.removingPercentEncoding ?? rawPath
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw HTTPError(.notFound, message: "no such file in submission \(key)")
        }
        guard SubmissionCode.isReadable(team: key.team, by: member, commonsOpen: try await PhaseClock(hub: hub).currentStatus().isCommonsOpen) else {
            throw HTTPError(.forbidden, message: "the code of team \(key.team)'s submissions is shown to other teams in open phases only")
        }
        let hub = self.hub
        guard let record = try await BlockingWork.run({ try hub.ledger.submission(key) }),
            let file = try await SubmissionCode.file(hub: hub, submission: record, path: path)
        else {
            throw HTTPError(.notFound, message: "no file '\(path)' in submission \(key)")
        }
        var body = ByteBuffer(bytes: file.content)
        if file.truncated { body.writeString("\n[cut at \(SubmissionCode.maximumFileBytes) bytes]\n") }
        // Shown as text whatever it holds, never run by the browser.
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/plain; charset=utf-8", .init("X-Content-Type-Options")!: "nosniff",
                .contentSecurityPolicy: "default-src 'none'",
            ], body: ResponseBody(byteBuffer: body))
    }

    /// The final leaderboard, once the private scores are revealed.
    private func finalLeaderboard(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let member = try context.requireMember()
        guard ScoreVisibility.visible(to: member, hub, in: try await version(context)).contains(.privateTest) else {
            throw HTTPError(.forbidden, message: "the final leaderboard is shown once the private scores are revealed")
        }
        let hub = self.hub
        let question = request.uri.queryParameters.get("question")
        do {
            let board = try await BlockingWork.run { try FinalLeaderboard.make(hub: hub, question: question) }
            return PageTemplates.html(
                templates.render(
                    "final",
                    [
                        "pageTitle": "Final leaderboard", "title": hub.challenge.title, "member": member.login, "organiser": member.isOrganiser,
                        "formToken": context.formToken ?? false,
                        "question": board.question, "scoreType": board.scoreType,
                        "limit": board.selectionLimit > 0 ? board.selectionLimit as Any : false,
                        "rows": board.rows.map { row -> [String: Any] in
                            [
                                "rank": row.rank, "team": row.team, "submission": row.submission,
                                "link": PageFormat.submissionLink(row.team, row.submission),
                                "privateScore": PageFormat.score(row.privateScore), "publicScore": PageFormat.score(row.publicScore),
                                "counted": row.selected ? "selected" : "best public",
                            ]
                        },
                    ]))
        } catch let error as HubError {
            throw HTTPError(.notFound, message: error.description)
        }
    }

    /// A team member selects (or unselects) one of the team's submissions for the final leaderboard.
    private func select(_ request: Request, team: String, name: String, _ context: ForkboardRequestContext) async throws -> Response {
        let member = try context.requireMember()
        let form = try await FormBody.read(request, limit: 16 << 10)
        try FormProtection.check(form, context: context)
        guard member.team == team else { throw HTTPError(.forbidden, message: "only team \(team) selects its submissions") }
        do {
            try await hub.selectForFinal(SubmissionKey(team: team, name: name), selected: form["action"] != "unselect", by: member.login)
        } catch let error as HubError {
            throw HTTPError(.forbidden, message: error.description)
        }
        return Response(status: .seeOther, headers: [.location: PageFormat.submissionLink(team, name)])
    }

    /// The lineage SVG, rendered once per ledger version, and compressed once for the clients
    /// that accept gzip.
    private func lineage(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let version = try await version(context)
        let key = RenderedCache.key("/lineage.svg", [], visibleSplits: [], version: version)
        let gzipKey = RenderedCache.key("/lineage.svg", [("encoding", "gzip")], visibleSplits: [], version: version)
        let (hub, cache) = (self.hub, self.cache)
        let identity: @Sendable () async throws -> ByteBuffer = {
            try await cache.body(for: key) { ByteBuffer(string: try await LineageGraph.svg(hub: hub)) }
        }
        return try await CompressedBody.response(
            contentType: "image/svg+xml", identity: identity,
            gzipped: {
                try await cache.body(for: gzipKey) { try await CompressedBody.gzip(try await identity()) }
            }, for: request)
    }

    private func histogram(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let version = try await version(context)
        let visible = ScoreVisibility.visible(to: context.member, hub, in: version)
        let question = request.uri.queryParameters.get("question")
        let key = RenderedCache.key("/plots/histogram.svg", [("question", question)], visibleSplits: visible, version: version)
        let hub = self.hub
        do {
            let body = try await cache.body(for: key) {
                var series: [ScoreHistogram.Series] = []
                var scoreName = ""
                for phase in hub.challenge.schedule.phases {
                    let leaderboard = try await Leaderboard.make(
                        hub: hub, options: Leaderboard.Options(question: question, phase: phase.name, visibleSplits: visible))
                    scoreName = "\(leaderboard.officialScoreType) (\(leaderboard.rankedBy))"
                    series.append(
                        ScoreHistogram.Series(
                            phase: phase.name,
                            scores: leaderboard.rows.compactMap {
                                $0.scores[leaderboard.rankedBy]?[leaderboard.officialScoreType]
                            }))
                }
                return ByteBuffer(string: ScoreHistogram(series: series, scoreName: scoreName, binCount: 10).svg())
            }
            return Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: ResponseBody(byteBuffer: body))
        } catch let error as HubError {
            throw HTTPError(.notFound, message: error.description)
        }
    }

    private func scorePlot(_ request: Request, _ context: ForkboardRequestContext) async throws -> Response {
        let version = try await version(context)
        let visible = ScoreVisibility.visible(to: context.member, hub, in: version)
        let question = request.uri.queryParameters.get("question")
        let key = RenderedCache.key("/plots/scores.svg", [("question", question)], visibleSplits: visible, version: version)
        let hub = self.hub
        do {
            let body = try await cache.body(for: key) {
                let leaderboard = try await Leaderboard.make(hub: hub, options: Leaderboard.Options(question: question, visibleSplits: visible))
                let format = Date.ISO8601FormatStyle()
                let points = leaderboard.rows.compactMap { row -> ScorePlot.Point? in
                    guard let score = row.scores[leaderboard.rankedBy]?[leaderboard.officialScoreType],
                        let time = try? format.parse(row.submittedAt)
                    else { return nil }
                    return ScorePlot.Point(time: time, score: score, label: "\(row.team)/\(row.submission)")
                }
                let boundaries = hub.challenge.schedule.phases.map { ScorePlot.Boundary(time: $0.start, name: $0.name) }
                let plot = ScorePlot(
                    points: points, boundaries: boundaries, scoreName: "\(leaderboard.officialScoreType) (\(leaderboard.rankedBy))",
                    lowerIsBetter: leaderboard.lowerIsBetter)
                return ByteBuffer(string: plot.svg())
            }
            return Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: ResponseBody(byteBuffer: body))
        } catch let error as HubError {
            throw HTTPError(.notFound, message: error.description)
        }
    }
}
