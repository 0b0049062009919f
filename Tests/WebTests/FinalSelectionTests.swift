import Foundation
import Hub
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing
@testable import Web

/// Kaggle's final selection: each team marks up to N submissions; the final leaderboard ranks
/// each team by the private score of its best selected one, or of its best public ones.
@Suite("Final selection")
struct FinalSelectionTests {
    /// alice: s0 (private 0.48), s2 (0.50); bob: s1 (0.49); final_selection: 1.
    static func fixture() async throws -> WebFixture {
        try await WebFixture(submissions: 3) { $0 + "final_selection: 1\n" }
    }

    @Test func withoutAChoiceTheBestPublicCountsAndAChoiceReplacesIt() async throws {
        let fixture = try await Self.fixture()
        let hub = fixture.hub
        var board = try FinalLeaderboard.make(hub: hub)
        #expect(board.rows.map { "\($0.team)/\($0.submission)" } == ["alice/s2", "bob/s1"])
        #expect(board.rows.first?.privateScore == 0.5 && board.rows.first?.selected == false)

        #expect(try await hub.selectForFinal(SubmissionKey(team: "alice", name: "s0"), by: "alice"))
        board = try FinalLeaderboard.make(hub: hub)
        #expect(board.rows.map { "\($0.team)/\($0.submission)" } == ["bob/s1", "alice/s0"], "alice's choice counts, even when worse")
        #expect(board.rows.last?.selected == true)

        await #expect { try await hub.selectForFinal(SubmissionKey(team: "alice", name: "s2"), by: "alice") } throws: { error in
            "\(error)".contains("team alice has already selected 1 submission(s) for the final leaderboard (s0)")
        }
        #expect(try await hub.selectForFinal(SubmissionKey(team: "alice", name: "s0"), selected: false, by: "alice"))
        #expect(try await hub.selectForFinal(SubmissionKey(team: "alice", name: "s2"), by: "alice"))
        // The frozen phase closes the selection (the fixture's starts in two days).
        await #expect {
            try await hub.selectForFinal(
                SubmissionKey(team: "alice", name: "s2"), selected: false, by: "alice", now: Date().addingTimeInterval(2.5 * 86_400))
        } throws: { error in
            "\(error)".contains("the final selection closed when the frozen phase began")
        }
        let audit = try hub.ledger.auditEntries().map(\.action)
        #expect(audit.filter { $0 == "final.select" }.count == 2 && audit.contains("final.unselect"))
    }

    @Test func aTeamSelectsOnItsPageAndTheFinalLeaderboardWaitsForTheReveal() async throws {
        let fixture = try await Self.fixture()
        try await fixture.application().test(.router) { client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            var cookie = ""
            try await client.execute(
                uri: "/signin", method: .post, headers: form,
                body: ByteBuffer(string: "login=alice&token=\(fixture.tokens["alice"] ?? "")&next=/")
            ) { response in
                cookie = String(response.headers[.setCookie]?.split(separator: ";").first ?? "")
            }
            var formToken = ""
            try await client.execute(uri: "/submissions/alice/s0", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Your team selected 0 of 1.") && html.contains("Select for the final leaderboard"))
                let marker = "name=\"form_token\" value=\""
                formToken = html.range(of: marker).map { String(html[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
            }
            try await client.execute(
                uri: "/submissions/alice/s0/selection", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=select")
            ) { #expect($0.status == .forbidden, "no anti-forgery token") }
            try await client.execute(
                uri: "/submissions/alice/s0/selection", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=select&form_token=\(formToken)")
            ) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/submissions/alice/s0", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("Selected for the final leaderboard. Your team selected 1 of 1."))
            }
            try await client.execute(
                uri: "/submissions/bob/s1/selection", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "action=select&form_token=\(formToken)")
            ) { #expect($0.status == .forbidden, "another team's") }

            try await client.execute(uri: "/leaderboard/final", method: .get, headers: fixture.authorization("bob")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/leaderboard/final", method: .get, headers: fixture.authorization("bob")) {
                #expect($0.status == .forbidden)
            }
            try fixture.hub.ledger.reveal(by: "organiser")
            try await client.execute(uri: "/leaderboard/final", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<td>bob</td><td><a href=\"/submissions/bob/s1\">s1</a></td><td class=\"number\">0.4900</td>"))
                #expect(html.contains(">s0</a></td><td class=\"number\">0.4800</td><td class=\"number\">0.4900</td><td>selected</td>"))
            }
        }
    }
}
