import Foundation
import Testing

/// `forkboard challenge check`: what an organiser learns before participants come.
@Suite("Checking a challenge", .serialized)
struct ChallengeCheckTests {
    @Test func aGoodHubPassesAndEachBrokenPartIsNamed() async throws {
        let hub = try await TestHub()
        let good = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(good.status == 0, "\(good.output)")
        #expect(
            good.output.contains("ok: question diagnosis: data: 455 training rows, 114 test rows (57 public, 57 private), 2 folds"), "\(good.output)")
        #expect(good.output.contains("ok: question diagnosis: starting kit: scored on a quick subset (bagged validation: roc_auc 0."))
        #expect(good.output.contains("warning: runtime: requirements.txt does not pin numpy>=2.0, pandas>=2.2, scikit-learn>=1.5"))

        // The starting kit's copy of the training rows differs from the hub's.
        let kitData = hub.home.appendingPathComponent("starting-kit/data/train.csv")
        let original = try Data(contentsOf: kitData)
        try (original + Data("extra,row\n".utf8)).write(to: kitData)
        let differs = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(differs.status != 0)
        #expect(
            differs.output.contains("error: question diagnosis: data: the starting kit's data/train.csv differs from data/public/train.csv"),
            "\(differs.output)")
        try original.write(to: kitData)

        // Test rows where participants would get them, and a label that is not declared.
        let configurationFile = hub.home.appendingPathComponent("challenge.yaml")
        let configuration = try String(contentsOf: configurationFile, encoding: .utf8)
        try FileManager.default.copyItem(
            at: hub.home.appendingPathComponent("data/private/test.csv"), to: hub.home.appendingPathComponent("data/public/test.csv"))
        try configuration.replacingOccurrences(of: "test: data/private/test.csv", with: "test: data/public/test.csv")
            .write(to: configurationFile, atomically: true, encoding: .utf8)
        let exposed = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(
            exposed.output.contains("error: question diagnosis: data: the test rows (data/public/test.csv) are not under data/private/"),
            "\(exposed.output)")
        #expect(exposed.output.contains("warning: starting kit: not run: fix the errors above first"), "the kit is not run on a failing challenge")
        try configuration.write(to: configurationFile, atomically: true, encoding: .utf8)
        let testFile = hub.home.appendingPathComponent("data/private/test.csv")
        var rows = try String(contentsOf: testFile, encoding: .utf8)
        rows = rows.replacingOccurrences(of: ",benign\n", with: ",harmless\n")
        try rows.write(to: testFile, atomically: true, encoding: .utf8)
        let label = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(label.status != 0)
        #expect(label.output.contains("target 'harmless' is not one of the labels"), "\(label.output)")
    }

    @Test func leakedTestRowsAndARuntimeWithoutItsRequirementsAreErrors() async throws {
        let hub = try await TestHub()
        let requirements = hub.home.appendingPathComponent("requirements.txt")
        let original = try String(contentsOf: requirements, encoding: .utf8)
        try (original + "lightgbm==4.5.0\n").write(to: requirements, atomically: true, encoding: .utf8)
        let lacking = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(lacking.status != 0)
        #expect(lacking.output.contains("error: runtime: requirements.txt names lightgbm, which the runtime lacks"), "\(lacking.output)")
        #expect(lacking.output.contains("warning: starting kit: not run: fix the errors above first"))
        try original.write(to: requirements, atomically: true, encoding: .utf8)

        // Every test row again in the public rows, under new ids.
        let train = hub.home.appendingPathComponent("data/public/train.csv")
        let testRows = try String(contentsOf: hub.home.appendingPathComponent("data/private/test.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.replacingOccurrences(of: "patient-", with: "copy-") }
        try (try String(contentsOf: train, encoding: .utf8) + testRows.joined(separator: "\n") + "\n").write(
            to: train, atomically: true, encoding: .utf8)
        let leaked = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(leaked.status != 0)
        #expect(
            leaked.output.contains("error: question diagnosis: data: 114 of the 114 test rows have exactly the features of public training rows"),
            "\(leaked.output)")
    }

    @Test func aTemplateIsMadeIntoAHubAndItsStartingKitRunInTheSandbox() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-check-test-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let template = root.appendingPathComponent("my-challenge")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CommandRunner.repositoryRoot.appendingPathComponent("templates/breast-cancer"), to: template)
        let classifier = template.appendingPathComponent("starting-kit/classifier.py")
        try "class Classifier:\n    def fit(self, X, y):\n        raise ValueError('the kit is not ready')\n"
            .write(to: classifier, atomically: true, encoding: .utf8)
        let broken = try await CommandRunner.run(CommandRunner.forkboard, ["challenge", "check", template.path], in: root)
        #expect(broken.status != 0)
        #expect(broken.output.contains("is a template: making a hub from it"), "\(broken.output)")
        #expect(broken.output.contains("error: question diagnosis: starting kit: training_error on a quick subset"), "\(broken.output)")
        #expect(broken.output.contains("the kit is not ready"))

        let yaml = template.appendingPathComponent("challenge.yaml")
        try (try String(contentsOf: yaml, encoding: .utf8)).replacingOccurrences(of: "title:", with: "titel:")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let invalid = try await CommandRunner.run(CommandRunner.forkboard, ["challenge", "check", template.path], in: root)
        #expect(invalid.status != 0)
        #expect(invalid.output.contains("error: template:") && invalid.output.contains("titel"), "\(invalid.output)")
    }
}
