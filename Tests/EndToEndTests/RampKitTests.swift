import Foundation
import Testing

/// RAMP kits run as they were published: `forkboard init --ramp-kit` on each kit of
/// `../shared/ramp-kits/`, then the kit's starting kit pushed with git and scored by the hub,
/// must give the per-fold and bagged scores that `ramp-test --submission starting_kit` gives
/// (`RampKits/<kit>.json`, made by `RampKits/make_expected.py`). Nothing here is specific to
/// one kit: the score types are matched by position with the kit's.
@Suite("RAMP kits, unchanged", .serialized, .enabled(if: SharedRampKits.directory != nil, "../shared/ramp-kits is not beside the repository"))
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

    @Test func eachKitsStartingKitScoresAsRampTestDoes() async throws {
        let kits = try #require(SharedRampKits.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: kits.path).sorted()
            .filter { FileManager.default.fileExists(atPath: kits.appendingPathComponent("\($0)/problem.py").path) }
        #expect(names.count >= 2)
        // The first hub builds its runtime from its kit's requirements (ramp-workflow added);
        // the others reuse it.
        var environment = CommandRunner.environment
        environment.removeValue(forKey: "FORKBOARD_PYTHON")
        var hubs: [TestHub] = []  // (the first one's runtime serves the others)
        for name in names {
            let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: CommandRunner.repositoryRoot
                .appendingPathComponent("Tests/EndToEndTests/RampKits/\(name).json")))
            // (RAMP's 15 minutes between a team's submissions would hold the second one.)
            let hub = try await TestHub(rampKit: kits.appendingPathComponent(name), environment: environment) {
                $0.replacingOccurrences(of: "minimum_interval_seconds: 900", with: "minimum_interval_seconds: 0")
            }
            hubs.append(hub)
            if environment["FORKBOARD_PYTHON"] == nil {
                environment["FORKBOARD_PYTHON"] = hub.home.appendingPathComponent("runtime/python/bin/python").path
            }
            let configuration = try String(contentsOf: hub.home.appendingPathComponent("challenge.yaml"), encoding: .utf8)
            let scoreTypes = try #require(configuration.firstMatch(of: /score_types: \[([^\]]*)\]/)).1
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(scoreTypes.count == expected.scoreNames.count, "\(name): one score type per kit score type")
            let forkboardName = Dictionary(uniqueKeysWithValues: zip(expected.scoreNames, scoreTypes))

            let token = try await hub.addTeam("alice")
            try await hub.start()
            let clone = try await hub.clone("alice", login: "alice", token: token)
            #expect(try await CommandRunner.git(["tag", "submission-starting-kit"], in: clone).status == 0)
            let push = try await CommandRunner.git(["push", "origin", "submission-starting-kit"], in: clone)
            #expect(push.status == 0, "\(push.output)")
            let scored = try await hub.waitForFinalState(team: "alice", name: "starting-kit")
            #expect(scored["state"] as? String == "scored", "\(name): \(scored)")
            let evaluation = try #require((scored["evaluations"] as? [[String: Any]])?.first)
            let folds = try #require(evaluation["folds"] as? [[String: Any]])
            #expect(folds.count == expected.folds.count, "\(name): the kit's folds")
            for (index, fold) in folds.enumerated() where index < expected.folds.count {
                let scores = try #require(fold["scores"] as? [String: [String: Double]])
                for split in ["valid", "test"] {
                    for (kitName, value) in expected.folds[index][split] ?? [:] {
                        let actual = scores[split]?[forkboardName[kitName] ?? "?"]
                        #expect(actual.map { abs($0 - value) <= 1e-9 * max(1, abs(value)) } == true,
                                "\(name) fold \(index) \(split) \(kitName): \(actual ?? .nan) instead of ramp-test's \(value)")
                    }
                }
            }
            let bagged = try #require(evaluation["scores"] as? [String: [String: Double]])
            for split in ["valid", "test"] {
                for (kitName, value) in expected.bagged[split] ?? [:] {
                    let actual = bagged[split]?[forkboardName[kitName] ?? "?"]
                    #expect(actual.map { abs($0 - value) <= 1e-9 * max(1, abs(value)) } == true,
                            "\(name) bagged \(split) \(kitName): \(actual ?? .nan) instead of ramp-test's \(value)")
                }
            }

            // The kit's other submissions, pushed as a team's: each ends scored or with its own error.
            let bobToken = try await hub.addTeam("bob")
            let bob = try await hub.clone("bob", login: "bob", token: bobToken)
            let submissions = kits.appendingPathComponent("\(name)/submissions")
            for other in try FileManager.default.contentsOfDirectory(atPath: submissions.path).sorted() where other != "starting_kit" {
                var files: [String: String] = [:]
                for file in try FileManager.default.contentsOfDirectory(atPath: submissions.appendingPathComponent(other).path) where file.hasSuffix(".py") {
                    files[file] = try String(contentsOf: submissions.appendingPathComponent("\(other)/\(file)"), encoding: .utf8)
                }
                let tag = other.replacingOccurrences(of: "_", with: "-")
                #expect(try await hub.submit(tag, files: files, in: bob).status == 0)
                let state = try await hub.waitForFinalState(team: "bob", name: tag)["state"] as? String
                #expect(["scored", "training_error", "testing_error"].contains(state ?? ""), "\(name)/\(other): \(state ?? "none")")
            }
            hub.stop()
        }
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
