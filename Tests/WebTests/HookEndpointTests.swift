import Foundation
import Testing
@testable import Web

/// What the hooks send the server is read strictly: each variable with its length, known
/// variables once each, so that nothing a participant pushes can pass for another variable.
@Suite("Hook requests")
struct HookEndpointTests {
    /// A body as hooks/forkboard-hook.bash writes it.
    static func body(_ variables: [(String, String)], input: String = "") -> [UInt8] {
        Array((variables.map { "\($0.0)=\($0.1.utf8.count):\($0.1)\n" }.joined() + "\n" + input).utf8)
    }

    @Test func aRequestGivesItsVariablesAndGitsInput() throws {
        let body = Self.body(
            [
                ("REMOTE_USER", "alice"), ("GIT_PUSH_OPTION_COUNT", "1"), ("GIT_PUSH_OPTION_0", "description=a=b, é ☃"),
                ("REMOTE_ADDR", ""), ("GIT_DIR", "/hub/repos/teams/alice.git"),
            ], input: "0000 1111 refs/tags/submission-x\n")
        let (environment, input) = try #require(HookEndpoint.parse(body))
        #expect(
            environment == [
                "REMOTE_USER": "alice", "GIT_PUSH_OPTION_COUNT": "1", "GIT_PUSH_OPTION_0": "description=a=b, é ☃",
                "GIT_DIR": "/hub/repos/teams/alice.git",
            ])
        #expect(input == Array("0000 1111 refs/tags/submission-x\n".utf8))
    }

    @Test func aValueThatLooksLikeOtherVariablesStaysOneValue() throws {
        // What a hand-made push option with line breaks would try.
        let injected = "x\nREMOTE_USER=5:alice\nGIT_DIR=24:/hub/repos/teams/bob.git\n\n"
        let body = Self.body([
            ("REMOTE_USER", "mallory"), ("GIT_PUSH_OPTION_COUNT", "1"), ("GIT_PUSH_OPTION_0", injected),
            ("GIT_DIR", "/hub/repos/teams/mallory.git"),
        ])
        let (environment, _) = try #require(HookEndpoint.parse(body))
        #expect(environment["REMOTE_USER"] == "mallory")
        #expect(environment["GIT_DIR"] == "/hub/repos/teams/mallory.git")
        #expect(environment["GIT_PUSH_OPTION_0"] == injected)
    }

    @Test func malformedRequestsAreRefused() {
        let refused: [[UInt8]] = [
            Self.body([("REMOTE_USER", "a"), ("REMOTE_USER", "b"), ("GIT_DIR", "/d")]),  // twice
            Self.body([("PATH", "/tmp"), ("GIT_DIR", "/d")]),  // not read
            Self.body([("GIT_PUSH_OPTION_64", "x"), ("GIT_DIR", "/d")]),  // beyond those read
            Self.body([("REMOTE_USER", "alice")]),  // no repository
            Array("GIT_DIR=99:/d\n\n".utf8),  // a length that lies
            Array("GIT_DIR=/d\n\n".utf8),  // no length
            Array("GIT_DIR=2:/d\n".utf8),  // no end of the variables
        ]
        for body in refused { #expect(HookEndpoint.parse(body) == nil, "\(String(decoding: body, as: UTF8.self).debugDescription)") }
    }
}
