import Foundation
import Host
import Hub
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOFoundationEssentialsCompat
import Testing
@testable import Web

/// The organisers' pages: only organisers' logins get in; they see every team's logs and the
/// private scores; every change is a form with the anti-forgery token, and is audited.
@Suite("Organisers' pages")
struct OrganiserPagesTests {
    /// A browser session for `login`: its cookie and the anti-forgery token of its forms.
    static func signIn(_ client: some TestClientProtocol, _ fixture: WebFixture, _ login: String) async throws -> (cookie: String, formToken: String)
    {
        var cookie = ""
        try await client.execute(
            uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "login=\(login)&token=\(fixture.tokens[login] ?? "")&next=/")
        ) { response in
            cookie = String(response.headers[.setCookie]?.split(separator: ";").first ?? "")
        }
        var formToken = ""
        try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
            let html = String(buffer: response.body)
            let marker = "name=\"form_token\" value=\""
            formToken = html.range(of: marker).map { String(html[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
        }
        #expect(!cookie.isEmpty && !formToken.isEmpty)
        return (cookie, formToken)
    }

    /// `headers` with a session cookie and a form's content type.
    static func form(_ headers: HTTPFields, cookie: String) -> HTTPFields {
        var headers = headers
        headers[.cookie] = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        return headers
    }

    @discardableResult
    static func post(
        _ client: some TestClientProtocol, _ uri: String, _ session: (cookie: String, formToken: String), _ body: String,
        check: @escaping @Sendable (TestResponse) throws -> Void = { _ in }
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post, headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body + "&form_token=\(session.formToken)")
        ) { response in
            try check(response)
            return response
        }
    }

    @Test func onlyOrganisersGetInAndTheySeeEveryTeamsLogsAndThePrivateScores() async throws {
        let fixture = try await WebFixture(submissions: 2)
        try await fixture.application().test(.router) { client in
            for uri in ["/organisers", "/organisers/audit", "/organisers/resources", "/organisers/resources.svg"] {
                try await client.execute(uri: uri, method: .get, headers: fixture.authorization("bob")) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                    #expect(String(buffer: response.body).contains("for organisers only"))
                }
                try await client.execute(uri: uri, method: .get, headers: fixture.authorization("olga")) { #expect($0.status == .ok, "\(uri)") }
            }
            try await client.execute(uri: "/organisers", method: .get, headers: fixture.authorization("olga")) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<td>alice</td><td>alice</td>") && html.contains("<td>bob</td><td>bob</td>"), "teams and members")
                #expect(html.contains("<td>olga</td>"), "the organisers")
                #expect(!html.contains("<td>organisers</td>"), "the organisers' reserved team is no team")
                #expect(html.contains("Reveal the private scores"))
            }
            // Another team's log: organisers only.
            try await client.execute(uri: "/submissions/alice/broken", method: .get, headers: fixture.authorization("olga")) { response in
                #expect(
                    String(buffer: response.body).contains("alice&#39;s secret mistake")
                        || String(buffer: response.body).contains("alice's secret mistake"))
            }
            try await client.execute(uri: "/submissions/alice/broken", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(!String(buffer: response.body).contains("secret mistake"))
            }
            try await client.execute(uri: "/api/v1/submissions/alice/broken", method: .get, headers: fixture.authorization("olga")) { response in
                #expect(String(buffer: response.body).contains("secret mistake"))
            }
            // Private scores before the reveal: organisers only.
            try await client.execute(uri: "/api/v1/leaderboard", method: .get, headers: fixture.authorization("olga")) { response in
                #expect(String(buffer: response.body).contains("\"private\""))
            }
            try await client.execute(uri: "/api/v1/leaderboard", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(!String(buffer: response.body).contains("\"private\""))
            }
            try await client.execute(uri: "/leaderboard/final", method: .get, headers: fixture.authorization("olga")) { #expect($0.status == .ok) }
            // Organisers do not submit, and have no repository.
            try await client.execute(uri: "/sandbox", method: .get, headers: fixture.authorization("olga")) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/git/organisers.git/info/refs?service=git-upload-pack", method: .get,
                headers: fixture.authorization("olga")
            ) { #expect($0.status == .forbidden) }
        }
    }

    @Test func teamsTokensPhaseRevealAndRescoreAreFormsThatAreAudited() async throws {
        let fixture = try await WebFixture(submissions: 2)
        try fixture.makeLedgerRepository()
        let hub = fixture.hub
        try await fixture.application().test(.router) { client in
            let session = try await Self.signIn(client, fixture, "olga")
            // A form without the anti-forgery token is refused and changes nothing.
            try await client.execute(
                uri: "/organisers/reveal", method: .post,
                headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "")
            ) { response in
                #expect(response.status == .forbidden && response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("anti-forgery token is missing or out of date"), "said on a page")
            }
            #expect(try await hub.ledger.phaseState().revealed == false)

            // A new team: its token is shown once and works.
            try await Self.post(client, "/organisers/teams", session, "team=carol&login=carla") { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Member <strong>carla</strong> of team <strong>carol</strong>"))
                #expect(html.contains("git clone http://"))
            }
            try await client.execute(
                uri: "/organisers/teams", method: .post,
                headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "team=carol&form_token=\(session.formToken)")
            ) { response in
                #expect(
                    response.status == .conflict && String(buffer: response.body).contains("team &#39;carol&#39; already exists")
                        || String(buffer: response.body).contains("team 'carol' already exists"))
            }
            let issued = try await Self.post(client, "/organisers/members", session, "team=carol&login=carla")
            #expect(issued.headers[.cacheControl] == "no-store", "a token shown once is not kept by the browser")
            let html = String(buffer: issued.body)
            let token = html.range(of: "<pre id=\"token\">").map { String(html[$0.upperBound...].prefix { $0 != "<" }) } ?? ""
            #expect(token.count == 64)
            #expect(try hub.ledger.authenticate(login: "carla", token: token)?.team == "carol", "the new token works")
            try await Self.post(client, "/organisers/members", session, "team=nobody&login=x") { #expect($0.status == .notFound) }

            // A refused member leaves no team behind.
            try await Self.post(client, "/organisers/teams", session, "team=dave&login=alice") { #expect($0.status == .conflict) }
            try await Self.post(client, "/organisers/teams", session, "team=erin&login=%3Cb%3Ex") { #expect($0.status == .badRequest) }
            try await Self.post(client, "/organisers/teams", session, "team=organisers&login=zed") { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("is a name the hub keeps for itself"))
            }
            #expect(try hub.ledger.teams().map(\.name) == ["alice", "bob", "carol"])
            #expect(
                try hub.ledger.teamExists("dave") == false && FileManager.default.fileExists(atPath: hub.paths.teamRepository("erin").path) == false)

            // Basic credentials beside another member's session cookie do not pass its form token.
            try await client.execute(
                uri: "/organisers/teams", method: .post, headers: Self.form(fixture.authorization("olga"), cookie: session.cookie),
                body: ByteBuffer(string: "team=frank&form_token=\(session.formToken)")
            ) { #expect($0.status == .ok, "olga's own session") }
            let bob = try await Self.signIn(client, fixture, "bob")
            try await client.execute(
                uri: "/organisers/teams", method: .post, headers: Self.form(fixture.authorization("olga"), cookie: bob.cookie),
                body: ByteBuffer(string: "team=mallory&form_token=\(bob.formToken)")
            ) { #expect($0.status == .forbidden, "bob's session, olga's credentials") }
            #expect(try hub.ledger.teamExists("mallory") == false)

            // Revoking: the token stops working; an organiser cannot lock itself out (and is
            // offered no button for it).
            try await client.execute(uri: "/organisers", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("/organisers/members/carla/revoke") && !html.contains("/organisers/members/olga/revoke"))
                #expect(html.contains("signed in now"))
            }
            try await Self.post(client, "/organisers/members/carla/revoke", session, "") { #expect($0.status == .ok) }
            #expect(try hub.ledger.authenticate(login: "carla", token: token) == nil)
            try await Self.post(client, "/organisers/members/olga/revoke", session, "") { #expect($0.status == .badRequest) }

            // Phase override and return to the schedule; an unknown phase is refused.
            try await Self.post(client, "/organisers/phase", session, "phase=competitive") { response in
                #expect(String(buffer: response.body).contains("The hub is now in the competitive phase"))
            }
            #expect(try hub.ledger.phaseOverride()?.phase == "competitive")
            try await client.execute(uri: "/", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Set by the organisers (olga,") && !html.contains("id=\"countdown\""), "a phase set by hand has no countdown")
            }
            try await Self.post(client, "/organisers/phase", session, "phase=nonsense") { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("no phase"))
            }
            try await Self.post(client, "/organisers/phase", session, "phase=")
            #expect(try hub.ledger.phaseOverride() == nil)

            // Reveal; re-score from the submission page's button.
            try await Self.post(client, "/organisers/reveal", session, "") { #expect($0.status == .ok) }
            #expect(try await hub.ledger.phaseState().revealed)
            try await client.execute(uri: "/submissions/bob/s1", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(String(buffer: response.body).contains("Re-score this submission"))
            }
            try await Self.post(client, "/organisers/rescore", session, "submission=bob/s1") { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/submissions/bob/s1")
            }
            let record = try #require(try hub.ledger.submission(SubmissionKey(team: "bob", name: "s1")))
            #expect(try hub.ledger.evaluations(submissionID: record.id!).first?.state == .queued)
            // A second click while it waits: no second history row.
            try await Self.post(client, "/organisers/rescore", session, "submission=bob/s1") { #expect($0.status == .seeOther) }
            let evaluationID = try #require(try hub.ledger.evaluations(submissionID: record.id!).first?.id)
            #expect(try hub.ledger.scoreHistory(evaluationID: evaluationID).count == 1)
            // The earlier result is on its page and in the API, with the splits the reader may see.
            try await client.execute(uri: "/submissions/bob/s1", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Earlier results (before each re-score)") && html.contains("<td>scored</td>"), "\(html)")
                #expect(html.contains("valid roc_auc 0."), "\(html)")
            }
            try await client.execute(uri: "/api/v1/submissions/bob/s1", method: .get, headers: fixture.authorization("bob")) { response in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let history = ((json?["evaluations"] as? [[String: Any]])?.first?["history"] as? [[String: Any]]) ?? []
                #expect(history.count == 1 && history.first?["state"] as? String == "scored" && history.first?["archived_at"] is String, "\(history)")
                let splits = Set(((history.first?["scores"] as? [String: Any]) ?? [:]).keys)
                #expect(splits.contains("valid"), "\(splits)")
            }
            try await Self.post(client, "/organisers/rescore", session, "submission=bob/none") { #expect($0.status == .notFound) }
            // While a worker runs it, a re-score says it was not queued.
            var claimed = try await hub.ledger.claimNextEvaluation(owner: "test-worker", leaseSeconds: 60)
            while let evaluation = claimed, evaluation.submissionID != record.id {
                claimed = try await hub.ledger.claimNextEvaluation(owner: "test-worker", leaseSeconds: 60)
            }
            #expect(claimed != nil)
            try await Self.post(client, "/organisers/rescore", session, "submission=bob/s1") { response in
                #expect(response.status == .conflict && String(buffer: response.body).contains("was not queued again: its evaluation runs now"))
            }

            // Everything above is in the audit log, with the organiser's login, on its page too.
            let entries = try hub.ledger.auditEntries().filter { $0.actor == "olga" }.map(\.action)
            for action in ["team.created", "token.created", "token.revoked", "phase.override", "reveal", "rescore"] {
                #expect(entries.contains(action), "\(action) in \(entries)")
            }
            try await client.execute(uri: "/organisers/audit", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<td>olga</td><td>rescore</td><td>bob</td>"))
            }
            try await client.execute(uri: "/api/v1/organisers/audit?team=carol&limit=2", method: .get, headers: fixture.authorization("olga")) {
                response in
                let entries = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]] ?? []
                #expect(entries.count == 2 && entries.allSatisfy { $0["team"] as? String == "carol" })
                #expect((entries.first?["id"] as? Int ?? 0) > (entries.last?["id"] as? Int ?? 0), "newest first")
            }
        }
    }
}
