import Foundation
import Testing

/// The web hub in a real headless Chromium (Debian's `chromium`), driven over its DevTools
/// protocol by `drive_chromium.py`: signed in through the form, the pages rendered with their
/// scripts, a column sorted by a click, a screenshot that is not blank, and a change submitted
/// through the sandbox form and scored.
@Suite("In a real browser", .serialized)
struct RealBrowserTests {
    static let driver = CommandRunner.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Browser/drive_chromium.py").path

    @Test func aParticipantSignsInReadsEveryPageAndSubmitsThroughTheSandbox() async throws {
        let hub = try await TestHub()
        let (_, token, kit) = try await hub.startAndSubmitTheStartingKit()
        #expect(kit["state"] as? String == "scored")
        let classifier = hub.root.appendingPathComponent("browser-classifier.py")
        try Classifiers.randomForest(estimators: 15, seed: 4).write(to: classifier, atomically: true, encoding: .utf8)
        let run = try await CommandRunner.run("/usr/bin/python3", [Self.driver, hub.baseURL, "alice", token, "from-chromium", classifier.path])
        #expect(run.status == 0, "\(run.output)")
        let json = run.output.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? "{}"
        let pages = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(run.output)")
        let page = { (name: String) in pages[name] as? String ?? "" }

        #expect(page("signin").contains("<h1>Sign in to Breast cancer diagnosis</h1>"), "a browser without a session is sent to sign in")
        #expect(page("leaderboard").contains("<a href=\"/submissions/alice/kit\">kit</a>") && page("leaderboard").contains("Signed in as alice"))
        #expect(pages["sorted_submissions"] as? [String] == ["kit"], "the rows after a click on the Submission header")
        #expect((pages["screenshot_distinct_bytes"] as? Int ?? 0) > 16, "the screenshot is not blank")
        #expect(page("home").contains("Now: the <strong>competitive</strong> phase") && page("home").contains("<strong>malignant</strong>"))
        #expect(
            page("home").contains("countdown") && page("home").range(of: #"in \d+ d \d+ h \d+ min"#, options: .regularExpression) != nil,
            "the countdown was computed by the page's script")
        #expect(page("submission").contains("<h1>alice/kit</h1>") && page("submission").contains("valid (bagged)"))
        #expect((pages["lineage_svg_nodes"] as? Int ?? 0) >= 1, "the lineage graph's SVG has the kit's node")
        #expect(page("sandbox").contains("<legend><code>classifier.py</code></legend>"))
        #expect(pages["after_sandbox"] as? String == "/submissions/alice/from-chromium")
        let submitted = try await hub.waitForFinalState(team: "alice", name: "from-chromium")
        #expect(submitted["state"] as? String == "scored", "\(submitted)")
    }
}
