import Foundation
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// The HTTP routes, in process (HummingbirdTesting), on a ledger filled without git or Python.
@Suite("API routes")
struct APIRouteTests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func everyRouteAsksForALoginAndToken() async throws {
        let fixture = try await WebFixture(submissions: 1)
        try await fixture.application().test(.router) { client in
            for uri in [
                "/", "/leaderboard", "/submissions/alice/s0", "/lineage.svg", "/plots/scores.svg", "/api/v1/leaderboard",
                "/api/v1/submissions/alice/s0", "/git/alice.git/info/refs",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.headers[.wwwAuthenticate]?.contains("Basic") == true)
                }
                try await client.execute(uri: uri, method: .get, headers: fixture.authorization("alice", token: "wrong")) {
                    #expect($0.status == .unauthorized, "\(uri) with a wrong token")
                }
            }
            try await client.execute(uri: "/git/bob.git/info/refs?service=git-upload-pack", method: .get, headers: fixture.authorization("alice")) {
                #expect($0.status == .forbidden)
                #expect(String(buffer: $0.body).contains("alice is not a member of team 'bob'"))
            }
            try await client.execute(uri: "/git/open.git/info/refs?service=git-upload-pack", method: .get, headers: fixture.authorization("alice")) {
                #expect($0.status == .forbidden)
                #expect(String(buffer: $0.body).contains("open.git is available in open phases only"))
            }
        }
    }

    @Test func theLeaderboardIsReadAPageAtATimeWithACursor() async throws {
        let fixture = try await WebFixture(submissions: 7)
        try await fixture.application().test(.router) { client in
            var cursor: String?
            var submissions: [String] = []
            var ranks: [Int?] = []
            repeat {
                let uri = "/api/v1/leaderboard?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                cursor = try await client.execute(uri: uri, method: .get, headers: fixture.authorization("bob")) { response in
                    #expect(response.status == .ok)
                    let page = try Self.json(response)
                    #expect(page["total_rows"] as? Int == 9)
                    #expect(page["ranked_rows"] as? Int == 7)
                    #expect(page["official_score_type"] as? String == "roc_auc")
                    let rows = try #require(page["rows"] as? [[String: Any]])
                    #expect(rows.count <= 3)
                    submissions += rows.map { $0["submission"] as? String ?? "" }
                    ranks += rows.map { $0["rank"] as? Int }
                    for row in rows {
                        let scores = row["scores"] as? [String: [String: Double]] ?? [:]
                        #expect(scores["private"] == nil && scores["test"] == nil, "private scores are hidden before the reveal")
                    }
                    return page["next_cursor"] as? String
                }
            } while cursor != nil
            #expect(submissions == ["s6", "s5", "s4", "s3", "s2", "s1", "s0", "broken", "waiting"])
            #expect(ranks == [1, 2, 3, 4, 5, 6, 7, nil, nil])
        }
    }

    @Test func badLeaderboardRequestsSayWhy() async throws {
        let fixture = try await WebFixture(submissions: 1)
        try await fixture.application().test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/api/v1/leaderboard?limit=0", .badRequest, "limit must be a number of rows from 1 to 500"),
                ("/api/v1/leaderboard?limit=501", .badRequest, "limit must be"),
                ("/api/v1/leaderboard?cursor=nonsense", .badRequest, "is not a leaderboard cursor"),
                ("/api/v1/leaderboard?cursor=r.9223372036854775807.0.0", .badRequest, "is not a leaderboard cursor"),
                ("/api/v1/leaderboard?question=nope", .notFound, "no question 'nope'"),
                ("/api/v1/leaderboard?phase=nope", .notFound, "no phase 'nope'"),
            ]
            for (uri, status, message) in cases {
                try await client.execute(uri: uri, method: .get, headers: fixture.authorization("alice")) { response in
                    #expect(response.status == status, "\(uri)")
                    let error = try Self.json(response)["error"] as? String
                    #expect(error?.contains(message) == true, "\(uri): \(String(buffer: response.body))")
                }
            }
        }
    }

    @Test func aSubmissionShowsItsLogToItsOwnTeamOnly() async throws {
        let fixture = try await WebFixture(submissions: 2)
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/submissions/alice/broken", method: .get, headers: fixture.authorization("alice")) { response in
                let view = try Self.json(response)
                #expect(view["state"] as? String == "training_error")
                let evaluation = try #require((view["evaluations"] as? [[String: Any]])?.first)
                #expect((evaluation["log"] as? String)?.contains("alice's secret mistake") == true)
                #expect(evaluation["worker"] as? String == "web-fixture")
            }
            try await client.execute(uri: "/api/v1/submissions/alice/broken", method: .get, headers: fixture.authorization("bob")) { response in
                let evaluation = try #require((try Self.json(response)["evaluations"] as? [[String: Any]])?.first)
                #expect(evaluation["log"] == nil, "another team never sees the log")
            }
            try await client.execute(uri: "/api/v1/submissions/alice/waiting", method: .get, headers: fixture.authorization("bob")) { response in
                let evaluation = try #require((try Self.json(response)["evaluations"] as? [[String: Any]])?.first)
                #expect(evaluation["queue_position"] as? Int == 1)
            }
            try await client.execute(uri: "/api/v1/submissions/alice/nothing", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .notFound)
                let error = try Self.json(response)["error"] as? String
                #expect(error == "no submission alice/nothing")
            }
            // Every API error has the one shape: an unknown route too.
            try await client.execute(uri: "/api/v1/nothing-here", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .notFound)
                let error = try Self.json(response)["error"] as? String
                #expect(error?.contains("no API route GET /api/v1/nothing-here") == true)
            }
        }
    }
}
