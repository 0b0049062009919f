import Foundation
import TestSupport
import Testing

/// Webhooks through a real server and a real HTTP receiver (Python's http.server): a scored
/// submission, a new best score and a phase change are posted as Slack-compatible JSON; a
/// receiver that fails first gets the event again.
@Suite("Webhooks", .serialized)
struct WebhookTests {
    /// A receiver that answers 500 to its first request and 200 after, and appends each body
    /// as a line to `log`; returns it with its port.
    static func receiver(log: URL) async throws -> (ChildProcess, Int) {
        let script = """
            import http.server, sys
            log = sys.argv[1]
            count = [0]
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                    count[0] += 1
                    with open(log, 'ab') as handle:
                        handle.write(body.replace(b'\\n', b' ') + b'\\n')
                    self.send_response(500 if count[0] == 1 else 200)
                    self.end_headers()
                def log_message(self, *arguments):
                    pass
            server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
            with open(sys.argv[2], 'w') as handle:
                handle.write(str(server.server_address[1]))
            server.serve_forever()
            """
        // No pipe is shared with the test process: a receiver left behind must not hold its output open.
        let portFile = log.deletingLastPathComponent().appendingPathComponent("port")
        let process = try ChildProcess("/usr/bin/python3", ["-c", script, log.path, portFile.path])
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) { return (process, port) }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.signal(SIGKILL)
        process.wait()
        throw TestHubError("the webhook receiver did not start")
    }

    @Test func scoresNewBestsAndPhaseChangesArePostedAndRetried() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-webhooks-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let log = root.appendingPathComponent("posts.jsonl")
        let (receiver, port) = try await Self.receiver(log: log)
        defer {
            receiver.signal(SIGKILL)
            receiver.wait()
        }
        let hub = try await TestHub { text in
            TestHub.replaceSection(
                "phases", with: TestHub.phases([("competitive", "closed", -60), ("collaborative", "open", 40)], end: 86_400), in: text)
                + "\nwebhooks:\n  - url: http://127.0.0.1:\(port)/hook\n"
        }
        let token = try await hub.addTeam("alice")
        try await hub.start(extra: ["--reconcile-seconds", "2"])
        let clone = try await hub.clone("alice", login: "alice", token: token)
        let push = try await hub.submit("kit", in: clone)
        #expect(push.status == 0)
        _ = try await hub.waitForFinalState(team: "alice", name: "kit")

        var posts: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            posts = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            if Set(posts.compactMap { $0["event"] as? String }).isSuperset(of: ["submission_scored", "new_best_score", "phase_changed"]) { break }
            try await Task.sleep(for: .seconds(1))
        }
        let events = posts.compactMap { $0["event"] as? String }
        #expect(
            events.contains("submission_scored") && events.contains("new_best_score") && events.contains("phase_changed"), "\(events) \(hub.logs())")
        // The first post was answered 500: that event, and only it, was posted again.
        let lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        #expect(lines.count >= 2 && lines[1] == lines[0], "the refused event came again at once: \(events)")
        #expect(Set(lines).count == lines.count - 1, "every other event was posted once: \(events)")
        let scored = posts.first { $0["event"] as? String == "submission_scored" }
        #expect((scored?["text"] as? String)?.hasPrefix("alice/kit scored on diagnosis: roc_auc 0.9") == true, "\(scored ?? [:])")
        #expect(scored?["team"] as? String == "alice" && scored?["split"] as? String == "valid")
        let phase = posts.first { $0["event"] as? String == "phase_changed" }
        #expect(phase?["phase"] as? String == "collaborative" && phase?["previous_phase"] as? String == "competitive")
        #expect((phase?["text"] as? String)?.contains("the collaborative phase (open) has begun") == true)
        #expect(Set(lines.filter { $0.contains("phase_changed") }).count == 1, "announced once")
    }
}
