import Foundation
import Testing

/// Submissions that attack the hub or abuse its resources: each must end in a clear error
/// state, leave the hub unharmed, and not stop the next submission from being scored.
@Suite("Hostile submissions", .serialized)
struct HostileSubmissionTests {
    /// A submission's code and what must become of it.
    struct Case {
        let name: String
        /// Python run in `Classifier.fit` (indented by the test), or a whole classifier.py.
        let fit: String
        var predictProba = "return self.model.predict_proba(X)"
        var symbolicLinks: [String: String] = [:]
        let state: String
        /// What the log must say (any one of them).
        let log: [String]
        /// What the log must not say.
        var absent: [String] = []
    }

    static func classifier(fit: String, predictProba: String) -> String {
        """
        import os, signal, socket, sys, time
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        HUB = os.environ.get("TEST_HUB", "")

        class Classifier:
            def __init__(self):
                self.model = LogisticRegression(max_iter=500)

            def fit(self, X, y):
        \(fit.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
                self.model.fit(X, y)
                self.classes_ = self.model.classes_
                return self

            def predict_proba(self, X):
                \(predictProba)

        """
    }

    @Test func hostileSubmissionsEndInClearStatesAndTheHubKeepsScoring() async throws {
        let hub = try await TestHub { text in
            var text = text
            let replacements = [
                "wall_seconds: 300": "wall_seconds: 45", "memory_bytes: 4294967296": "memory_bytes: 536870912",
                "processes: 256": "processes: 48", "file_size_bytes: 268435456": "file_size_bytes: 5242880",
                "output_bytes: 67108864": "output_bytes: 1048576",
                "temporary_bytes: 268435456": "temporary_bytes: 268435456\n  written_bytes: 12582912",
            ]
            for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
            return text
        }
        let token = try await hub.addTeam("mallory")
        try await hub.start()
        let port = try #require(hub.baseURL.split(separator: ":").last.map(String.init))
        let privateTest = hub.home.appendingPathComponent("data/private/test.csv")
        let privateBefore = try Data(contentsOf: privateTest)
        let home = hub.home.path

        let cases = [
            Case(
                name: "read-test-labels", fit: "print(open('\(home)/data/private/test.csv').read()[:200])",
                state: "training_error", log: ["No such file or directory"]),
            Case(
                name: "read-rows-to-predict-while-training", fit: "print(open('/input/predict.csv').read()[:200])",
                state: "training_error", log: ["No such file or directory"]),
            Case(
                name: "read-database", fit: "print(open('\(home)/forkboard.sqlite', 'rb').read()[:100])",
                state: "training_error", log: ["No such file or directory"]),
            Case(
                name: "connect-to-hub", fit: "socket.create_connection(('127.0.0.1', \(port)), timeout=5).sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')",
                state: "training_error", log: ["Connection refused", "unreachable"]),
            Case(
                name: "fork-bomb", fit: "while True:\n    os.fork()",
                state: "training_error", log: ["processes limit exceeded"]),
            Case(
                name: "allocate-too-much", fit: "hog = bytearray(3 << 30)",
                state: "training_error", log: ["memory limit exceeded"]),
            Case(
                name: "memory-bomb", fit: "hog = []\nwhile True:\n    hog.append(bytearray(64 << 20))",
                state: "training_error", log: ["memory limit exceeded"]),
            // A submission cannot relabel its own failure as a limit of the hub's: what it prints
            // and how it exits are not evidence.
            Case(
                name: "impostor-memory-error",
                fit: "print('MemoryError: Cannot allocate memory')\nprint('OSError: [Errno 27] File too large')\nsys.exit(1)",
                state: "training_error", log: ["exited with status 1"], absent: ["limit exceeded"]),
            Case(
                name: "impostor-cpu-signal", fit: "sys.stdout.flush()\nos._exit(152)",
                state: "training_error", log: ["exited with status 152"], absent: ["limit exceeded"]),
            // 125 is what the sandbox's shell exits with when it cannot join its control groups:
            // a run that exits with it is still the team's failure, never the hub's.
            Case(
                name: "impostor-sandbox-failure", fit: "os._exit(125)",
                state: "training_error", log: ["exited with status 125"], absent: ["does not count against your team"]),
            Case(
                name: "fill-the-disk",
                fit:
                    "for index in range(10):\n    open(os.path.join(os.environ['FORKBOARD_MODEL_DIR'], f'part{index}.bin'), 'wb').write(b'0' * (4 << 20))\n    time.sleep(0.3)",
                state: "training_error", log: ["disk space limit exceeded"]),
            Case(
                name: "write-huge-file", fit: "open(os.path.join(os.environ['FORKBOARD_MODEL_DIR'], 'big.bin'), 'wb').write(b'0' * (20 << 20))",
                state: "training_error", log: ["file size limit exceeded"]),
            Case(
                name: "sleep-forever", fit: "time.sleep(10 ** 6)",
                state: "training_error", log: ["wall time limit exceeded"]),
            Case(
                name: "print-a-gigabyte", fit: "chunk = 'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)",
                state: "training_error", log: ["output size limit exceeded"]),
            Case(
                name: "symlink-to-etc", fit: "pass", symbolicLinks: ["passwd": "/etc/passwd", "hub": home],
                state: "checking_error", log: ["is a symbolic link"]),
            Case(
                name: "kill-parent", fit: "os.kill(os.getppid(), signal.SIGKILL)\nos.kill(-1, signal.SIGKILL)",
                state: "training_error", log: ["killed", "exited with status"]),
            Case(
                name: "nested-user-namespace", fit: "import subprocess\nsubprocess.run(['unshare', '-U', '-r', 'id'], check=True)",
                state: "training_error", log: ["unshare failed"]),
            Case(
                name: "nan-predictions", fit: "pass", predictProba: "return np.full((len(X), 2), np.nan)",
                state: "testing_error", log: ["predictions line 2 (id 'patient-", "is not a finite number"]),
            Case(
                name: "predictions-link-to-etc", fit: "pass",
                predictProba: "os.symlink('/etc/passwd', os.environ['FORKBOARD_PREDICTIONS']); os._exit(0)",
                state: "testing_error", log: ["the predictions file is not a regular file"]),
            Case(
                name: "predictions-link-to-another-run", fit: "pass",
                predictProba:
                    "os.symlink('../../../../../../mallory/read-test-labels/diagnosis/fold-0/train.log', os.environ['FORKBOARD_PREDICTIONS']); os._exit(0)",
                state: "testing_error", log: ["the predictions file is not a regular file"]),
            Case(
                name: "huge-predictions", fit: "pass",
                predictProba: "open(os.environ['FORKBOARD_PREDICTIONS'], 'w').write('id,benign,malignant\\n' + '1,1,1\\n' * 500000); os._exit(0)",
                state: "testing_error", log: ["more than the"]),
            Case(
                name: "negative-probabilities", fit: "pass", predictProba: "return np.tile([-0.5, 1.5], (len(X), 1))",
                state: "testing_error", log: ["negative probability -0.5 in column benign"]),
        ]

        let clone = try await hub.clone("mallory", login: "mallory", token: token)
        for hostile in cases {
            try Self.classifier(fit: hostile.fit, predictProba: hostile.predictProba)
                .write(to: clone.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
            for (link, target) in hostile.symbolicLinks {
                try FileManager.default.createSymbolicLink(atPath: clone.appendingPathComponent(link).path, withDestinationPath: target)
            }
            #expect(try await CommandRunner.git(["add", "-A"], in: clone).status == 0)
            #expect(try await CommandRunner.git(["commit", "-qm", hostile.name], in: clone).status == 0)
            #expect(try await CommandRunner.git(["tag", "submission-\(hostile.name)"], in: clone).status == 0)
            let push = try await CommandRunner.git(["push", "-q", "origin", "main", "submission-\(hostile.name)"], in: clone)
            #expect(push.status == 0, "\(hostile.name): \(push.output)")
            for link in hostile.symbolicLinks.keys { try FileManager.default.removeItem(at: clone.appendingPathComponent(link)) }
        }
        // Then an honest submission.
        try String(contentsOf: hub.home.appendingPathComponent("starting-kit/classifier.py"), encoding: .utf8)
            .write(to: clone.appendingPathComponent("classifier.py"), atomically: true, encoding: .utf8)
        #expect(try await CommandRunner.git(["commit", "-qam", "honest"], in: clone).status == 0)
        #expect(try await CommandRunner.git(["tag", "submission-honest"], in: clone).status == 0)
        #expect(try await CommandRunner.git(["push", "-q", "origin", "main", "submission-honest"], in: clone).status == 0)

        for hostile in cases {
            let result = try await hub.waitForFinalState(team: "mallory", name: hostile.name)
            let log = ((result["evaluations"] as? [[String: Any]])?.first?["log"] as? String) ?? ""
            #expect(result["state"] as? String == hostile.state, "\(hostile.name): \(log.suffix(600))")
            #expect(hostile.log.contains { log.contains($0) }, "\(hostile.name) log should say one of \(hostile.log): \(log.suffix(600))")
            for text in hostile.absent { #expect(!log.contains(text), "\(hostile.name) log should not say \(text): \(log.suffix(600))") }
        }
        let honest = try await hub.waitForFinalState(team: "mallory", name: "honest")
        #expect(honest["state"] as? String == "scored")

        // The hub is unharmed: its private data unchanged, its server answering, no sandbox left.
        #expect(try Data(contentsOf: privateTest) == privateBefore)
        #expect(try await hub.get("/api/v1/leaderboard", login: "mallory", token: token).status == 200)
        let leftovers = try await CommandRunner.run("/usr/bin/pgrep", ["-f", "forkboard-e2e.*bwrap|bwrap.*\(hub.root.lastPathComponent)"])
        #expect(leftovers.output.isEmpty, "sandbox processes left running: \(leftovers.output)")
    }
}
