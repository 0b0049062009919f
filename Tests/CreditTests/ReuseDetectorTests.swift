import Foundation
import Testing

import Credit

struct ReuseDetectorTests {
    let kit = [ReuseFixtures.startingKit]
    let alice = ReuseSubmission(key: "alice/gbm", team: "alice", files: [ReuseFixtures.alice])
    let bob = ReuseSubmission(key: "bob/forest", team: "bob", files: [ReuseFixtures.bob])
    let dave = ReuseSubmission(key: "dave/svm", team: "dave", files: [ReuseFixtures.dave])
    let carol = ReuseSubmission(key: "carol/features", team: "carol", files: [ReuseFixtures.carol])

    @Test func renamedReindentedCopyIsFoundWithItsLinesOnBothSides() {
        let matches = ReuseDetector.find(submissions: [alice, bob, dave, carol], baseline: kit, minimumLines: 4)
        #expect(
            matches == [
                ReuseMatch(
                    earlier: "alice/gbm", later: "carol/features", earlierFile: "classifier.py", earlierLines: 6...15,
                    laterFile: "model.py", laterLines: 22...33, matchedLines: 9)
            ])
    }

    @Test func copyWithInsertedAndChangedLinesIsStillOneRegion() {
        let edited = ReuseFixtures.carol.text
            .replacingOccurrences(
                of: "    p = out[f'{kind} perimeter']\n",
                with: """
                        p = out[f'{kind} perimeter']
                        print(kind, a.mean(), p.mean())
                        assert len(a) == len(p)

                    """
            )
            .replacingOccurrences(of: "(out[f'{kind} radius'] + 0.001)", with: "out[f'{kind} radius'].clip(1e-3)")
        let copy = ReuseSubmission(
            key: "carol/edited", team: "carol", files: [SourceFile(path: "model.py", text: edited)])
        let matches = ReuseDetector.find(submissions: [alice, bob, copy], baseline: kit, minimumLines: 4)
        #expect(
            matches == [
                ReuseMatch(
                    earlier: "alice/gbm", later: "carol/edited", earlierFile: "classifier.py", earlierLines: 6...15,
                    laterFile: "model.py", laterLines: 22...35, matchedLines: 9)
            ])
    }

    @Test func copyWithinTheSameTeamIsNotReported() {
        let sameTeam = ReuseSubmission(key: "alice/logistic", team: "alice", files: [ReuseFixtures.carol])
        #expect(ReuseDetector.find(submissions: [alice, sameTeam], baseline: kit, minimumLines: 2).isEmpty)
    }

    @Test func copyFromAnAncestorIsNotReported() {
        let fork = ReuseSubmission(
            key: "carol/features", team: "carol", files: [ReuseFixtures.carol], ancestors: ["alice/gbm"])
        #expect(ReuseDetector.find(submissions: [alice, bob, fork], baseline: kit, minimumLines: 2).isEmpty)
    }

    @Test func copyFromAnotherTeamsEarlierSubmissionIsReportedOnlyAgainstTheEarlierOne() {
        // Recorded the other way round, Alice's submission is the one holding the copy.
        let matches = ReuseDetector.find(submissions: [carol, alice], baseline: kit, minimumLines: 4)
        #expect(matches.map(\.earlier) == ["carol/features"])
        #expect(matches.map(\.later) == ["alice/gbm"])
        #expect(matches.first?.earlierLines == 22...33)
        #expect(matches.first?.laterLines == 6...15)
    }

    @Test func independentSubmissionsSharingOnlyTheStartingKitAreNotReported() {
        let matches = ReuseDetector.find(submissions: [alice, bob, dave], baseline: kit, minimumLines: 2)
        #expect(matches.isEmpty)
    }

    @Test func teamsMakingTheSameSmallChangeToTheKitAreNotReported() {
        // Both swap the logistic regression for a tree ensemble behind an imputer: the changed
        // line is alike once names are normalised, the rest of the file is the kit.
        func variant(_ model: String, _ strategy: String) -> SourceFile {
            SourceFile(
                path: "classifier.py",
                text: ReuseFixtures.startingKit.text
                    .replacingOccurrences(
                        of: "from sklearn.linear_model import LogisticRegression",
                        with: "from sklearn.ensemble import \(model)\nfrom sklearn.impute import SimpleImputer"
                    )
                    .replacingOccurrences(
                        of: "make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))",
                        with: "make_pipeline(SimpleImputer(strategy=\"\(strategy)\"), StandardScaler(), \(model)())"))
        }
        let first = ReuseSubmission(
            key: "erin/forest", team: "erin", files: [variant("RandomForestClassifier", "median")])
        let second = ReuseSubmission(
            key: "frank/trees", team: "frank", files: [variant("ExtraTreesClassifier", "mean")])
        let matches = ReuseDetector.find(submissions: [first, second], baseline: kit, minimumLines: 1)
        #expect(matches.allSatisfy { $0.matchedLines <= 1 })
        #expect(ReuseDetector.find(submissions: [first, second], baseline: kit, minimumLines: 2).isEmpty)
    }

    @Test func withoutTheStartingKitAsBaselineTheKitItselfWouldMatch() {
        // What the baseline is for: every submission keeps the kit's methods.
        let matches = ReuseDetector.find(submissions: [alice, bob, dave], baseline: [], minimumLines: 2)
        #expect(!matches.isEmpty)
    }

    @Test func submissionThatOnlyKeepsTheKitIsNotReported() {
        let kitOnly = ReuseSubmission(key: "erin/kit", team: "erin", files: [ReuseFixtures.startingKit])
        let alsoKitOnly = ReuseSubmission(key: "frank/kit", team: "frank", files: [ReuseFixtures.startingKit])
        #expect(ReuseDetector.find(submissions: [kitOnly, alsoKitOnly], baseline: kit, minimumLines: 1).isEmpty)
    }

    @Test func minimumLinesFiltersSmallerMatches() {
        let submissions = [alice, bob, dave, carol]
        let atNine = ReuseDetector.find(submissions: submissions, baseline: kit, minimumLines: 9)
        #expect(atNine.map(\.matchedLines) == [9])
        #expect(ReuseDetector.find(submissions: submissions, baseline: kit, minimumLines: 10).isEmpty)
    }

    @Test func codeInSeveralFilesOfTheEarlierSubmissionIsReportedOnce() {
        let twice = ReuseSubmission(
            key: "alice/gbm", team: "alice",
            files: [ReuseFixtures.alice, SourceFile(path: "backup/classifier.py", text: ReuseFixtures.alice.text)])
        let matches = ReuseDetector.find(submissions: [twice, carol], baseline: kit, minimumLines: 4)
        #expect(matches.count == 1)
        #expect(matches.first?.earlierFile == "classifier.py")
        #expect(matches.first?.laterLines == 22...33)
    }

    @Test func everyTextFileIsReadButData() {
        // Code renamed to impl.txt (loaded with exec) is code; a table of numbers is not.
        let hidden = SourceFile(path: "impl.txt", text: ReuseFixtures.alice.text)
        let table = (1...40).map { row in
            (0..<6).map { String(format: "%.3f", Double(row * 7 + $0) / 13) }.joined(separator: ",")
        }.joined(separator: "\n")
        let data = SourceFile(path: "weights.csv", text: table)
        let first = ReuseSubmission(key: "alice/gbm", team: "alice", files: [ReuseFixtures.alice, data])
        let second = ReuseSubmission(key: "bob/hidden", team: "bob", files: [hidden, data])
        let matches = ReuseDetector.find(submissions: [first, second], baseline: kit, minimumLines: 1)
        #expect(matches.map(\.laterFile) == ["impl.txt"])
        #expect(matches.first?.laterLines == 2...23, "the whole of alice's own code")
    }

    /// alice's file copied by bob into `path` between two copies of `padding`.
    func copyOfAlice(in path: String, between padding: String) -> [ReuseMatch] {
        let copy = SourceFile(path: path, text: padding + ReuseFixtures.alice.text + padding)
        let first = ReuseSubmission(key: "alice/gbm", team: "alice", files: [ReuseFixtures.alice])
        return ReuseDetector.find(submissions: [first, ReuseSubmission(key: "bob/copy", team: "bob", files: [copy])], baseline: kit, minimumLines: 4)
    }

    @Test func aCopyPaddedWithLinesOfNumbersIsStillACopy() {
        // Rows of numbers around a copy once made a whole .py file read as data (unscanned);
        // lines of literals are left out, the code in between is read.
        let matches = copyOfAlice(in: "classifier.py", between: (1...200).map { "\($0)or \($0 + 1), \($0 * 3)or 4,\n" }.joined())
        #expect(matches.map(\.later) == ["bob/copy"])
        #expect(matches.first?.laterLines == 202...223, "alice's own code, after the 200 lines of padding")
    }

    @Test func codeAmongRowsOfAFileOfDataIsRead() {
        // A .csv whose rows hide a copy between rows of numbers: the rows are not code, the
        // copy is.
        let matches = copyOfAlice(in: "features.csv", between: (1...60).map { "\($0),\($0 * 2).5,\($0 % 7)\n" }.joined())
        #expect(matches.map(\.laterFile) == ["features.csv"])
        #expect(matches.first?.laterLines == 62...83)
        // Prose is not code, whatever its extension says nothing about.
        let notes = "The model uses gradient boosting with three hundred trees and a learning rate of one tenth.\n"
        #expect(SourceTokenizer.codeByLine(in: String(repeating: notes, count: 20), path: "NOTES.md", spelled: true) == nil)
    }

    @Test func codeInALongStringLiteralIsReadAsCode() {
        // alice's code pasted into a string that exec runs: as written, and on one line with
        // escaped line breaks.
        let body = ReuseFixtures.alice.text.replacingOccurrences(of: "\"\"\"", with: "'''")
        let pasted = SourceFile(path: "classifier.py", text: "CODE = \"\"\"\n" + body + "\"\"\"\nexec(CODE)\n")
        let escaped = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }
            .joined(separator: "\\n")
        let oneLine = SourceFile(path: "classifier.py", text: "exec(\"" + escaped + "\")\n")
        let first = ReuseSubmission(key: "alice/gbm", team: "alice", files: [ReuseFixtures.alice])
        let multiline = ReuseDetector.find(
            submissions: [first, ReuseSubmission(key: "bob/exec", team: "bob", files: [pasted])], baseline: kit, minimumLines: 4)
        #expect(multiline.map(\.laterFile) == ["classifier.py"])
        #expect((multiline.first?.matchedLines ?? 0) >= 9, "\(multiline)")
        let single = ReuseDetector.find(
            submissions: [first, ReuseSubmission(key: "carol/exec", team: "carol", files: [oneLine])], baseline: kit, minimumLines: 1)
        #expect(single.map(\.later) == ["carol/exec"])
        #expect((single.first?.matchedLines ?? 0) >= 9, "its escaped lines count as lines: \(single)")
        // A long string of prose is not code.
        let prose = "This model predicts the class of each tumour from thirty measurements of its cell nuclei; it is simple, fast and robust."
        let tokens = SourceTokenizer.tokens(in: "HELP = \"\(prose)\"\n", language: .python)
        #expect(tokens.map(\.text) == [SourceTokenizer.Token.identifier, "=", SourceTokenizer.Token.string])
    }

    @Test func resultsAreDeterministicAndEncodable() throws {
        let submissions = [alice, bob, dave, carol]
        let first = ReuseDetector.find(submissions: submissions, baseline: [], minimumLines: 1)
        let second = ReuseDetector.find(submissions: submissions, baseline: [], minimumLines: 1)
        #expect(first == second)
        #expect(!first.isEmpty)
        let order = ["alice/gbm", "bob/forest", "dave/svm", "carol/features"]
        let laterOrder = first.map { order.firstIndex(of: $0.later) ?? -1 }
        #expect(laterOrder == laterOrder.sorted())
        let decoded = try JSONDecoder().decode([ReuseMatch].self, from: JSONEncoder().encode(first))
        #expect(decoded == first)
    }

    @Test func emptyInputsFindNothing() {
        #expect(ReuseDetector.find(submissions: [], baseline: kit, minimumLines: 1).isEmpty)
        let empty = ReuseSubmission(key: "bob/empty", team: "bob", files: [SourceFile(path: "classifier.py", text: "")])
        #expect(ReuseDetector.find(submissions: [alice, empty], baseline: kit, minimumLines: 1).isEmpty)
    }
}
