import Testing

import Credit

/// Team Erin copies Alice's feature function without lineage and adds her own; team Frank
/// copies both of Erin's functions without lineage; team Grace forks Erin.
struct ReuseAttributionTests {
    let kit = [ReuseFixtures.startingKit]
    let alice = ReuseSubmission(key: "alice/gbm", team: "alice", files: [ReuseFixtures.alice])
    let erin = ReuseSubmission(key: "erin/features", team: "erin", files: [ReuseFixtures.erin])
    let frank = ReuseSubmission(key: "frank/copy", team: "frank", files: [ReuseFixtures.frank])

    @Test func copyOfACopyIsAttributedToTheEarliestAuthor() {
        let matches = ReuseDetector.find(submissions: [alice, erin, frank], baseline: kit, minimumLines: 4)
        #expect(
            matches == [
                ReuseMatch(
                    earlier: "alice/gbm", later: "erin/features", earlierFile: "classifier.py", earlierLines: 6...15,
                    laterFile: "features.py", laterLines: 14...22, matchedLines: 9),
                ReuseMatch(
                    earlier: "alice/gbm", later: "frank/copy", earlierFile: "classifier.py", earlierLines: 6...15,
                    laterFile: "preprocessing.py", laterLines: 4...12, matchedLines: 9),
                ReuseMatch(
                    earlier: "erin/features", later: "frank/copy", earlierFile: "features.py", earlierLines: 5...11,
                    laterFile: "preprocessing.py", laterLines: 15...20, matchedLines: 6),
            ])
    }

    @Test func codeInheritedThroughLineageIsNotReportedAgain() {
        let grace = ReuseSubmission(
            key: "grace/fork", team: "grace", files: [ReuseFixtures.erin], ancestors: ["erin/features"])
        let matches = ReuseDetector.find(submissions: [alice, erin, grace], baseline: kit, minimumLines: 4)
        #expect(matches.map(\.later) == ["erin/features"])
    }

    @Test func laterSubmissionOfTheCopyingTeamIsReportedAgainOnlyWithoutItsHistory() {
        // Built on its own copy: the copy was reported, not this.
        let erinNext = ReuseSubmission(key: "erin/features-v2", team: "erin", files: [ReuseFixtures.erin], ancestors: ["erin/features"])
        #expect(ReuseDetector.find(submissions: [alice, erin, erinNext], baseline: kit, minimumLines: 4).map(\.later) == ["erin/features"])
        // A new root with the same code: alice's code is held again without lineage.
        let erinOrphan = ReuseSubmission(key: "erin/features-v2", team: "erin", files: [ReuseFixtures.erin])
        let matches = ReuseDetector.find(submissions: [alice, erin, erinOrphan], baseline: kit, minimumLines: 4)
        #expect(matches.map(\.later) == ["erin/features", "erin/features-v2"])
        #expect(matches.map(\.earlier) == ["alice/gbm", "alice/gbm"], "what erin wrote herself is never reported against erin")
    }

    @Test func droppingAnotherTeamsLineageIsReported() {
        // bob forks alice's submission (lineage: not reported), then pushes an orphan commit
        // with the same code and an improvement.
        let fork = ReuseSubmission(key: "bob/fork", team: "bob", files: [ReuseFixtures.alice], ancestors: ["alice/gbm"])
        let improved = SourceFile(path: ReuseFixtures.alice.path, text: ReuseFixtures.alice.text + "\n\ndef improved(x):\n    return x * 2\n")
        let orphan = ReuseSubmission(key: "bob/orphan", team: "bob", files: [improved])
        let matches = ReuseDetector.find(submissions: [alice, fork, orphan], baseline: kit, minimumLines: 4)
        #expect(matches.map(\.later) == ["bob/orphan"])
        #expect(matches.first?.earlier == "alice/gbm")
        #expect(matches.first?.laterLines == 2...23)
    }
}
