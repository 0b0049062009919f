import Foundation
import Testing

/// Contributivity and historical contributivity, computed by the server after each scored
/// submission, on a hub with a fork across teams.
@Suite("Contributivity and lineage credit", .serialized)
struct CreditEndToEndTests {
    func leaderboard(_ hub: TestHub) async throws -> [String: Any] {
        let result = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    /// A function of alice's own, long enough to be recognised when copied.
    static let aliceHelper = """


        def clipped_ratios(frame, columns, low=0.01, high=0.99):
            \"\"\"Ratios of consecutive columns, clipped to their quantiles.\"\"\"
            result = {}
            for left, right in zip(columns, columns[1:]):
                ratio = frame[left] / (frame[right] + 1e-9)
                lower, upper = ratio.quantile(low), ratio.quantile(high)
                result[left + "_over_" + right] = ratio.clip(lower, upper)
            return result

        """

    /// A running hub in its collaborative phase with teams alice, bob and carol, and alice's
    /// submission `logreg` pushed: the kit's classifier with C=3.0 and ``aliceHelper``.
    static func collaborativeHubWithAlicesSubmission() async throws -> (hub: TestHub, tokens: [String: String], aliceCode: String) {
        let hub = try await TestHub()
        let tokens = try await hub.addTeams(["alice", "bob", "carol"])
        try await hub.start()
        #expect(try await hub.forkboard(["phase", "set", "collaborative", "--hub", hub.home.path]).status == 0)
        let alice = try await hub.clone("alice", login: "alice", token: tokens["alice"]!)
        let kit = try String(contentsOf: alice.appendingPathComponent("classifier.py"), encoding: .utf8)
        let aliceCode =
            kit.replacingOccurrences(of: "LogisticRegression(max_iter=1000)", with: "LogisticRegression(C=3.0, max_iter=1000)")
            + Self.aliceHelper
        #expect(try await hub.submit("logreg", files: ["classifier.py": aliceCode], in: alice).status == 0)
        return (hub, tokens, aliceCode)
    }

    @Test func serverComputesContributivityAndHistoricalCredit() async throws {
        let (hub, tokens, aliceCode) = try await Self.collaborativeHubWithAlicesSubmission()
        let bob = try await hub.clone("bob", login: "bob", token: tokens["bob"]!)
        let forest = Classifiers.randomForest(estimators: 50, seed: 0)
        #expect(try await hub.submit("forest", files: ["classifier.py": forest], in: bob).status == 0)
        _ = try await hub.waitForFinalState(team: "alice", name: "logreg")

        // carol forks alice's submission through open.git and changes one line of it.
        let carol = try await hub.clone("carol", login: "carol", token: tokens["carol"]!)
        _ = try await CommandRunner.git(["remote", "add", "open", hub.cloneURL("open", login: "carol", token: tokens["carol"]!)], in: carol)
        #expect(try await CommandRunner.git(["fetch", "-q", "open"], in: carol).status == 0)
        #expect(try await CommandRunner.git(["checkout", "-q", "-b", "tuned", "open/alice/logreg"], in: carol).status == 0)
        #expect(
            try await hub.submit("tuned", files: ["classifier.py": aliceCode.replacingOccurrences(of: "C=3.0", with: "C=0.5")], in: carol).status == 0
        )
        for (team, name) in [("bob", "forest"), ("carol", "tuned")] {
            #expect(try await hub.waitForFinalState(team: team, name: name)["state"] as? String == "scored")
        }

        // The server recomputes credit shortly after the last score.
        var board: [String: Any] = [:]
        var rows: [[String: Any]] = []
        for _ in 0..<120 {
            board = try await leaderboard(hub)
            rows = board["rows"] as? [[String: Any]] ?? []
            if rows.count == 3, rows.allSatisfy({ $0["historical_contributivity"] is Double }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let contributivity = rows.compactMap { $0["contributivity"] as? Double }
        #expect(contributivity.count == 3)
        #expect(abs(contributivity.reduce(0, +) - 1) < 1e-9, "contributivities sum to 1: \(contributivity)")
        let historical = rows.compactMap { $0["historical_contributivity"] as? Double }
        let startingKit = try #require(board["starting_kit_historical_contributivity"] as? Double)
        #expect(historical.count == 3)
        #expect(abs(historical.reduce(0, +) + startingKit - 1) < 1e-9, "credit is conserved: \(historical) + \(startingKit)")
        #expect(startingKit > 0, "every submission keeps most of the starting kit's lines")
        let page = try await hub.get("/leaderboard", login: "bob", token: tokens["bob"]!)
        #expect(page.body.contains("data-numeric>Contributivity</button>") && page.body.contains("Combined score (blend of every scored submission)"))
        #expect(page.body.contains("kept by the organisers' starting kit"))
        let combined = try #require(board["combined"] as? [String: [String: Double]])
        #expect(combined["combined"]?["valid"] != nil && combined["combined"]?["private"] != nil)

        // carol credits alice (whose lines she kept) and the starting kit; bob credits only the kit.
        let submissions = try await hub.submissions()
        let tuned = try #require(submissions.first { $0["submission"] as? String == "tuned" })
        let credits = try #require(tuned["credits"] as? [String: Double])
        #expect(credits["alice/logreg"] ?? 0 > 0)
        #expect(credits["organisers/starting-kit"] ?? 0 > 0)
        #expect(abs(credits.values.reduce(0, +) - 1) < 1e-9)
        let forestCredits = try #require(submissions.first { $0["submission"] as? String == "forest" }?["credits"] as? [String: Double])
        #expect(forestCredits["alice/logreg"] == nil)

        // bob copies alice's function into his own file, without her history: reuse without
        // lineage, found; carol's fork (lineage) and bob's forest (kit only) are not reported.
        let copied = Self.aliceHelper
            .replacingOccurrences(of: "clipped_ratios", with: "bounded_quotients")
            .replacingOccurrences(of: "frame", with: "data")
            .replacingOccurrences(of: "result", with: "features")
        #expect(try await hub.submit("copied", files: ["features.py": "# bob's features\nimport numpy as np\n" + copied], in: bob).status == 0)
        _ = try await hub.waitForFinalState(team: "bob", name: "copied")
        let reuse = try await hub.forkboard(["audit", "reuse", "--hub", hub.home.path, "--min-lines", "4", "--format", "json"])
        let matches = try #require(try JSONSerialization.jsonObject(with: Data(reuse.output.utf8)) as? [[String: Any]], "\(reuse.output)")
        #expect(matches.count == 1, "\(matches)")
        #expect(matches.first?["later"] as? String == "bob/copied")
        #expect(matches.first?["earlier"] as? String == "alice/logreg")
        #expect(matches.first?["laterFile"] as? String == "features.py")
        #expect(matches.first?["earlierFile"] as? String == "classifier.py")
        let provenance = try await hub.forkboard(["audit", "submission", "bob/copied", "--hub", hub.home.path])
        #expect(provenance.output.contains("matches alice/logreg classifier.py:"))
    }
}
