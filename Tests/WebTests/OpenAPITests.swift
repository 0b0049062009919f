import Foundation
import Hub
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import NIOFoundationEssentialsCompat
import Testing
import Yams
@testable import Web

/// The OpenAPI document against the router: every JSON route is documented, every documented
/// path answers, and every error has the one error shape.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func theDocumentListsExactlyTheAPIRoutesAndEachAnswersAsDocumented() async throws {
        let fixture = try await WebFixture(submissions: 2)
        let router = try WebServer(hub: fixture.hub, settings: ServerSettings(executablePath: "/bin/false"), logger: Logger(label: "test"))
            .makeRouter()
        let routes = Set(router.routes.filter { "\($0.path)".hasPrefix("/api/") }.map { "\($0.method) \($0.path)" })
        try await fixture.application().test(.router) { client in
            var document: [String: Any] = [:]
            try await client.execute(uri: "/api/v1/openapi.yaml", method: .get, headers: fixture.authorization("bob")) { response in
                #expect(response.status == .ok)
                document = try #require(try Yams.load(yaml: String(buffer: response.body)) as? [String: Any])
            }
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
            #expect(documented == routes, "documented: \(documented.sorted()); routed: \(routes.sorted())")

            try fixture.hub.ledger.reveal(by: "organiser")  // the final leaderboard answers once revealed
            for path in paths.keys.sorted() {
                let uri = path.replacingOccurrences(of: "{team}", with: "alice").replacingOccurrences(of: "{name}", with: "s0")
                let organisersOnly = path.hasPrefix("/api/v1/organisers/")
                try await client.execute(uri: uri, method: .get, headers: fixture.authorization(organisersOnly ? "olga" : "bob")) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
                if organisersOnly {
                    try await client.execute(uri: uri, method: .get, headers: fixture.authorization("bob")) { response in
                        #expect(response.status == .forbidden, "\(uri)")
                        let error = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                        #expect((error?["error"] as? String)?.contains("for organisers only") == true, "\(uri): the error shape")
                    }
                }
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    let error = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(error?["error"] is String, "\(uri): the error shape")
                }
            }
            try await client.execute(uri: "/api/v1/challenge", method: .get, headers: fixture.authorization("bob")) { response in
                let challenge = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(challenge["title"] as? String == "Breast cancer diagnosis" && challenge["current_phase"] as? String == "competitive")
                let questions = challenge["questions"] as? [[String: Any]]
                #expect(questions?.first?["ranked_by"] as? String == "valid")
                #expect((challenge["next_change"] as? String)?.hasSuffix("Z") == true)
            }
            try await client.execute(uri: "/api/v1/lineage", method: .get, headers: fixture.authorization("bob")) { response in
                let lineage = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let nodes = lineage["nodes"] as? [[String: Any]] ?? []
                #expect(Set(nodes.compactMap { $0["submission"] as? String }) == ["alice/s0", "bob/s1", "alice/broken", "alice/waiting"])
            }
        }
    }
}
