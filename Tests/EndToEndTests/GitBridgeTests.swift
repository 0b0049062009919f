import Foundation
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
    static func children(of processID: Int32) throws -> String {
        try CommandRunner.run("/usr/bin/pgrep", ["-a", "-P", String(processID)]).output
    }

    @Test func aSlowCloneHoldsABoundedBufferAndAClientThatGoesAwayStopsHttpBackend() async throws {
        let hub = try TestHub()
        let token = try hub.addTeam("alice")
        try hub.start(workers: 0)
        let server = try #require(hub.serverProcessID)
        let clone = try hub.clone("alice", login: "alice", token: token)
        // 19 MiB that do not compress: the pack of this commit is about as large.
        var generator = SystemRandomNumberGenerator()
        let size = 19 << 20
        let random = Data((0..<(size / 8)).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } })
        try random.write(to: clone.appendingPathComponent("big.bin"))
        _ = try CommandRunner.git(["add", "big.bin"], in: clone)
        _ = try CommandRunner.git(["commit", "-qm", "a large file"], in: clone)
        #expect(try CommandRunner.git(["push", "-q", "origin", "main"], in: clone).status == 0)
        let head = try CommandRunner.git(["rev-parse", "HEAD"], in: clone).output.trimmingCharacters(in: .whitespacesAndNewlines)

        // An upload-pack request for that commit, in pkt-lines: want, flush, done.
        let request = hub.root.appendingPathComponent("want")
        let want = "want \(head)\n"
        try Data((String(format: "%04x", want.utf8.count + 4) + want + "0000" + "0009done\n").utf8).write(to: request)
        func fetch(limitRate: String?, into output: URL) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-s", "-u", "alice:\(token)", "-H", "Content-Type: application/x-git-upload-pack-request",
                                 "--data-binary", "@\(request.path)", "-o", output.path]
                + (limitRate.map { ["--limit-rate", $0] } ?? []) + ["\(hub.baseURL)/git/alice.git/git-upload-pack"]
            try process.run()
            return process
        }
        // At full speed, the whole pack arrives.
        let whole = hub.root.appendingPathComponent("whole.pack")
        let fast = try fetch(limitRate: nil, into: whole)
        fast.waitUntilExit()
        let wholeSize = (try FileManager.default.attributesOfItem(atPath: whole.path)[.size] as? Int) ?? 0
        #expect(wholeSize > size, "the response holds the whole pack: \(wholeSize) bytes")

        // A slow client: the server keeps at most a small buffer, and http-backend waits.
        let before = try Self.residentBytes(server)
        let partial = hub.root.appendingPathComponent("partial.pack")
        let slow = try fetch(limitRate: "100k", into: partial)
        try await Task.sleep(for: .seconds(4))
        let during = try Self.residentBytes(server)
        let received = (try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int) ?? 0
        #expect(received < size / 2, "the client is slow: \(received) bytes so far")
        #expect(during - before < 8 << 20, "the server does not buffer the pack for a slow client: grew by \(during - before) bytes")
        #expect(try Self.children(of: server).contains("http-backend"), "http-backend waits for the client")

        // The client goes away: http-backend is stopped.
        kill(slow.processIdentifier, SIGKILL)
        slow.waitUntilExit()
        let deadline = Date().addingTimeInterval(10)
        var children = try Self.children(of: server)
        while Date() < deadline, !children.isEmpty {
            try await Task.sleep(for: .milliseconds(200))
            children = try Self.children(of: server)
        }
        #expect(children.isEmpty, "nothing left running for a client that went away: \(children)")
    }
}
