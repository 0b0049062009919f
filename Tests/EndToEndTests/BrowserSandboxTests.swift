import Foundation
import Testing

/// The browser sandbox through a real server, with curl as the browser: sign in (a session
/// cookie), read the team's files, post a changed file with the form's anti-forgery token,
/// and see the submission scored; the same quota as a git push refuses the next one.
@Suite("Browser sandbox", .serialized)
struct BrowserSandboxTests {
    /// A browser: curl keeping cookies in a jar.
    struct Browser {
        let hub: TestHub
        let jar: URL

        init(hub: TestHub) {
            self.hub = hub
            jar = hub.root.appendingPathComponent("cookies-\(UUID().uuidString.prefix(6))")
        }

        /// Status, headers and body of a request; `form` fields are sent URL-encoded (POST).
        func request(_ path: String, form: [(String, String)]? = nil) async throws -> (status: Int, headers: String, body: String) {
            var arguments = ["-s", "-D", "-", "-b", jar.path, "-c", jar.path, "-H", "Accept: text/html", hub.baseURL + path]
            for (name, value) in form ?? [] { arguments += ["--data-urlencode", "\(name)=\(value)"] }
            let result = try await CommandRunner.run("/usr/bin/curl", arguments)
            let parts = result.output.components(separatedBy: "\r\n\r\n")
            let headers = (parts.first ?? "").lowercased()
            let status = Int(headers.split(separator: " ").dropFirst().first ?? "") ?? 0
            return (status, headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
        }

        /// The page's anti-forgery token.
        static func formToken(in body: String) throws -> String {
            let marker = "name=\"form_token\" value=\""
            guard let start = body.range(of: marker) else { throw TestHubError("no form token in the page") }
            return String(body[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func aSignedInParticipantEditsAFileAndSubmitsItAndTheQuotaStillHolds() async throws {
        let hub = try await TestHub { TestHub.replaceSection("quotas", with: "quotas:\n  maximum_total: 1", in: $0) }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let browser = Browser(hub: hub)

        let page = try await browser.request("/sandbox")
        #expect(page.status == 303 && page.headers.contains("location: /signin?next=%2fsandbox"), "\(page.headers)")
        let wrong = try await browser.request("/signin", form: [("login", "alice"), ("token", "wrong"), ("next", "/sandbox")])
        #expect(wrong.status == 401 && wrong.body.contains("do not match"))
        let signIn = try await browser.request("/signin", form: [("login", "alice"), ("token", token), ("next", "/sandbox")])
        #expect(signIn.status == 303 && signIn.headers.contains("location: /sandbox"))
        let cookie = signIn.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: forkboard_session=") } ?? ""
        #expect(cookie.contains("httponly") && cookie.contains("samesite=lax"), "\(cookie)")

        let sandbox = try await browser.request("/sandbox")
        #expect(sandbox.status == 200)
        #expect(sandbox.body.contains("<legend><code>classifier.py</code></legend>") && sandbox.body.contains("LogisticRegression"))
        let formToken = try Browser.formToken(in: sandbox.body)

        let forged = try await browser.request("/sandbox", form: [("name", "forged"), ("path", "classifier.py"), ("content", "x = 1\n")])
        #expect(forged.status == 403, "a form without the session's anti-forgery token is refused")

        let forest = Classifiers.randomForest(estimators: 20, seed: 3)
        let submitted = try await browser.request(
            "/sandbox",
            form: [
                ("form_token", formToken), ("name", "from-the-browser"), ("description", "a forest, edited in the browser"),
                ("path", "classifier.py"), ("content", forest.replacingOccurrences(of: "\n", with: "\r\n")), ("path", ""), ("content", ""),
            ])
        #expect(
            submitted.status == 303 && submitted.headers.contains("location: /submissions/alice/from-the-browser"),
            "\(submitted.headers)\(submitted.body)")
        let scored = try await hub.waitForFinalState(team: "alice", name: "from-the-browser")
        #expect(scored["state"] as? String == "scored", "\(scored) \(hub.logs())")
        #expect(scored["pusher"] as? String == "alice" && scored["description"] as? String == "a forest, edited in the browser")
        let submissionPage = try await browser.request("/submissions/alice/from-the-browser")
        #expect(submissionPage.status == 200 && submissionPage.body.contains("valid (bagged)"))
        // Its code for its own team: the files, and the diff against the starting kit it changed.
        #expect(
            submissionPage.body.contains("<h2>Code</h2>") && submissionPage.body.contains("/submissions/alice/from-the-browser/files/classifier.py"))
        #expect(
            submissionPage.body.contains("<h3>Changes against commit ") && submissionPage.body.contains("<code>classifier.py</code>: modified"),
            "\(submissionPage.body)")
        #expect(submissionPage.body.contains("+        self.model = RandomForestClassifier(n_estimators=20"), "the patch's added line")
        let file = try await browser.request("/submissions/alice/from-the-browser/files/classifier.py")
        #expect(file.status == 200 && file.body == forest && file.headers.contains("content-type: text/plain"))
        // Not for another team while the phase is closed.
        let bobToken = try await hub.addTeam("bob")
        let bob = Browser(hub: hub)
        _ = try await bob.request("/signin", form: [("login", "bob"), ("token", bobToken), ("next", "/")])
        let seenByBob = try await bob.request("/submissions/alice/from-the-browser")
        #expect(seenByBob.status == 200 && !seenByBob.body.contains("<h2>Code</h2>") && !seenByBob.body.contains("RandomForestClassifier"))
        #expect(try await bob.request("/submissions/alice/from-the-browser/files/classifier.py").status == 403)

        // The file as committed: the browser's CRLF line ends made LF, on the team's main.
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try String(contentsOf: clone.appendingPathComponent("classifier.py"), encoding: .utf8) == forest)
        let author = try await CommandRunner.git(["log", "-1", "--format=%an"], in: clone)
        #expect(author.output.trimmingCharacters(in: .whitespacesAndNewlines) == "alice")

        // The team's quota (one submission) holds in the sandbox as for git.
        let again = try await browser.request(
            "/sandbox",
            form: [
                ("form_token", formToken), ("name", "second"), ("path", "classifier.py"), ("content", forest + "# again\n"),
            ])
        #expect(again.status == 403)
        #expect(again.body.contains("Refused") && again.body.contains("quota"), "\(again.body)")
        #expect(!again.body.contains("remote:") && !again.body.contains(hub.home.path), "the hooks' words, not git's or the hub's paths")
        #expect(
            !sandbox.body.contains("<legend><code>.forkboard/") && !sandbox.body.contains("<legend><code>data/train.csv"),
            "the hub's files and the data are kept, not offered for editing")
        #expect(try await hub.submissions().count == 1)
    }
}

extension BrowserSandboxTests {
    @Test func inAnOpenPhaseStartingFromAnotherTeamsSubmissionMakesItsChild() async throws {
        let hub = try await TestHub(folds: 2) { text in
            TestHub.replaceSection("phases", with: TestHub.phases([("collaborative", "open", -60)], end: 86_400), in: text)
        }
        let tokens = try await hub.addTeams(["alice", "bob"])
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: tokens["alice"]!)
        let push = try await hub.submit("forest", files: ["classifier.py": Classifiers.randomForest(estimators: 10, seed: 1)], in: clone)
        #expect(push.status == 0, "\(push.output)")
        _ = try await hub.waitForFinalState(team: "alice", name: "forest")

        let browser = Browser(hub: hub)
        _ = try await browser.request("/signin", form: [("login", "bob"), ("token", tokens["bob"]!), ("next", "/")])
        let alicePage = try await browser.request("/submissions/alice/forest")
        #expect(alicePage.body.contains("<a href=\"/sandbox?from=alice%2Fforest\">Start from this submission</a>"))
        let sandbox = try await browser.request("/sandbox?from=alice%2Fforest")
        #expect(sandbox.status == 200 && sandbox.body.contains("RandomForestClassifier(n_estimators=10"), "alice's code, to start from")
        let tuned = Classifiers.randomForest(estimators: 30, seed: 1)
        let submitted = try await browser.request(
            "/sandbox",
            form: [
                ("form_token", try Browser.formToken(in: sandbox.body)), ("from", "alice/forest"), ("name", "tuned"),
                ("path", "classifier.py"), ("content", tuned),
            ])
        #expect(submitted.status == 303, "\(submitted.body)")
        let child = try await hub.waitForFinalState(team: "bob", name: "tuned")
        #expect(child["state"] as? String == "scored")
        #expect(child["derives_from"] as? [String] == ["alice/forest"], "the sandbox commit is a child of alice's: \(child)")
        let parentPage = try await browser.request("/submissions/alice/forest")
        #expect(parentPage.body.contains("<a href=\"/submissions/bob/tuned\">bob/tuned</a>"), "built upon by bob's")
        // The child's page: the diff against the submission it started from, one line changed.
        let childPage = try await browser.request("/submissions/bob/tuned")
        #expect(childPage.body.contains("<h3>Changes against <a href=\"/submissions/alice/forest\">alice/forest</a></h3>"), "\(childPage.body)")
        #expect(childPage.body.contains("<code>classifier.py</code>: modified, +1 &minus;1"))
        #expect(
            childPage.body.contains("-        self.model = RandomForestClassifier(n_estimators=10")
                && childPage.body.contains("+        self.model = RandomForestClassifier(n_estimators=30"))
    }
}

extension BrowserSandboxTests {
    @Test func anOutsiderRegistersInTheOpenPhaseAndPushesWithTheTokenShownOnce() async throws {
        let hub = try await TestHub { text in
            TestHub.replaceSection("phases", with: TestHub.phases([("collaborative", "open", -60)], end: 86_400), in: text)
                + "\nopen_registration: true\n"
        }
        try await hub.start()
        let browser = Browser(hub: hub)
        let registered = try await browser.request("/register", form: [("team", "outsiders"), ("login", "olga")])
        #expect(registered.status == 200 && registered.body.contains("Team <strong>outsiders</strong> is registered"), "\(registered.body)")
        let token = registered.body.range(of: "<pre>").map { String(registered.body[$0.upperBound...].prefix { $0 != "<" }) } ?? ""
        #expect(token.count == 64)
        let clone = try await hub.clone("outsiders", login: "olga", token: token)
        let push = try await hub.submit("first", in: clone)
        #expect(push.status == 0, "\(push.output)")
        #expect(try await hub.waitForFinalState(team: "outsiders", name: "first")["state"] as? String == "scored")
    }
}
