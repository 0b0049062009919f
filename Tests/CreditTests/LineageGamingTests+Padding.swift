import Foundation
import Testing

@testable import Credit

/// Padding a fork with lines that are not code: literals weigh nothing wherever they are, and
/// no padding takes the lines of others from them.
extension LineageGamingTests {
    @Test func linesOfLiteralsWeighNothingAndDoNotHideTheCodeAroundThem() throws {
        // Rows of numbers, a dictionary of string pairs, and prose: bob's only own code is
        // his line and "PADDING = {" (3 tokens).
        let shares = try ownShare { fixture in
            let rows = (1...400).map { "\($0), \($0 * 3), 0.\($0), -\($0),\n" }.joined()
            let text = try fixture.read("classifier.py")
            try fixture.write("_ = [\n" + rows + "]\n" + text + rows, to: "classifier.py")
            let pairs = (1...300).map { "    \"key \($0)\": \"value \($0)\",\n" }.joined()
            try fixture.write("PADDING = {\n" + pairs + "}\n", to: "padding.py")
            let prose = "The model is a gradient boosting of shallow trees, tuned on five folds.\n"
            try fixture.write(String(repeating: prose, count: 200), to: "NOTES.md")
        }
        // "_ = [" is 3 tokens of bob's too.
        #expect(shares.tokenCounts == [Self.kit: 27, "alice/a1": 96, "bob/fork": 9])
        expectClose(shares.measured, [Self.kit: 27.0 / 132, "alice/a1": 96.0 / 132, "bob/fork": 9.0 / 132])
    }

    @Test func numbersOfOtherScriptsAreCodeAndTakeNothingFromOthers() throws {
        // "Ⅰ" is a number to Unicode and an identifier to Python: lines of them are bob's code
        // (so they count for him, as any code he writes), never a reason to drop alice's lines.
        let shares = try ownShare { fixture in
            try fixture.append(String(repeating: "Ⅰ.Ⅰ, Ⅱ.Ⅱ, Ⅲ.Ⅲ, Ⅳ.Ⅳ,\n", count: 300), to: "classifier.py")
        }
        #expect(shares.tokenCounts[Self.kit] == 27)
        #expect(shares.tokenCounts["alice/a1"] == 96)
        #expect((shares.measured["alice/a1"] ?? 0) > 0)
    }

    @Test func aFileOfDataWithCodeInItIsCreditedForItsCode() throws {
        // The classifier moved into a .csv among rows of numbers and loaded from there.
        let shares = try ownShare { fixture in
            let rows = (1...100).map { "\($0),\($0 * 2),\($0 % 5)\n" }.joined()
            let text = try fixture.read("classifier.py")
            try fixture.git("rm", "--quiet", "--force", "classifier.py")
            try fixture.write(rows + text + rows, to: "table.csv")
        }
        #expect(shares.tokenCounts == [Self.kit: 27, "alice/a1": 96, "bob/fork": 3])
    }
}
