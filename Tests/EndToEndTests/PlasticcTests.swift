import Foundation
import Testing

/// The `plasticc` template (light curves: an objects table of metadata, a table of
/// observations keyed by object, 14 classes in training and class 99 only among the test
/// objects) at its default size, through the real interfaces: init, a git push of the
/// starting kit, the sandboxed folds, the scores; `forkboard evaluate` in the clone;
/// `forkboard predict` on new objects given as a directory of files.
@Suite("PLAsTiCC-shaped challenge", .serialized)
struct PlasticcTests {
    @Test func theStartingKitIsScoredAsADirectComputationScoresItsPredictions() async throws {
        let hub = try await TestHub(template: "plasticc")
        let (clone, _, submission) = try await hub.startAndSubmitTheStartingKit()
        // Participants get the public training objects and their light curves.
        for file in ["data/training_set_metadata.csv", "data/training_set.csv", "feature_extractor.py", "classifier.py"] {
            #expect(FileManager.default.fileExists(atPath: clone.appendingPathComponent(file).path), "the clone has \(file)")
        }
        #expect(submission["state"] as? String == "scored", "\(submission)\n\(hub.logs())")
        let evaluation = try #require((submission["evaluations"] as? [[String: Any]])?.first)
        let folds = try #require(evaluation["folds"] as? [[String: Any]])
        #expect(folds.count == 3)

        // The same predictions, scored by an independent implementation of the definitions.
        let run = hub.home.appendingPathComponent("runs/alice/kit/classification")
        let output = hub.root.appendingPathComponent("direct.json")
        let script = CommandRunner.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Plasticc/score_directly.py").path
        let direct = try await CommandRunner.run("/bin/sh", ["-c", "\"$0\" \"$1\" \"$2\" \"$3\" > \"$4\"", CommandRunner.python, script,
                                                             hub.home.path, run.path, output.path])
        #expect(direct.status == 0, "\(direct.output)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let expectedFolds = try #require(expected["folds"] as? [[String: [String: Double]]])
        #expect(expectedFolds.count == folds.count)
        for (index, fold) in folds.enumerated() where index < expectedFolds.count {
            let scores = try #require(fold["scores"] as? [String: [String: Double]])
            for split in ["valid", "test"] {
                for (name, value) in expectedFolds[index][split] ?? [:] {
                    let actual = scores[split]?[name]
                    #expect(actual.map { abs($0 - value) <= 1e-9 * max(1, abs(value)) } == true,
                            "fold \(index) \(split) \(name): the hub's \(actual ?? .nan), directly \(value)")
                }
            }
        }
        let bagged = try #require(evaluation["scores"] as? [String: [String: Double]])
        let expectedBagged = try #require(expected["bagged"] as? [String: [String: Double]])
        for split in ["valid", "test"] {
            for (name, value) in expectedBagged[split] ?? [:] {
                let actual = bagged[split]?[name]
                #expect(actual.map { abs($0 - value) <= 1e-9 * max(1, abs(value)) } == true,
                        "bagged \(split) \(name): the hub's \(actual ?? .nan), directly \(value)")
            }
        }
        // Better than predicting every class alike (ln 15), which a broken cut would not be.
        let official = try #require(bagged["valid"]?["plasticc_log_loss"])
        #expect(official < log(15.0) * 0.8, "the starting kit learns: \(official)")

        // A participant's own evaluation, in the clone, on the public training objects.
        let evaluate = try await CommandRunner.run(CommandRunner.forkboard, ["evaluate", ".", "--quick", "--python", CommandRunner.python], in: clone)
        #expect(evaluate.status == 0, "\(evaluate.output)")
        #expect(evaluate.output.contains("valid_plasticc_log_loss"), "\(evaluate.output)")

        // New objects, given as the test files are (an objects file and its light curves).
        let newObjects = hub.root.appendingPathComponent("new-objects")
        try FileManager.default.createDirectory(at: newObjects, withIntermediateDirectories: true)
        let metadata = try String(contentsOf: hub.home.appendingPathComponent("data/private/test_set_metadata.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(11)
        try (metadata.joined(separator: "\n") + "\n").write(to: newObjects.appendingPathComponent("test_set_metadata.csv"), atomically: true, encoding: .utf8)
        let ids = Set(metadata.dropFirst().map { String($0.split(separator: ",")[0]) })
        let observations = try String(contentsOf: hub.home.appendingPathComponent("data/private/test_set.csv"), encoding: .utf8).split(separator: "\n")
        let kept = [observations[0]] + observations.dropFirst().filter { ids.contains(String($0.split(separator: ",")[0])) }
        try (kept.joined(separator: "\n") + "\n").write(to: newObjects.appendingPathComponent("test_set.csv"), atomically: true, encoding: .utf8)
        let predicted = hub.root.appendingPathComponent("predicted.csv")
        let predict = try await hub.forkboard(["predict", "alice/kit", "--input", newObjects.path, "--output", predicted.path, "--hub", hub.home.path])
        #expect(predict.status == 0, "\(predict.output)")
        let rows = try String(contentsOf: predicted, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "object_id,6,15,16,42,52,53,62,64,65,67,88,90,92,95,99", "a column per label, class 99 included")
        #expect(Set(rows.dropFirst().map { String($0.split(separator: ",")[0]) }) == ids, "one row per new object")
    }

    @Test func predictionsWithoutTheUnseenClassAreTheSubmissionsTestingError() async throws {
        let hub = try await TestHub(template: "plasticc") {
            $0.replacingOccurrences(of: "count: 3", with: "count: 2")
        }
        let token = try await hub.addTeam("mallory")
        try await hub.start()
        let clone = try await hub.clone("mallory", login: "mallory", token: token)
        // A classifier that writes predictions itself, without a column for class 99.
        var classifier = try String(contentsOf: clone.appendingPathComponent("classifier.py"), encoding: .utf8)
        classifier += """

            _fitted_predict = Classifier.predict_proba


            def _without_99(self, X):
                import os
                import sys
                probabilities = _fitted_predict(self, X)
                if "FORKBOARD_PREDICTIONS" in os.environ:
                    labels = [str(int(c)) for c in self.classes_ if int(c) != 99]
                    with open(os.environ["FORKBOARD_PREDICTIONS"], "w") as file:
                        file.write(",".join(["object_id"] + labels) + "\\n")
                        for index in range(len(X)):
                            file.write(",".join([str(index)] + ["0.1"] * len(labels)) + "\\n")
                    sys.stdout.flush()
                    os._exit(0)
                return probabilities


            Classifier.predict_proba = _without_99

            """
        let push = try await hub.submit("no-99", files: ["classifier.py": classifier], in: clone)
        #expect(push.status == 0, "\(push.output)")
        let final = try await hub.waitForFinalState(team: "mallory", name: "no-99")
        #expect(final["state"] as? String == "testing_error", "\(final)")
        let log = (final["evaluations"] as? [[String: Any]])?.first?["log"] as? String ?? ""
        #expect(log.contains("no column for the label(s) 99"), "\(log)")
    }

    @Test func dataThatCannotBeCutAreRefusedAtInitWhichLeavesNothing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-bad-data-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let template = root.appendingPathComponent("stray-observation")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CommandRunner.repositoryRoot.appendingPathComponent("templates/plasticc"), to: template)
        // The organisers' preparation writes an observation of an object that is not in the metadata.
        let script = template.appendingPathComponent("prepare_data.py")
        try (try String(contentsOf: script, encoding: .utf8) + """

            if __name__ == "__main__":
                with open(os.path.join(sys.argv[1], "public", "training_set.csv"), "a") as stray:
                    stray.write("987654321,60000.0,2,1.5,0.5,0\\n")

            """).write(to: script, atomically: true, encoding: .utf8)
        let home = root.appendingPathComponent("hub")
        let created = try await CommandRunner.run(CommandRunner.forkboard, ["init", home.path, "--template", template.path, "--python", CommandRunner.python])
        #expect(created.status != 0)
        #expect(created.output.contains("the data of question classification:") && created.output.contains("training_set.csv: line ")
                && created.output.contains("the id '987654321' is no object of training_set_metadata.csv"), "\(created.output)")
        #expect(!FileManager.default.fileExists(atPath: home.path), "nothing of the hub is left")
    }
}
