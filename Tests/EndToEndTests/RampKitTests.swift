import Challenge
import Foundation
import Testing

/// RAMP kits run as they were published: `forkboard init --ramp-kit` on each kit of
/// `../shared/ramp-kits/` and on two kits made here from scikit-learn's data
/// (`RampKits/make_kits.py`: light curves as array-valued columns, float labels for integer
/// targets, a lambda in the starting kit's pipeline, a score type without a built-in
/// equivalent; a regression with `RelativeRMSE`), then the kit's starting kit pushed with git
/// and scored by the hub, must give the per-fold and bagged scores that `ramp-test
/// --submission starting_kit` gives (for the published kits `RampKits/<kit>.json`, made by
/// `RampKits/make_expected.py`; for the made ones, `make_expected.py --kit` run now with the
/// hub's runtime). Nothing here is specific to one kit: the score types are matched by
/// position with the kit's.
@Suite("RAMP kits, unchanged", .serialized)
struct RampKitTests {
    struct Expected: Decodable {
        let folds: [[String: [String: Double]]]
        let bagged: [String: [String: Double]]
        let scoreNames: [String]

        enum CodingKeys: String, CodingKey {
            case folds, bagged
            case scoreNames = "score_names"
        }
    }

    /// A kit to run: where it is, and its expected scores when they are committed.
    struct Kit {
        let name: String
        let directory: URL
        let expected: URL?
    }

    @Test func eachKitsStartingKitScoresAsRampTestDoes() async throws {
        var kits: [Kit] = []
        if let shared = SharedRampKits.directory {
            kits += try FileManager.default.contentsOfDirectory(atPath: shared.path).sorted()
                .filter { FileManager.default.fileExists(atPath: shared.appendingPathComponent("\($0)/problem.py").path) }
                .map {
                    Kit(
                        name: $0, directory: shared.appendingPathComponent($0),
                        expected: CommandRunner.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/RampKits/\($0).json"))
                }
            #expect(kits.count >= 2)
        } else {
            print("../shared/ramp-kits is not beside the repository: only the kits made here run")
        }
        let made = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-made-kits-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: made) }
        let making = try await CommandRunner.run(
            CommandRunner.python,
            [
                CommandRunner.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/RampKits/make_kits.py").path, made.path,
            ])
        #expect(making.status == 0, "\(making.output)")
        kits += ["light_curves", "regression"].map { Kit(name: $0, directory: made.appendingPathComponent($0), expected: nil) }

        // The first hub builds its runtime from its kit's requirements (ramp-workflow added);
        // the others reuse it.
        var environment = CommandRunner.environment
        environment.removeValue(forKey: "FORKBOARD_PYTHON")
        // The organisers' own pins, added without editing the kit.
        let constraints = made.appendingPathComponent("constraints.txt")
        try Data("scikit-learn>=1.5\n".utf8).write(to: constraints)
        var hubs: [TestHub] = []  // (the first one's runtime serves the others)
        for kit in kits {
            let constrained = kit.name == "light_curves"
            // (RAMP's 15 minutes between a team's submissions would hold the second one.)
            let hub = try await TestHub(
                rampKit: kit.directory, environment: environment,
                initArguments: constrained ? ["--constraints", constraints.path] : []
            ) {
                $0.replacingOccurrences(of: "minimum_interval_seconds: 900", with: "minimum_interval_seconds: 0")
            }
            hubs.append(hub)
            if environment["FORKBOARD_PYTHON"] == nil {
                environment["FORKBOARD_PYTHON"] = hub.home.appendingPathComponent("runtime/python/bin/python").path
            }
            let expected = try await Self.expected(kit, python: environment["FORKBOARD_PYTHON"]!, scratch: made)
            let question = try #require(try ChallengeConfiguration.load(from: hub.home.appendingPathComponent("challenge.yaml")).questions.first)
            #expect(question.scoreTypes.count == expected.scoreNames.count, "\(kit.name): one score type per kit score type")
            let forkboardName = Dictionary(uniqueKeysWithValues: zip(expected.scoreNames, question.scoreTypes))
            if constrained {
                let requirements = try String(contentsOf: hub.home.appendingPathComponent("requirements.txt"), encoding: .utf8)
                #expect(
                    requirements.contains("# Added by the organisers (init --constraints constraints.txt):\nscikit-learn>=1.5\n"), "\(requirements)")
                #expect(!question.scorePrograms.isEmpty, "the kit's MacroAveragedRecall runs as the kit's own class")
                let check = try await hub.forkboard(["challenge", "check", hub.home.path])
                #expect(check.output.contains("warning: runtime: requirements.txt does not pin"), "\(check.output)")
                #expect(check.output.contains("ok: question light_curves: starting kit: scored on a quick subset"), "\(check.output)")
            }

            let token = try await hub.addTeam("alice")
            try await hub.start()
            let clone = try await hub.clone("alice", login: "alice", token: token)
            #expect(try await CommandRunner.git(["tag", "submission-starting-kit"], in: clone).status == 0)
            let push = try await CommandRunner.git(["push", "origin", "submission-starting-kit"], in: clone)
            #expect(push.status == 0, "\(push.output)")
            let scored = try await hub.waitForFinalState(team: "alice", name: "starting-kit")
            #expect(scored["state"] as? String == "scored", "\(kit.name): \(scored)")
            let evaluation = try #require((scored["evaluations"] as? [[String: Any]])?.first)
            let folds = try #require(evaluation["folds"] as? [[String: Any]])
            #expect(folds.count == expected.folds.count, "\(kit.name): the kit's folds")
            for (index, fold) in folds.enumerated() where index < expected.folds.count {
                let scores = try #require(fold["scores"] as? [String: [String: Double]])
                for split in ["valid", "test"] {
                    for (kitName, value) in expected.folds[index][split] ?? [:] {
                        let actual = scores[split]?[forkboardName[kitName] ?? "?"]
                        #expect(
                            actual.map { abs($0 - value) <= 1e-9 * max(1, abs(value)) } == true,
                            "\(kit.name) fold \(index) \(split) \(kitName): \(actual ?? .nan) instead of ramp-test's \(value)")
                    }
                }
            }
            let bagged = try #require(evaluation["scores"] as? [String: [String: Double]])
            for split in ["valid", "test"] {
                for (kitName, value) in expected.bagged[split] ?? [:] {
                    let actual = bagged[split]?[forkboardName[kitName] ?? "?"]
                    #expect(
                        actual.map { abs($0 - value) <= 1e-9 * max(1, abs(value)) } == true,
                        "\(kit.name) bagged \(split) \(kitName): \(actual ?? .nan) instead of ramp-test's \(value)")
                }
            }

            // The kit's other submissions, pushed as a team's: each ends scored or with its own error.
            let bobToken = try await hub.addTeam("bob")
            let bob = try await hub.clone("bob", login: "bob", token: bobToken)
            let submissions = kit.directory.appendingPathComponent("submissions")
            for other in try FileManager.default.contentsOfDirectory(atPath: submissions.path).sorted() where other != "starting_kit" {
                var files: [String: String] = [:]
                for file in try FileManager.default.contentsOfDirectory(atPath: submissions.appendingPathComponent(other).path)
                where file.hasSuffix(".py") {
                    files[file] = try String(contentsOf: submissions.appendingPathComponent("\(other)/\(file)"), encoding: .utf8)
                }
                let tag = other.replacingOccurrences(of: "_", with: "-")
                #expect(try await hub.submit(tag, files: files, in: bob).status == 0)
                let state = try await hub.waitForFinalState(team: "bob", name: tag)["state"] as? String
                #expect(["scored", "training_error", "testing_error"].contains(state ?? ""), "\(kit.name)/\(other): \(state ?? "none")")
            }
            hub.stop()
        }
    }

    /// The kit's expected scores: committed, or what `ramp-test` gives now with `python`'s
    /// ramp-workflow (`make_expected.py --kit`, which runs it on a copy of the kit).
    static func expected(_ kit: Kit, python: String, scratch: URL) async throws -> Expected {
        if let file = kit.expected { return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: file)) }
        let output = scratch.appendingPathComponent("\(kit.name)-expected.json")
        let script = CommandRunner.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/RampKits/make_expected.py").path
        let run = try await CommandRunner.run(
            "/bin/sh", ["-c", "\"$0\" \"$1\" --kit \"$2\" > \"$3\"", python, script, kit.directory.path, output.path])
        guard run.status == 0 else { throw TestHubError("ramp-test on \(kit.name) failed: \(run.output)") }
        return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: output))
    }
}

/// The published RAMP kits the tests read (never change): `../shared/ramp-kits`.
enum SharedRampKits {
    /// `../shared/ramp-kits` beside the repository root, when it is there.
    static let directory: URL? = {
        let directory = CommandRunner.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/ramp-kits")
        return FileManager.default.fileExists(atPath: directory.path) ? directory : nil
    }()
}
