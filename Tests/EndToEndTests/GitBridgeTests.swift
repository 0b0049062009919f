import Foundation
import TestSupport
import Testing

/// The git bridge streams `git http-backend`'s output with back-pressure: a slow client holds
/// a bounded buffer in the server, and a client that goes away stops http-backend.
@Suite("Streaming git bridge", .serialized)
struct GitBridgeTests {
    /// Resident memory of a process, in bytes.
    static func residentBytes(_ processID: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(processID)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes * 1024
    }

    /// The server's child processes (http-backend and the git it runs).
    /// An upload-pack request for commit `head`, in pkt-lines: want, flush, done.
    static func uploadPackRequest(head: String) -> Data {
        let want = "want \(head)\n"
        return Data((String(format: "%04x", want.utf8.count + 4) + want + "0000" + "0009done\n").utf8)
    }

    /// A Python client that posts the upload-pack request in the file of its first argument to
    /// alice's repository on the hub at `port`, through a receive buffer of `receiveBuffer`
    /// bytes, then runs `then` (top-level lines, with `connection` open).
    static func uploadPackClient(port: String, token: String, receiveBuffer: Int, then: String) -> String {
        """
        import base64, socket, sys, time
        body = open(sys.argv[1], "rb").read()
        credentials = base64.b64encode(b"alice:\(token)").decode()
        connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, \(receiveBuffer))
        connection.connect(("127.0.0.1", \(port)))
        connection.sendall(("POST /git/alice.git/git-upload-pack HTTP/1.1\\r\\nHost: hub\\r\\nAuthorization: Basic " + credentials
            + "\\r\\nContent-Type: application/x-git-upload-pack-request\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body)).encode() + body)

        """ + then
    }

    static func children(of processID: Int32) async throws -> String {
        try await CommandRunner.run("/usr/bin/pgrep", ["-a", "-P", String(processID)]).output
    }

    @Test func aSlowCloneHoldsABoundedBufferAndAClientThatGoesAwayStopsHttpBackend() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        // An idle time longer than this test waits: what stops http-backend below is the
        // client going away, not the idle time.
        try await hub.start(workers: 0, extra: ["--idle-seconds", "600"])
        let server = try #require(hub.serverProcessID)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        // 19 MiB that do not compress: the pack of this commit is about as large.
        var generator = SystemRandomNumberGenerator()
        let size = 19 << 20
        let random = Data((0..<(size / 8)).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } })
        try random.write(to: clone.appendingPathComponent("big.bin"))
        _ = try await CommandRunner.git(["add", "big.bin"], in: clone)
        _ = try await CommandRunner.git(["commit", "-qm", "a large file"], in: clone)
        #expect(try await CommandRunner.git(["push", "-q", "origin", "main"], in: clone).status == 0)
        let head = try await CommandRunner.git(["rev-parse", "HEAD"], in: clone).output.trimmingCharacters(in: .whitespacesAndNewlines)

        let request = hub.root.appendingPathComponent("want")
        try Self.uploadPackRequest(head: head).write(to: request)
        let port = try #require(hub.baseURL.split(separator: ":").last.map(String.init))
        func fetch(limitRate: String?, into output: URL) throws -> ChildProcess {
            guard limitRate != nil else {
                return try ChildProcess(
                    "/usr/bin/curl",
                    [
                        "-s", "-u", "alice:\(token)", "-H", "Content-Type: application/x-git-upload-pack-request",
                        "--data-binary", "@\(request.path)", "-o", output.path, "\(hub.baseURL)/git/alice.git/git-upload-pack",
                    ])
            }
            // A client that reads 10 KiB every 0.1 s through a small receive buffer (curl's
            // --limit-rate does not hold a local transfer back on every machine).
            let script = Self.uploadPackClient(
                port: port, token: token, receiveBuffer: 16384,
                then: """
                    with open(sys.argv[2], "wb") as out:
                        while True:
                            chunk = connection.recv(10240)
                            if not chunk:
                                break
                            out.write(chunk)
                            out.flush()
                            time.sleep(0.1)
                    """)
            return try ChildProcess(CommandRunner.python, ["-c", script, request.path, output.path])
        }
        // At full speed, the whole pack arrives.
        let whole = hub.root.appendingPathComponent("whole.pack")
        let fast = try fetch(limitRate: nil, into: whole)
        #expect(fast.wait(killingAfter: 300) == (0, false), "the fast fetch ends by itself")
        let wholeSize = (try FileManager.default.attributesOfItem(atPath: whole.path)[.size] as? Int) ?? 0
        #expect(wholeSize > size, "the response holds the whole pack: \(wholeSize) bytes")

        // A slow client: the server keeps at most a small buffer, and http-backend waits.
        let before = try Self.residentBytes(server)
        let partial = hub.root.appendingPathComponent("partial.pack")
        let slowStarted = Date()
        let slow = try fetch(limitRate: "100 KiB/s", into: partial)
        try await Task.sleep(for: .seconds(4))
        let during = try Self.residentBytes(server)
        let received = (try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int) ?? 0
        // (A loaded machine may wake this task late: the client reads 100 KiB/s meanwhile.)
        let elapsed = Date().timeIntervalSince(slowStarted)
        #expect(received < Int(elapsed * 200_000) + (2 << 20), "the client is slow: \(received) bytes in \(elapsed) s")
        #expect(during - before < 8 << 20, "the server does not buffer the pack for a slow client: grew by \(during - before) bytes")
        if received < size / 2 {
            #expect(try await Self.children(of: server).contains("http-backend"), "http-backend waits for the client")
        }

        // The client goes away: http-backend is stopped.
        slow.signal(SIGKILL)
        slow.wait()
        // (A loaded machine runs the server late: CI's once took more than 10 s.)
        let killed = Date()
        let deadline = killed.addingTimeInterval(90)
        var children = try await Self.children(of: server)
        while Date() < deadline, !children.isEmpty {
            try await Task.sleep(for: .milliseconds(200))
            children = try await Self.children(of: server)
        }
        #expect(children.isEmpty, "nothing left running \(Int(Date().timeIntervalSince(killed))) s after the client went away: \(children)")
    }

    @Test func aClientThatStopsReadingIsDroppedAfterTheIdleTime() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        // The large push goes through a server with the usual idle time (a loaded machine may
        // take more than 3 s to produce the pack), then the server restarts with 3 s.
        try await hub.start(workers: 0)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        // 38 MiB that do not compress: more than every buffer between the two ends can hold.
        var generator = SystemRandomNumberGenerator()
        for name in ["big1.bin", "big2.bin"] {
            let random = Data((0..<((19 << 20) / 8)).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } })
            try random.write(to: clone.appendingPathComponent(name))
        }
        _ = try await CommandRunner.git(["add", "big1.bin", "big2.bin"], in: clone)
        _ = try await CommandRunner.git(["commit", "-qm", "a large file"], in: clone)
        #expect(try await CommandRunner.git(["push", "-q", "origin", "main"], in: clone).status == 0)
        let head = try await CommandRunner.git(["rev-parse", "HEAD"], in: clone).output.trimmingCharacters(in: .whitespacesAndNewlines)
        hub.stop()
        try await hub.start(workers: 0, extra: ["--idle-seconds", "3"])
        let server = try #require(hub.serverProcessID)
        // A client that asks for the pack, then never reads (and never leaves).
        let port = try #require(hub.baseURL.split(separator: ":").last.map(String.init))
        let request = hub.root.appendingPathComponent("want")
        try Self.uploadPackRequest(head: head).write(to: request)
        let script = Self.uploadPackClient(
            port: port, token: token, receiveBuffer: 4096,
            then: """
                print("sent", flush=True)
                time.sleep(600)
                """)
        let sent = hub.root.appendingPathComponent("client.out")
        let client = try ChildProcess(CommandRunner.python, ["-c", script, request.path], output: sent.path)
        defer { TestHub.stop(client, kill: true) }
        let started = Date()
        while Date().timeIntervalSince(started) < 60, !((try? String(contentsOf: sent, encoding: .utf8)) ?? "").contains("sent") {
            try await Task.sleep(for: .milliseconds(20))  // "sent": the request is out
        }
        var served = false
        for _ in 0..<50 where !served {
            served = try await Self.children(of: server).contains("http-backend")
            if !served { try await Task.sleep(for: .milliseconds(100)) }
        }
        // (Seen running, or its stop logged: a late wake-up may miss its few seconds.)
        #expect(served || hub.logs().contains("stopped, the client read nothing for 3"), "http-backend serves the client at first")
        // (Three seconds after the pipe fills; a loaded machine takes long to make the pack.)
        let deadline = Date().addingTimeInterval(90)
        var children = try await Self.children(of: server)
        while Date() < deadline, !children.isEmpty {
            try await Task.sleep(for: .milliseconds(250))
            children = try await Self.children(of: server)
        }
        #expect(children.isEmpty, "a client that reads nothing for the idle time is dropped: \(children)")
        #expect(hub.logs().contains("stopped, the client read nothing for 3"), "the server says why")
        #expect(client.isRunning, "while it still holds its connection")
    }
}
