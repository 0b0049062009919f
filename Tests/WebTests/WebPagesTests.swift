import Challenge
import CompressNIO
import Foundation
import Hub
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing
@testable import Web

/// The HTML pages and SVG pictures, in process (HummingbirdTesting), with the API's access
/// rules.
@Suite("Web pages")
struct WebPagesTests {
    @Test func theHomePageDescribesTheChallengeItsPhasesQuestionsAndTheTeamsGitCommands() async throws {
        let fixture = try await WebFixture(submissions: 1) { text in
            // The template's description replaced by one of the test's own.
            var lines = text.components(separatedBy: "\n")
            if let start = lines.firstIndex(of: "description: |") {
                var end = start + 1
                while end < lines.count, lines[end].hasPrefix(" ") || lines[end].isEmpty { end += 1 }
                lines.removeSubrange(start..<end)
            }
            return lines.joined(separator: "\n")
                + "\ndescription: |\n  Classify **tumours** from [the Wisconsin data](https://archive.ics.uci.edu).\nforum: https://forum.example.org/c/breast-cancer\n"
        }
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: fixture.authorization("alice")) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(
                    html.contains("<strong>tumours</strong>") && html.contains("<a href=\"https://archive.ics.uci.edu\">the Wisconsin data</a>"),
                    "the description's Markdown is rendered")
                #expect(html.contains("Now: the <strong>competitive</strong> phase (closed)"))
                #expect(html.contains("the collaborative phase starts") && html.contains("id=\"countdown\""))
                #expect(html.contains("<strong>competitive</strong> (now)"))
                #expect(
                    html.contains(
                        "<td>diagnosis</td><td>classification</td><td>roc_auc, accuracy, log_loss</td><td>cross-validation (5 folds), bagged</td>"))
                #expect(html.contains("git clone http://") && html.contains("/git/alice.git\ncd alice"))
                #expect(html.contains("href=\"https://forum.example.org/c/breast-cancer\""))
            }
        }
    }

    @Test func aRefusedPageIsAPageAndHeadAnswersAsGetWould() async throws {
        let fixture = try await WebFixture(submissions: 1)
        try await fixture.application().test(.router) { client in
            for (uri, status, message) in [
                ("/leaderboard?phase=bogus", HTTPResponse.Status.notFound, "no phase &#39;bogus&#39;"),
                ("/leaderboard/final", .forbidden, "the final leaderboard is shown once the private scores are revealed"),
                ("/organisers", .forbidden, "for organisers only"),
                ("/submissions/alice/nothing", .notFound, "no submission alice/nothing"),
            ] {
                try await client.execute(uri: uri, method: .get, headers: fixture.authorization("alice")) { response in
                    let html = String(buffer: response.body)
                    #expect(response.status == status, "\(uri)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8" && html.contains("<h1>\(status.code) "), "\(uri): \(html)")
                    #expect(html.contains(message) && html.contains("<a href=\"/\">"), "\(uri): \(html)")
                }
            }
            // The API and git keep their own shapes.
            try await client.execute(uri: "/api/v1/leaderboard?phase=bogus", method: .get, headers: fixture.authorization("alice")) { response in
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            var length = 0
            try await client.execute(uri: "/leaderboard", method: .get, headers: fixture.authorization("alice")) { length = $0.body.readableBytes }
            try await client.execute(uri: "/leaderboard", method: .head, headers: fixture.authorization("alice")) { response in
                #expect(response.status == .ok && response.body.readableBytes == 0)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentLength] == String(length))
            }
        }
    }

    @Test func theLeaderboardLinksEachSubmissionAndShowsTheRankedSplitsScores() async throws {
        let fixture = try await WebFixture(submissions: 3)
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/leaderboard", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<a href=\"/submissions/alice/s2\">s2</a>"))
                #expect(html.contains("ranked by the bagged cross-validation roc_auc"))
                // s2's bagged cross-validation ROC AUC (no accuracy or log loss recorded), then its
                // public test ROC AUC.
                #expect(
                    html.contains(
                        "<td class=\"number\">0.5200</td><td class=\"number\"></td><td class=\"number\"></td><td class=\"number\">0.5100</td>"))
                #expect(html.contains("5 of 5 rows"))
                #expect(!html.contains("Next page"))
                #expect(html.contains("id=\"search\"") && html.contains("data-column=\"3\" data-numeric>roc_auc"))
                #expect(html.contains("<option value=\"competitive\">competitive</option>"))
                #expect(html.contains("src=\"/plots/scores.svg?question=diagnosis\""))
                #expect(html.contains("Signed in as bob"))
            }
            try await client.execute(uri: "/leaderboard?limit=2", method: .get, headers: fixture.authorization("bob")) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("This page shows 2 of 5 rows"))
                #expect(html.contains("Next page") && html.contains("limit=2"))
            }
            try await client.execute(uri: "/leaderboard?best_per_team=1", method: .get, headers: fixture.authorization("bob")) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("2 of 2 rows"), "one row per team")
                #expect(html.contains(">s2</a>") && html.contains(">s1</a>") && !html.contains(">s0</a>"))
            }
            try await client.execute(uri: "/leaderboard?question=nothing", method: .get, headers: fixture.authorization("bob")) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func aPredictionsOnlyQuestionsLeaderboardShowsItsPublicTestScores() async throws {
        let question = """
              - name: diagnosis-predictions
                kind: classification
                labels: [benign, malignant]
                id_column: id
                target_column: diagnosis
                score_types: [log_loss, accuracy]
                data:
                  train: data/public/train.csv
                  test: data/private/test.csv
                workflow:
                  predictions: predictions.csv
            phases:
            """
        let fixture = try await WebFixture(submissions: 0) { $0.replacingOccurrences(of: "phases:\n", with: question + "\n") }
        try await fixture.recordScored(
            team: "bob", name: "kaggle-style", question: "diagnosis-predictions",
            scores: [(.publicTest, "log_loss", 0.25), (.publicTest, "accuracy", 0.9), (.privateTest, "log_loss", 0.3)])
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/leaderboard?question=diagnosis-predictions", method: .get, headers: fixture.authorization("alice")) {
                response in
                let html = String(buffer: response.body)
                #expect(html.contains("ranked by the bagged public test log_loss"))
                #expect(
                    html.contains(
                        "<a href=\"/submissions/bob/kaggle-style\">kaggle-style</a></td><td class=\"number\">0.2500</td><td class=\"number\">0.9000</td>"
                    ),
                    "the public test scores, not empty cross-validation columns")
                #expect(!html.contains("Public test log_loss</button>"), "no second public column")
                #expect(!html.contains("0.3000"), "private scores stay hidden")
            }
        }
    }

    @Test func aSubmissionsPageShowsItsScoresAndItsLogOnlyToItsTeam() async throws {
        let fixture = try await WebFixture(submissions: 2)
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/submissions/alice/s0", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<h1>alice/s0</h1>"))
                #expect(html.contains("valid (bagged)</td><td class=\"number\">0.5000</td>"))
                #expect(!html.contains("<meta http-equiv=\"refresh\""), "a final submission does not refresh")
                #expect(!html.contains("Start from this submission"), "another team's code, in a closed phase")
            }
            try await client.execute(uri: "/submissions/alice/broken", method: .get, headers: fixture.authorization("alice")) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("training_error"))
                #expect(html.contains("Traceback: alice&#39;s secret mistake") || html.contains("Traceback: alice's secret mistake"))
            }
            try await client.execute(uri: "/submissions/alice/broken", method: .get, headers: fixture.authorization("bob")) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("training_error"))
                #expect(!html.contains("secret mistake"), "another team's log is not shown")
            }
            try await client.execute(uri: "/submissions/alice/waiting", method: .get, headers: fixture.authorization("alice")) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
                #expect(html.contains("position 1 in the queue"))
                #expect(html.contains("<a href=\"/sandbox?from=alice%2Fwaiting\">Start from this submission</a>"))
            }
            try await client.execute(uri: "/submissions/alice/nothing", method: .get, headers: fixture.authorization("alice")) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/submissions/alice/s0", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func theLineageGraphIsAnSVGWithANodeLinkedToEachSubmission() async throws {
        let fixture = try await WebFixture(submissions: 2)
        try await fixture.application().test(.router) { client in
            var plain = ""
            try await client.execute(uri: "/lineage.svg", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml")
                #expect(response.headers[.contentEncoding] == nil, "a client that did not ask for gzip gets the SVG itself")
                let svg = String(buffer: response.body)
                #expect(svg.contains("<svg"))
                for name in ["alice/s0", "bob/s1", "alice/broken", "alice/waiting"] {
                    let parts = name.split(separator: "/")
                    #expect(svg.contains("/submissions/\(parts[0])/\(parts[1])"), "\(name) links to its page")
                }
                plain = svg
            }
            // A browser (which accepts gzip) gets the same SVG, compressed.
            var headers = fixture.authorization("bob")
            headers[.acceptEncoding] = "gzip, deflate, br"
            try await client.execute(uri: "/lineage.svg", method: .get, headers: headers) { response in
                #expect(response.headers[.contentEncoding] == "gzip" && response.headers[.vary] == "Accept-Encoding")
                var body = response.body
                #expect(body.readableBytes < plain.utf8.count)
                let decompressed = try body.decompress(with: .gzip())
                #expect(String(buffer: decompressed) == plain)
            }
            try await client.execute(uri: "/lineage", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(String(buffer: response.body).contains("data=\"/lineage.svg\""))
            }
        }
    }

    @Test func gzipIsSentOnlyWhereTheClientAcceptsIt() {
        for accepted in ["gzip", "gzip, deflate, br, zstd", "br;q=1.0, GZIP;q=0.5", "*", "x-gzip"] {
            #expect(CompressedBody.acceptsGzip(accepted), "\(accepted)")
        }
        for refused in [nil, "", "identity", "br", "gzip;q=0", "gzip; q=0.0, br", "gzipped"] {
            #expect(!CompressedBody.acceptsGzip(refused), "\(refused ?? "none")")
        }
    }

    @Test func theLineageKeepsTheNearestAncestorsAndColoursTeams() {
        // 3 builds on 2, which builds on 1: 3's edge comes from 2 only.
        let parents = LineageGraph.parents(edges: [(2, 1), (3, 1), (3, 2), (4, 1)])
        #expect(parents[3] == [2] && parents[2] == [1] && parents[4] == [1])
        let dot = LineageGraph.dot(
            nodes: [
                .init(id: 1, key: SubmissionKey(team: "alice", name: "a"), contributivity: 0.25),
                .init(id: 2, key: SubmissionKey(team: "bob", name: "b \"quoted\""), contributivity: nil),
                .init(id: 3, key: SubmissionKey(team: "alice", name: "c"), contributivity: 1),
            ], parents: [2: [1], 3: [2]])
        #expect(dot.contains("s1 -> s2;") && dot.contains("s2 -> s3;") && !dot.contains("s1 -> s3;"))
        #expect(dot.contains("fillcolor=\"#4e79a7\"") && dot.contains("fillcolor=\"#f28e2b\""), "one colour per team")
        #expect(dot.contains("b \\\"quoted\\\""))
        #expect(dot.contains("width=1.60") && dot.contains("width=1.00") && dot.contains("width=0.40"), "sized by contributivity")
    }

    @Test func theScorePlotDrawsEachScoredSubmissionTheBestSoFarAndThePhases() async throws {
        let fixture = try await WebFixture(submissions: 3)
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/plots/scores.svg?question=diagnosis", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml")
                let svg = String(buffer: response.body)
                #expect(svg.components(separatedBy: "<circle class=\"submission\"").count - 1 == 3, "one dot per scored submission")
                #expect(svg.contains("<path class=\"best\""))
                #expect(svg.contains("roc_auc (valid)") && svg.contains("submission time (UTC)"))
            }
        }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let plot = ScorePlot(
            points: [
                .init(time: start, score: 0.7, label: "a"), .init(time: start.addingTimeInterval(3600), score: 0.6, label: "b"),
                .init(time: start.addingTimeInterval(7200), score: 0.8, label: "c"),
            ], boundaries: [.init(time: start.addingTimeInterval(5000), name: "collaborative")], scoreName: "accuracy", lowerIsBetter: false)
        #expect(plot.bestSoFar.map(\.score) == [0.7, 0.7, 0.8])
        #expect(plot.svg().contains(">collaborative</text>") && plot.svg().contains("class=\"phase\""))
        let lower = ScorePlot(points: plot.points, boundaries: [], scoreName: "log_loss", lowerIsBetter: true)
        #expect(lower.bestSoFar.map(\.score) == [0.7, 0.6, 0.6])
    }

    @Test func theHistogramCountsEachPhasesScoresInEqualBins() async throws {
        let histogram = ScoreHistogram(
            series: [
                .init(phase: "competitive", scores: [0.5, 0.55, 0.59, 1.0]), .init(phase: "collaborative", scores: [0.95, 1.0]),
            ], scoreName: "accuracy", binCount: 5)
        let bins = histogram.bins
        #expect(abs(bins.low - 0.5) < 1e-12 && abs(bins.width - 0.1) < 1e-12)
        #expect(bins.counts == [[3, 0, 0, 0, 1], [0, 0, 0, 0, 2]], "the highest score falls in the last bin")
        let svg = histogram.svg()
        #expect(svg.components(separatedBy: "<rect class=\"bar\"").count - 1 == 3)
        #expect(svg.contains(">competitive (4)</text>") && svg.contains(">collaborative (2)</text>"))

        let fixture = try await WebFixture(submissions: 3)
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/plots/histogram.svg", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .ok)
                let svg = String(buffer: response.body)
                #expect(svg.contains(">competitive (3)</text>"), "the fixture's three scored submissions, all in the competitive phase")
                #expect(svg.contains(">collaborative (0)</text>"))
            }
        }
    }
}

/// Signing in with a browser: a session cookie instead of basic authentication, revoked with
/// the token, forms protected against forgery.
@Suite("Browser sign-in")
struct SignInTests {
    static func formBody(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    @Test func aSessionOpensThePagesAndOnlyToLocalAddresses() async throws {
        let fixture = try await WebFixture(submissions: 1)
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/leaderboard", method: .get, headers: [.accept: "text/html"]) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/signin?next=%2Fleaderboard")
            }
            var cookie = ""
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            try await client.execute(
                uri: "/signin", method: .post, headers: form,
                body: Self.formBody([("login", "alice"), ("token", fixture.tokens["alice"] ?? ""), ("next", "//evil.example.org/")])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/", "only a path on this hub is followed after signing in")
                cookie = String(response.headers[.setCookie]?.split(separator: ";").first ?? "")
                #expect(cookie.hasPrefix("forkboard_session="))
            }
            var formToken = ""
            try await client.execute(uri: "/leaderboard", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Signed in as alice"))
                let marker = "name=\"form_token\" value=\""
                formToken = html.range(of: marker).map { String(html[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
                #expect(formToken.count == 64)
            }
            try await client.execute(
                uri: "/signout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: Self.formBody([("form_token", "forged")])
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/signout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: Self.formBody([("form_token", formToken)])
            ) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/leaderboard", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .unauthorized, "signed out")
            }
        }
    }
}

extension SignInTests {
    @Test func theNextPageIsAPathOfThisHubOnly() {
        #expect(SignInPages.localPath("/leaderboard?question=a%20b") == "/leaderboard?question=a%20b")
        for outside in ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "https://evil.example", "/ /x", "/é", nil] {
            #expect(SignInPages.localPath(outside) == "/", "\(String(describing: outside))")
        }
    }
}

extension WebPagesTests {
    @Test func aSubmissionsPageListsTheCreditOthersGiveIt() async throws {
        let fixture = try await WebFixture(submissions: 2)
        let ledger = fixture.hub.ledger
        let s0 = try #require(try ledger.submission(SubmissionKey(team: "alice", name: "s0"))?.id)
        let s1 = try #require(try ledger.submission(SubmissionKey(team: "bob", name: "s1"))?.id)
        _ = try ledger.replaceCreditShares([
            CreditShareRecord(submissionID: s0, owner: "alice/s0", fraction: 1, source: .measured),
            CreditShareRecord(submissionID: s1, owner: "alice/s0", fraction: 0.4, source: .measured),
            CreditShareRecord(submissionID: s1, owner: "bob/s1", fraction: 0.6, source: .measured),
            CreditShareRecord(submissionID: s1, owner: "alice/s0", fraction: 0.25, source: .declared),
        ])
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/submissions/alice/s0", method: .get, headers: fixture.authorization("bob")) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<dt>Credit it receives</dt>"))
                #expect(html.contains("<li><a href=\"/submissions/bob/s1\">bob/s1</a> gives it 40% of its credit, measured in its code</li>"))
                #expect(html.contains("gives it 25% of its own share, declared in a Credit: trailer"))
                #expect(!html.contains("<a href=\"/submissions/alice/s0\">alice/s0</a> gives it"), "not its own share")
            }
            try await client.execute(uri: "/submissions/bob/s1", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(!String(buffer: response.body).contains("Credit it receives"), "nobody gives bob/s1 anything")
            }
        }
    }
}
