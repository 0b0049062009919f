import Challenge
import Evaluation
import Foundation
import ScoreTypes
import Testing

/// A question of several files (docs/data.md): an objects table, a table of observations keyed
/// by object, a directory of per-object files. The cut gives each step exactly its objects.
@Suite("Data of several files, keyed by object")
struct ObjectDataTests {
    /// 30 training objects (o0...o29, classes a/b/c) and 12 test objects (t0...t11), each
    /// with `observations` rows (1 to 4 per object) and a file `<id>.npy`.
    struct Fixture {
        let root: URL
        let question: Question

        init(
            folds: FoldScheme = FoldScheme(method: .stratifiedKFold, count: 3, seed: 7), unseenLabels: [String] = [],
            labels: [String] = ["a", "b", "c"], testShards: TestShards? = nil, edit: (URL) throws -> Void = { _ in }
        ) throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("objects-\(UUID().uuidString.prefix(8))")
            self.root = root
            let fileManager = FileManager.default
            for directory in ["data/public/spectra", "data/private/spectra"] {
                try fileManager.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
            }
            func write(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: root.appendingPathComponent(path)) }
            let classes = ["a", "b", "c"]
            var trainObjects = "object_id,ra,\"note, quoted\",target\n"
            var trainObservations = "object_id,mjd,flux\n"
            for index in 0..<30 {
                trainObjects += "o\(index),\(Double(index) * 1.5),\"n \"\"\(index)\"\"\",\(classes[index % 3])\n"
                for step in 0...(index % 4) { trainObservations += "o\(index),\(59_000 + step),\(index * 10 + step)\n" }
                try write("data/public/spectra/o\(index).npy", "spectrum of o\(index)")
            }
            var testObjects = "object_id,target,ra,\"note, quoted\"\n"  // another column order
            var testObservations = "object_id,mjd,flux\r\n"
            for index in 0..<12 {
                testObjects += "t\(index),\(classes[(index + 1) % 3]),\(Double(index) * -2),n\(index)\n"
                for step in 0...(index % 3) { testObservations += "t\(index),\(60_000 + step),\(-index * 10 - step)\r\n" }
                try write("data/private/spectra/t\(index).npy", "spectrum of t\(index)")
            }
            try write("data/public/train.csv", trainObjects)
            try write("data/public/observations.csv", trainObservations)
            try write("data/private/test.csv", testObjects)
            try write("data/private/observations.csv", testObservations)
            try edit(root)
            question = Question(
                name: "objects", kind: .classification, labels: labels, idColumn: "object_id", targetColumn: "target",
                scoreTypes: ["accuracy"], folds: folds, requiredFiles: [], trainData: "data/public/train.csv",
                testData: "data/private/test.csv", trainCommand: ["true"], predictCommand: ["true"], startingKitData: "data",
                tables: [ObjectTable(name: "observations", train: "data/public/observations.csv", test: "data/private/observations.csv")],
                fileDirectories: [ObjectFileDirectory(name: "spectra", train: "data/public/spectra", test: "data/private/spectra", suffix: ".npy")],
                unseenLabels: unseenLabels, testShards: testShards)
        }

        var files: QuestionFiles { .hub(home: root, question: question) }

        func load() throws -> QuestionData { try QuestionData.load(files: files, question: question) }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func table(_ url: URL) throws -> CSVTable { try CSVTable.read(url) }

    @Test func eachStepSeesExactlyItsObjectsRowsAndFiles() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let data = try fixture.load()
        #expect(data.trainIDs.count == 30 && data.testIDs.count == 12)
        let summary = try DataScan.check(data)
        #expect(summary.tableRows.map(\.train) == [73] && summary.tableRows.map(\.test) == [24])
        #expect(summary.files.map(\.train) == [30] && summary.files.map(\.test) == [12])
        #expect(summary.warnings.isEmpty)

        let cache = fixture.root.appendingPathComponent("runs/.inputs")
        let stamp = FoldInputs.stamp(files: fixture.files, question: fixture.question)
        let directory = try FoldInputs.withInputs(of: data, cacheDirectory: cache, stamp: stamp) { $0 }
        for (index, fold) in data.folds.enumerated() {
            let train = directory.appendingPathComponent("fold-\(index)/train")
            let predict = directory.appendingPathComponent("fold-\(index)/predict")
            let trainObjects = try Self.table(train.appendingPathComponent("train.csv"))
            #expect(trainObjects.header == ["object_id", "ra", "note, quoted", "target"])
            #expect(trainObjects.rows.map { $0[0] } == fold.trainRows.map { data.trainIDs[$0] }, "the fold's training objects in its order")
            #expect(trainObjects.rows.first.map { $0[2].hasPrefix("n \"") } == true, "quoted fields are kept as they were")
            let predictObjects = try Self.table(predict.appendingPathComponent("predict.csv"))
            #expect(predictObjects.header == ["object_id", "ra", "note, quoted"], "no target, the training file's column order")
            let predicted = fold.validationRows.map { data.trainIDs[$0] } + data.testIDs
            #expect(predictObjects.rows.map { $0[0] } == predicted, "validation objects, then the test objects")
            #expect(predictObjects.rows.last == ["t11", "-22.0", "n11"], "test columns mapped by name")

            let trainSet = Set(trainObjects.rows.map { $0[0] })
            let predictSet = Set(predicted)
            #expect(trainSet.isDisjoint(with: predictSet), "a step never sees an object it predicts")
            let trainObservations = try Self.table(train.appendingPathComponent("observations.csv"))
            #expect(trainObservations.header == ["object_id", "mjd", "flux"])
            #expect(Set(trainObservations.rows.map { $0[0] }) == trainSet)
            #expect(trainObservations.rows.count == fold.trainRows.reduce(0) { $0 + $1 % 4 + 1 }, "every row of those objects")
            let predictObservations = try Self.table(predict.appendingPathComponent("observations.csv"))
            #expect(Set(predictObservations.rows.map { $0[0] }) == predictSet)
            #expect(predictObservations.rows.count == fold.validationRows.reduce(0) { $0 + $1 % 4 + 1 } + 24)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: train.appendingPathComponent("spectra").path).sorted()
                    == trainSet.map { "\($0).npy" }.sorted())
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: predict.appendingPathComponent("spectra").path).sorted()
                    == predictSet.map { "\($0).npy" }.sorted())
            let linked = try String(contentsOf: predict.appendingPathComponent("spectra/t3.npy"), encoding: .utf8)
            #expect(linked == "spectrum of t3")
        }
        // Cut once: a second call with the same stamp keeps the directory as it is.
        let marker = directory.appendingPathComponent("fold-0/marker")
        try Data().write(to: marker)
        _ = try FoldInputs.withInputs(of: data, cacheDirectory: cache, stamp: stamp) { $0 }
        #expect(FileManager.default.fileExists(atPath: marker.path))
        _ = try FoldInputs.withInputs(of: data, cacheDirectory: cache, stamp: stamp + "changed") { $0 }
        #expect(!FileManager.default.fileExists(atPath: marker.path), "other data: cut again")
    }

    @Test func aQuestionOfOneTableIsCutAsBefore() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let files = QuestionFiles.table(
            train: fixture.root.appendingPathComponent("data/public/train.csv"),
            test: fixture.root.appendingPathComponent("data/private/test.csv"))
        let data = try QuestionData.load(files: files, question: fixture.question)
        let directory = try FoldInputs.withInputs(of: data, cacheDirectory: fixture.root.appendingPathComponent("cache"), stamp: "s") { $0 }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("fold-0/train").path) == ["train.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("fold-0/predict").path) == ["predict.csv"])
    }

    @Test func targetsMatchLabelsAsNumbersAndAreWrittenAsTheLabels() throws {
        let fixture = try Fixture(labels: ["1.0", "2.0", "3.0"]) { root in
            let file = root.appendingPathComponent("data/public/train.csv")
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: ",a\n", with: ",1\n").replacingOccurrences(of: ",b\n", with: ",2\n")
                .replacingOccurrences(of: ",c\n", with: ",3.00\n").write(to: file, atomically: true, encoding: .utf8)
            let test = root.appendingPathComponent("data/private/test.csv")
            let testText = try String(contentsOf: test, encoding: .utf8)
            try testText.replacingOccurrences(of: ",a,", with: ",1,").replacingOccurrences(of: ",b,", with: ",2,")
                .replacingOccurrences(of: ",c,", with: ",3,").write(to: test, atomically: true, encoding: .utf8)
        }
        defer { fixture.remove() }
        #expect(LabelIndex(labels: ["1.0", "2.0", "3.0"]).index(of: "3") == 2)
        #expect(LabelIndex(labels: ["1.0", "2.0", "3.0"]).index(of: "4") == nil)
        let data = try fixture.load()
        guard case .classes(let classes, _) = data.trainTruth else { Issue.record("classification truth"); return }
        #expect(classes.prefix(3) == [0, 1, 2])
        let directory = try FoldInputs.withInputs(of: data, cacheDirectory: fixture.root.appendingPathComponent("cache"), stamp: "s") { $0 }
        let train = try Self.table(directory.appendingPathComponent("fold-0/train/train.csv"))
        #expect(Set(train.rows.map { $0[3] }) == ["1.0", "2.0", "3.0"], "the training input gives each target as its label")
    }

    @Test(arguments: [
        ("data/public/observations.csv", "object_id,mjd,flux\no1,1,1\nx9,2,2\n", "line 3: the id 'x9' is no object of train.csv"),
        ("data/public/observations.csv", "id,mjd,flux\no1,1,1\n", "has no id column 'object_id'"),
        ("data/public/observations.csv", "object_id,mjd,target\no1,1,a\n", "has the target column 'target'"),
        ("data/public/observations.csv", "object_id,mjd,flux\no1,1,1\n", "object(s) of train.csv have no row here (the first: 'o0')"),
        ("data/private/observations.csv", "object_id,flux,mjd\nt0,1,1\n", "line 1: its columns (object_id,flux,mjd) differ from observations.csv's"),
        ("data/public/spectra/o99.npy", "stray", "o99.npy: names no object of train.csv"),
    ])
    func badDataNamesTheFileTheLineAndWhatToDo(path: String, contents: String, expected: String) throws {
        let fixture = try Fixture { root in try Data(contents.utf8).write(to: root.appendingPathComponent(path)) }
        defer { fixture.remove() }
        let error = #expect(throws: QuestionData.DataError.self) { try DataScan.check(try fixture.load()) }
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(path) == true, "names the file: \(error?.description ?? "")")
    }

    @Test func anUnseenLabelIsRefusedInTrainingAndAMissingFileIsAWarning() throws {
        let unseen = try Fixture(unseenLabels: ["c"])
        defer { unseen.remove() }
        let error = #expect(throws: QuestionData.DataError.self) { try DataScan.check(try unseen.load()) }
        #expect(error?.description.contains("the training object 'o2' has the label 'c', which unseen_labels keeps for test objects") == true)

        let missing = try Fixture { root in try FileManager.default.removeItem(at: root.appendingPathComponent("data/private/spectra/t4.npy")) }
        defer { missing.remove() }
        let summary = try DataScan.check(try missing.load())
        #expect(summary.warnings.count == 1 && summary.warnings[0].contains("1 object(s) of test.csv have no file '<id>.npy' here (the first: 't4')"))
    }

    @Test func aFailedCutLeavesNoInputsBehind() throws {
        let fixture = try Fixture { root in
            try Data("object_id,mjd,flux\no1,1,1\nghost,2,2\n".utf8).write(to: root.appendingPathComponent("data/public/observations.csv"))
        }
        defer { fixture.remove() }
        let cache = fixture.root.appendingPathComponent("cache")
        #expect(throws: QuestionData.DataError.self) {
            try FoldInputs.withInputs(of: try fixture.load(), cacheDirectory: cache, stamp: "s") { _ in }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { !$0.hasSuffix(".lock") }
        #expect(left.isEmpty, "no partial cut is left where a later evaluation would use it: \(left)")
    }

    @Test func theReaderStreamsRecordsAcrossItsBuffer() throws {
        let text = "id,name,value\r\n1,\"Smith, J.\",3.5\r\n\n2,\"say \"\"hi\"\"\",\"multi\nline\"\r\n3,plain,\"x\"\n4,last,9"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString.prefix(8)).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let expected = try CSVTable.parse(Data(text.utf8))
        for size in [64, 65, 80, 1 << 16] {
            let reader = try CSVFileReader(url: url, bufferSize: size)
            var records: [[String]] = []
            var lines: [Int] = []
            var raw: [String] = []
            while let record = try reader.next() {
                records.append(record.strings)
                lines.append(record.line)
                raw.append(String(decoding: record.raw, as: UTF8.self))
            }
            #expect(records == [expected.header] + expected.rows, "buffer of \(size) bytes")
            #expect(lines == [1, 2, 4, 6, 7], "blank lines and quoted line ends counted")
            #expect(raw[2] == "2,\"say \"\"hi\"\"\",\"multi\nline\"", "raw bytes, without the line end")
        }
    }

    @Test func shardedTestObjectsAreCutOnceForEveryFold() throws {
        let fixture = try Fixture(testShards: .count(5))
        defer { fixture.remove() }
        #expect(TestShards.count(5).ranges(objects: 12) == [0..<2, 2..<4, 4..<7, 7..<9, 9..<12])
        #expect(TestShards.objectsPerShard(5).ranges(objects: 12) == [0..<5, 5..<10, 10..<12])
        #expect(TestShards.count(20).ranges(objects: 3) == [0..<1, 1..<2, 2..<3], "never an empty shard")
        let data = try fixture.load()
        let shards = try #require(data.testShards)
        let directory = try FoldInputs.withInputs(of: data, cacheDirectory: fixture.root.appendingPathComponent("cache"), stamp: "s") { $0 }
        for (index, fold) in data.folds.enumerated() {
            let predict = try Self.table(directory.appendingPathComponent("fold-\(index)/predict/predict.csv"))
            #expect(predict.rows.map { $0[0] } == fold.validationRows.map { data.trainIDs[$0] }, "a fold predicts its validation objects only")
            let observations = try Self.table(directory.appendingPathComponent("fold-\(index)/predict/observations.csv"))
            #expect(observations.rows.allSatisfy { $0[0].hasPrefix("o") })
        }
        var seen: [String] = []
        for (index, range) in shards.enumerated() {
            let shard = directory.appendingPathComponent(FoldInputs.shardDirectoryName(index))
            let objects = try Self.table(shard.appendingPathComponent("predict.csv"))
            #expect(objects.rows.map { $0[0] } == Array(data.testIDs[range]), "shard \(index): its objects, in the test file's order")
            let observations = try Self.table(shard.appendingPathComponent("observations.csv"))
            #expect(Set(observations.rows.map { $0[0] }) == Set(data.testIDs[range]))
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: shard.appendingPathComponent("spectra").path).sorted()
                    == data.testIDs[range].map { "\($0).npy" }.sorted())
            seen += objects.rows.map { $0[0] }
        }
        #expect(seen == data.testIDs, "every test object in exactly one shard")
    }
}

/// Predictions kept after scoring (``StoredPredictions``).
struct StoredPredictionsTests {
    @Test func predictionsAreKeptExactlyOrAsThirtyTwoBitFloatsAndDamageIsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stored-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SplitMix64(seed: 3)
        let values = (0..<(500 * 15)).map { _ in Double(generator.next() % 1_000_000) / 1e6 + 1e-9 }
        let predictions = Predictions.probabilities(ProbabilityMatrix(rowCount: 500, classCount: 15, values: values))
        let exact = directory.appendingPathComponent("validation.predictions")
        try StoredPredictions.write(predictions, to: exact, precision: .float64)
        #expect(try StoredPredictions.read(exact) == predictions, "64 bits: the same numbers")
        let compact = directory.appendingPathComponent("test.predictions")
        try StoredPredictions.write(predictions, to: compact, precision: .float32)
        guard case .probabilities(let read) = try StoredPredictions.read(compact) else { Issue.record("probabilities"); return }
        #expect(read.rowCount == 500 && read.classCount == 15)
        #expect(zip(read.values, values).allSatisfy { $0 == Double(Float($1)) }, "32 bits: each number as a Float")
        let size = try FileManager.default.attributesOfItem(atPath: compact.path)[.size] as? Int ?? 0
        #expect(size < 500 * 15 * 4, "compressed: \(size) bytes")
        let regression = Predictions.values([1.5, -2, 3e10])
        try StoredPredictions.write(regression, to: exact, precision: .float64)
        #expect(try StoredPredictions.read(exact) == regression)

        var damaged = try Data(contentsOf: compact)
        damaged.removeLast(100)
        try damaged.write(to: compact)
        #expect(throws: StoredPredictions.ReadError.self) { try StoredPredictions.read(compact) }
        try Data("id,a,b\n".utf8).write(to: compact)
        let error = #expect(throws: StoredPredictions.ReadError.self) { try StoredPredictions.read(compact) }
        #expect(error?.description.contains("is not stored predictions") == true)
    }
}
