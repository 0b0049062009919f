import Foundation
import Git
import Testing

@testable import Credit

/// Blank lines carry no idea: they are credited to nobody.
@Suite("Lineage credit ignores blank lines")
struct LineageBlankLineTests {
    @Test func blankLinesAreNotCounted() throws {
        let fixture = try LineageFixture()
        defer { fixture.remove() }
        // The kit: 2 code lines around 3 blank ones (one only spaces).
        try fixture.write("first = 1\n\n   \n\nsecond = 2\n", to: "model.py")
        let kit = try fixture.commit("Starting kit")
        // alice rewrites the first line: 1 line hers, 1 the kit's, the blank lines nobody's.
        try fixture.replaceLine(1, of: "model.py", with: "first = 42")
        let alice = try fixture.commit("alice")
        let result = try LineageCredit.compute(
            repository: fixture.open(), submissions: [LineageSubmission(key: "alice/one", team: "alice", commit: alice)],
            startingKit: kit, isCredited: { $0.hasSuffix(".py") }, isVisible: { _, _ in true })
        // Three tokens a line: a name, '=', a number.
        #expect(result.startingKit.tokenCounts == [LineageCredit.startingKitKey: 6])
        #expect(result.submissions[0].tokenCounts == ["alice/one": 3, LineageCredit.startingKitKey: 3])
        #expect(result.submissions[0].fractions["alice/one"] == 0.5)
    }
}
