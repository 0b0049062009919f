import Foundation
import Testing

/// `forkboard demo` (what `make demo` runs) on a port that another program holds: it ends at
/// once, before making a hub, and says which port and how to choose another. It used to make
/// the hub and wait for ever, deaf to Ctrl-C.
@Suite("The demo's port")
struct DemoPortTests {
    @Test func aTakenPortEndsTheDemoAtOnceNamingThePortAndHowToChooseAnother() async throws {
        // A real listener on a port of the loopback interface: a hub's server.
        let hub = try await TestHub(template: "breast-cancer")
        try await hub.start(workers: 0)
        let port = try #require(URL(string: hub.baseURL)?.port)

        let demo = try await CommandRunner.run(CommandRunner.forkboard, ["demo", "--port", String(port), "--no-serve"], in: hub.root)
        #expect(demo.status != 0)
        #expect(demo.output.contains("the demo cannot serve on port \(port) of 127.0.0.1"), "\(demo.output)")
        #expect(demo.output.contains("make demo PORT=N"), "\(demo.output)")
        #expect(!demo.output.contains("Creating a hub"), "no hub is made for a demo that cannot serve: \(demo.output)")
    }
}
