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

    @Test func laterSubmissionOfTheCopyingTeamIsNotReportedAgain() {
        let erinAgain = ReuseSubmission(key: "erin/features-v2", team: "erin", files: [ReuseFixtures.erin])
        let matches = ReuseDetector.find(submissions: [alice, erin, erinAgain], baseline: kit, minimumLines: 4)
        #expect(matches.map(\.later) == ["erin/features"])
    }
}
