import Foundation
import ScoreTypes

/// Reads and validates one entry of `questions:` in challenge.yaml.
enum QuestionReader {
    static func read(_ node: YAMLNode) throws -> Question {
        try node.rejectUnknownKeys([
            "name", "kind", "labels", "id_column", "target_column", "score_types", "folds",
            "required_files", "data", "workflow", "unseen_labels", "test_shards",
        ])
        let name = try node.child("name").string()
        guard name.range(of: "^[a-z0-9_-]{1,40}$", options: .regularExpression) != nil else {
            throw node.child("name").error("'\(name)' must match [a-z0-9_-]{1,40}")
        }
        let kindText = try node.child("kind").string(default: "classification")
        guard let kind = Question.Kind(rawValue: kindText) else {
            throw node.child("kind").error("'\(kindText)' is not one of classification, regression")
        }
        let labels = try node.child("labels").stringList(default: [])
        if kind == .classification, labels.count < 2 {
            throw node.child("labels").error("a classification question needs at least two labels")
        }
        var scoreTypes: [String] = []
        var scorePrograms: [ScoreProgram] = []
        var classWeights: [Double]?
        for (index, entry) in try node.child("score_types").list().enumerated() {
            if entry.value is [String: Any], entry.child("command").isMissing, !entry.child("class_weights").isMissing {
                try entry.rejectUnknownKeys(["name", "class_weights"])
                guard try entry.child("name").string() == "plasticc_log_loss" else {
                    throw entry.child("name").error("class_weights are for plasticc_log_loss only")
                }
                classWeights = try readClassWeights(entry.child("class_weights"), labels: labels)
                scoreTypes.append("plasticc_log_loss")
                continue
            }
            if entry.value is [String: Any] {
                let program = try readScoreProgram(entry)
                guard (try? ScoreTypes.named(program.name)) == nil, !scoreTypes.contains(program.name) else {
                    throw entry.child("name").error("'\(program.name)' is already a score type's name")
                }
                scorePrograms.append(program)
                scoreTypes.append(program.name)
                continue
            }
            let scoreType = try entry.string()
            do {
                _ = try ScoreTypes.named(scoreType)
            } catch {
                throw node.child("score_types").error(
                    "entry \(index): unknown score type '\(scoreType)'; known: \(ScoreTypes.allNames.joined(separator: ", ")), "
                        + "or a program ({name: ..., command: [...], lower_is_better: true|false})")
            }
            scoreTypes.append(scoreType)
        }
        guard !scoreTypes.isEmpty else { throw node.child("score_types").error("must list at least one score type") }
        let workflow = node.child("workflow")
        try workflow.rejectUnknownKeys(["train", "predict", "predictions"])
        var trainCommand: [String] = []
        var predictCommand: [String] = []
        var predictionsFile: String?
        if !workflow.child("predictions").isMissing {
            let file = try workflow.child("predictions").string()
            guard !file.hasPrefix("/"), !file.split(separator: "/").contains("..") else {
                throw workflow.child("predictions").error("'\(file)' must be a relative path inside the submission")
            }
            predictionsFile = file
        } else {
            trainCommand = try workflow.child("train").stringList()
            predictCommand = try workflow.child("predict").stringList()
            guard !trainCommand.isEmpty else { throw workflow.child("train").error("must not be empty") }
            guard !predictCommand.isEmpty else { throw workflow.child("predict").error("must not be empty") }
        }
        let data = node.child("data")
        try data.rejectUnknownKeys(["train", "test", "starting_kit", "tables", "files"])
        let unseenLabels = try node.child("unseen_labels").stringList(default: [])
        if let unknown = unseenLabels.first(where: { !labels.contains($0) }) {
            throw node.child("unseen_labels").error("'\(unknown)' is not one of the labels \(labels)")
        }
        let (tables, fileDirectories) = try readDataSources(data)
        let testShards = try readTestShards(node.child("test_shards"))
        if testShards != nil, predictionsFile != nil {
            throw node.child("test_shards").error("is for questions whose code predicts; a predictions-only question runs nothing")
        }
        return Question(
            name: name,
            kind: kind,
            labels: labels,
            idColumn: try node.child("id_column").string(default: "id"),
            targetColumn: try node.child("target_column").string(),
            scoreTypes: scoreTypes,
            folds: try readFolds(node.child("folds")),
            requiredFiles: try node.child("required_files").stringList(default: predictionsFile.map { [$0] } ?? []),
            trainData: try relativePath(data.child("train")),
            testData: try relativePath(data.child("test")),
            trainCommand: trainCommand,
            predictCommand: predictCommand,
            predictionsFile: predictionsFile,
            startingKitData: data.child("starting_kit").isMissing ? nil : try relativePath(data.child("starting_kit")),
            scorePrograms: scorePrograms, tables: tables, fileDirectories: fileDirectories, unseenLabels: unseenLabels, classWeights: classWeights,
            testShards: testShards)
    }

    /// `test_shards: {count: N}` or `{objects: M}` (objects per shard), or nothing.
    private static func readTestShards(_ node: YAMLNode) throws -> TestShards? {
        guard !node.isMissing else { return nil }
        try node.rejectUnknownKeys(["count", "objects"])
        switch (node.child("count").isMissing, node.child("objects").isMissing) {
        case (false, true): return .count(try node.child("count").integer(minimum: 1))
        case (true, false): return .objectsPerShard(try node.child("objects").integer(minimum: 1))
        default: throw node.error("give either count (the number of shards) or objects (objects per shard)")
        }
    }

    /// `{LABEL: WEIGHT, ...}`: a weight >= 0 per label named; the others weigh 1.
    private static func readClassWeights(_ node: YAMLNode, labels: [String]) throws -> [Double] {
        guard let mapping = node.value as? [AnyHashable: Any] else { throw node.error("must map labels to weights, such as {\"99\": 2}") }
        var weights = [Double](repeating: 1, count: labels.count)
        for (key, value) in mapping {
            let label = "\(key)"
            guard let index = labels.firstIndex(of: label) else { throw node.error("'\(label)' is not one of the labels \(labels)") }
            let weight = YAMLNode(value: value, path: "\(node.path).\(label)", file: node.file)
            weights[index] = try weight.double(default: 1)
            guard weights[index].isFinite, weights[index] >= 0 else { throw weight.error("must be a number >= 0") }
        }
        return weights
    }

    /// `data.tables` and `data.files`: names that are neither the step's objects file nor
    /// another source's, and paths inside the hub home.
    private static func readDataSources(_ data: YAMLNode) throws -> ([ObjectTable], [ObjectFileDirectory]) {
        var names: Set<String> = []
        func name(of entry: YAMLNode) throws -> String {
            let name = try entry.child("name").string()
            guard name.range(of: "^[a-z0-9_]{1,40}$", options: .regularExpression) != nil, name != "train", name != "predict" else {
                throw entry.child("name").error("'\(name)' must match [a-z0-9_]{1,40} and be neither train nor predict (the objects' files)")
            }
            guard names.insert(name).inserted else { throw entry.child("name").error("'\(name)' names another table or file directory too") }
            return name
        }
        var tables: [ObjectTable] = []
        if !data.child("tables").isMissing {
            for entry in try data.child("tables").list() {
                try entry.rejectUnknownKeys(["name", "train", "test"])
                tables.append(
                    ObjectTable(
                        name: try name(of: entry), train: try relativePath(entry.child("train")),
                        test: try relativePath(entry.child("test"))))
            }
        }
        var directories: [ObjectFileDirectory] = []
        if !data.child("files").isMissing {
            for entry in try data.child("files").list() {
                try entry.rejectUnknownKeys(["name", "train", "test", "suffix"])
                let suffix = try entry.child("suffix").string(default: "")
                guard !suffix.contains("/") else { throw entry.child("suffix").error("'\(suffix)' must not contain '/'") }
                directories.append(
                    ObjectFileDirectory(
                        name: try name(of: entry), train: try relativePath(entry.child("train")),
                        test: try relativePath(entry.child("test")), suffix: suffix))
            }
        }
        return (tables, directories)
    }

    private static func readScoreProgram(_ node: YAMLNode) throws -> ScoreProgram {
        try node.rejectUnknownKeys(["name", "command", "lower_is_better"])
        let name = try node.child("name").string()
        guard name.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression) != nil else {
            throw node.child("name").error("'\(name)' must be lower-case letters, digits and '_', starting with a letter")
        }
        let command = try node.child("command").stringList()
        guard !command.isEmpty else { throw node.child("command").error("must name the program to run") }
        guard !node.child("lower_is_better").isMissing else { throw node.child("lower_is_better").error("is required: true or false") }
        return ScoreProgram(name: name, command: command, isLowerBetter: try node.child("lower_is_better").boolean(default: false))
    }

    private static func readFolds(_ node: YAMLNode) throws -> FoldScheme {
        try node.rejectUnknownKeys(["method", "count", "seed", "validation_fraction", "file"])
        let methodText = try node.child("method").string(default: FoldScheme.Method.stratifiedKFold.rawValue)
        guard let method = FoldScheme.Method(rawValue: methodText) else {
            throw node.child("method").error("'\(methodText)' is not one of kfold, stratified_kfold, shuffle_split, explicit")
        }
        var file: String?
        if method == .explicit {
            let path = try node.child("file").string()
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw node.child("file").error("'\(path)' must be a path beside the training rows, without '..'")
            }
            file = path
        } else if !node.child("file").isMissing {
            throw node.child("file").error("is only for method explicit")
        }
        let count = try node.child("count").integer(default: 5, minimum: method == .kFold || method == .stratifiedKFold ? 2 : 1)
        let seed = try node.child("seed").integer(default: 42, minimum: 0)
        let fraction = try node.child("validation_fraction").double(default: 0.2)
        guard fraction > 0, fraction < 1 else { throw node.child("validation_fraction").error("must be between 0 and 1") }
        return FoldScheme(method: method, count: count, seed: UInt64(seed), validationFraction: fraction, file: file)
    }

    private static func relativePath(_ node: YAMLNode) throws -> String {
        let path = try node.string()
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw node.error("'\(path)' must be a path inside the hub home, without '..'")
        }
        return path
    }
}
