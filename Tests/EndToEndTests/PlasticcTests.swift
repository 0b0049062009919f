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
        // Its 3 folds and their test predictions take minutes beside the other tests on 2 cores.
        let (clone, _, submission) = try await hub.startAndSubmitTheStartingKit(timeout: 900)
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
        let direct = try await CommandRunner.run(
            "/bin/sh",
            [
                "-c", "\"$0\" \"$1\" \"$2\" \"$3\" > \"$4\"", CommandRunner.python, script,
                hub.home.path, run.path, output.path,
            ])
        #expect(direct.status == 0, "\(direct.output)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let expectedFolds = try #require(expected["folds"] as? [[String: [String: Double]]])
        #expect(expectedFolds.count == folds.count)
        for (index, fold) in folds.enumerated() where index < expectedFolds.count {
            let scores = try #require(fold["scores"] as? [String: [String: Double]])
            #expect(expectedFolds[index]["valid"]?.count == 3)
            for (name, value) in expectedFolds[index]["valid"] ?? [:] {
                let actual = scores["valid"]?[name]
                #expect(
                    actual.map { abs($0 - value) <= 1e-9 * max(1, abs(value)) } == true,
                    "fold \(index) valid \(name): the hub's \(actual ?? .nan), directly \(value)")
            }
        }
        let bagged = try #require(evaluation["scores"] as? [String: [String: Double]])
        let expectedBagged = try #require(expected["bagged"] as? [String: [String: Double]])
        // The bagged test predictions are kept in 32 bits: scored from them, to that precision.
        for (split, tolerance) in [("valid", 1e-9), ("test", 1e-5)] {
            #expect(expectedBagged[split]?.count == 3)
            for (name, value) in expectedBagged[split] ?? [:] {
                let actual = bagged[split]?[name]
                #expect(
                    actual.map { abs($0 - value) <= tolerance * max(1, abs(value)) } == true,
                    "bagged \(split) \(name): the hub's \(actual ?? .nan), directly \(value)")
            }
        }
        // Better than predicting every class alike (ln 15), which a broken cut would not be.
        let official = try #require(bagged["valid"]?["plasticc_log_loss"])
        #expect(official < log(15.0) * 0.8, "the starting kit learns: \(official)")

        // A participant's own evaluation, in the clone, on the public training objects.
        let evaluate = try await CommandRunner.run(
            CommandRunner.forkboard, ["evaluate", ".", "--quick", "--python", CommandRunner.python], in: clone)
        #expect(evaluate.status == 0, "\(evaluate.output)")
        #expect(evaluate.output.contains("valid_plasticc_log_loss"), "\(evaluate.output)")

        // New objects, given as the test files are (an objects file and its light curves).
        let newObjects = hub.root.appendingPathComponent("new-objects")
        try FileManager.default.createDirectory(at: newObjects, withIntermediateDirectories: true)
        let metadata = try String(contentsOf: hub.home.appendingPathComponent("data/private/test_set_metadata.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(11)
        try (metadata.joined(separator: "\n") + "\n").write(
            to: newObjects.appendingPathComponent("test_set_metadata.csv"), atomically: true, encoding: .utf8)
        let ids = Set(metadata.dropFirst().map { String($0.split(separator: ",")[0]) })
        let observations = try String(contentsOf: hub.home.appendingPathComponent("data/private/test_set.csv"), encoding: .utf8).split(
            separator: "\n")
        let kept = [observations[0]] + observations.dropFirst().filter { ids.contains(String($0.split(separator: ",")[0])) }
        try (kept.joined(separator: "\n") + "\n").write(to: newObjects.appendingPathComponent("test_set.csv"), atomically: true, encoding: .utf8)
        let predicted = hub.root.appendingPathComponent("predicted.csv")
        let predict = try await hub.forkboard([
            "predict", "alice/kit", "--input", newObjects.path, "--output", predicted.path, "--hub", hub.home.path,
        ])
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
        try
            (try String(contentsOf: script, encoding: .utf8) + """

                if __name__ == "__main__":
                    with open(os.path.join(sys.argv[1], "public", "training_set.csv"), "a") as stray:
                        stray.write("987654321,60000.0,2,1.5,0.5,0\\n")

                """).write(to: script, atomically: true, encoding: .utf8)
        let home = root.appendingPathComponent("hub")
        let created = try await CommandRunner.run(
            CommandRunner.forkboard, ["init", home.path, "--template", template.path, "--python", CommandRunner.python])
        #expect(created.status != 0)
        #expect(
            created.output.contains("the data of question classification:") && created.output.contains("training_set.csv: line ")
                && created.output.contains("the id '987654321' is no object of training_set_metadata.csv"), "\(created.output)")
        #expect(!FileManager.default.fileExists(atPath: home.path), "nothing of the hub is left")
    }

    /// challenge.yaml with a second question, `sharded`: the same data and workflow, its test
    /// objects in `shards` shards (`shardsOnly`: that question alone).
    static func withShardedQuestion(_ text: String, shards: Int, shardsOnly: Bool = false) -> String {
        guard let start = text.range(of: "  - name: classification\n"), let end = text.range(of: "\nphases:") else { return text }
        let question = String(text[start.lowerBound..<end.lowerBound])
        let sharded = question.replacingOccurrences(
            of: "  - name: classification\n", with: "  - name: sharded\n    test_shards: {count: \(shards)}\n")
        return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: shardsOnly ? sharded : question + "\n" + sharded)
    }

    @Test func testShardsRunInParallelOnTheWorkersAndScoreAsOneRunDoes() async throws {
        let hub = try await TestHub(template: "plasticc") { Self.withShardedQuestion($0, shards: 3) }
        // What one submission costs at full size, projected from the starting kit's quick run.
        let check = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("Cost of one submission of question sharded at its full size"), "\(check.output)")
        #expect(check.output.contains("objects                           1000 training, 2000 test; 3 folds, 3 test shard(s)"), "\(check.output)")
        #expect(check.output.contains("wall time, 2 worker(s) or nodes"))
        let token = try await hub.addTeam("alice")
        try await hub.start(workers: 2)
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("kit", in: clone).status == 0)
        // While it runs, its JSON says which runs ended, run or wait.
        var seenProgress: [[String: String]] = []
        for _ in 0..<600 {
            let response = try await hub.get("/api/v1/submissions/alice/kit", login: "alice", token: token)
            let json = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
            let progress = ((json?["evaluations"] as? [[String: Any]]) ?? []).compactMap { $0["progress"] as? [[String: String]] }
            if let partial = progress.first(where: { tasks in
                tasks.contains { $0["state"] == "succeeded" } && tasks.contains { $0["state"] == "running" || $0["state"] == "queued" }
            }) {
                seenProgress = partial
                break
            }
            if let state = json?["state"] as? String, !["new", "queued", "training", "testing"].contains(state) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(seenProgress.first?["task"] == "fold-0/train", "the runs in the job's order: \(seenProgress)")
        #expect(seenProgress.contains { $0["task"] == "fold-2/shard-2" } || seenProgress.contains { $0["task"] == "fold-2/predict" })
        let submission = try await hub.waitForFinalState(team: "alice", name: "kit", timeout: 600)
        let evaluations = try #require(submission["evaluations"] as? [[String: Any]])
        let byQuestion = Dictionary(
            uniqueKeysWithValues: evaluations.compactMap { evaluation in
                (evaluation["question"] as? String).map { ($0, evaluation) }
            })
        let whole = try #require(byQuestion["classification"])
        let sharded = try #require(byQuestion["sharded"])
        #expect(whole["state"] as? String == "scored" && sharded["state"] as? String == "scored", "\(evaluations)\n\(hub.logs())")
        // The same models predicting the same objects, three shards at a time: the same scores.
        let wholeScores = try #require(whole["scores"] as? [String: [String: Double]])
        let shardedScores = try #require(sharded["scores"] as? [String: [String: Double]])
        #expect(!(wholeScores["test"] ?? [:]).isEmpty)
        for (split, scores) in wholeScores {
            for (name, value) in scores {
                let other = shardedScores[split]?[name]
                #expect(
                    other.map { abs($0 - value) <= 1e-12 * max(1, abs(value)) } == true, "\(split) \(name): whole \(value), sharded \(other ?? .nan)")
            }
        }
        let wholeFolds = try #require(whole["folds"] as? [[String: Any]])
        let shardedFolds = try #require(sharded["folds"] as? [[String: Any]])
        for (one, other) in zip(wholeFolds, shardedFolds) {
            let oneTest = (one["scores"] as? [String: [String: Double]])?["test"]
            let otherTest = (other["scores"] as? [String: [String: Double]])?["test"]
            #expect(oneTest != nil && oneTest == otherTest, "each fold's test scores")
        }
        // Each fold's model predicted each shard in its own run, in the job's directory; what is
        // kept is stored (each fold's validation predictions, the bagged test predictions), the
        // runs' predictions files are gone.
        let run = hub.home.appendingPathComponent("runs/alice/kit/sharded")
        for fold in 0..<3 {
            for shard in 0..<3 {
                #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("fold-\(fold)/shard-\(shard)/predict.json").path))
                #expect(
                    !FileManager.default.fileExists(atPath: run.appendingPathComponent("fold-\(fold)/shard-\(shard)/output/predictions.csv").path))
            }
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("fold-\(fold)/validation.predictions").path))
        }
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("test.predictions").path))
        // The measured cost beside the projection.
        let resources = try await hub.forkboard(["resources", "--hub", hub.home.path])
        #expect(resources.output.contains("Question sharded: 'challenge check' projected"), "\(resources.output)")
        // Both workers ran tasks of the sharded evaluation.
        let log = hub.logs(lines: 400)
        #expect(log.contains("helping with task fold-"), "another worker took tasks: \(log)")
    }

    @Test func aFailedShardIsNamedInTheSubmissionsTestingError() async throws {
        let hub = try await TestHub(template: "plasticc") {
            Self.withShardedQuestion($0.replacingOccurrences(of: "count: 3", with: "count: 2"), shards: 4, shardsOnly: true)
        }
        // An object of the last shard: the feature extractor fails on it.
        let metadata = try String(contentsOf: hub.home.appendingPathComponent("data/private/test_set_metadata.csv"), encoding: .utf8)
            .split(separator: "\n")
        let victim = String(try #require(metadata.last).split(separator: ",")[0])
        let token = try await hub.addTeam("bob")
        try await hub.start()
        let clone = try await hub.clone("bob", login: "bob", token: token)
        var extractor = try String(contentsOf: clone.appendingPathComponent("feature_extractor.py"), encoding: .utf8)
        extractor += """

            _transform = FeatureExtractor.transform


            def _failing(self, metadata, light_curves):
                if \(victim) in set(metadata["object_id"]):
                    raise RuntimeError("this object breaks the features")
                return _transform(self, metadata, light_curves)


            FeatureExtractor.transform = _failing

            """
        #expect(try await hub.submit("fragile", files: ["feature_extractor.py": extractor], in: clone).status == 0)
        let final = try await hub.waitForFinalState(team: "bob", name: "fragile")
        #expect(final["state"] as? String == "testing_error", "\(final)")
        let log = (final["evaluations"] as? [[String: Any]])?.first?["log"] as? String ?? ""
        #expect(log.contains("fold 0, test shard 3: predict exited with status 1") && log.contains("this object breaks the features"), "\(log)")
    }
}
