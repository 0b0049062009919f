import Challenge
import Evaluation
import Foundation
import Host
import ScoreTypes

/// What `forkboard challenge check` finds in a hub home before participants come: the
/// configuration, each question's data (columns, ids, labels, the public/private split, the
/// starting kit's copy), the runtime, and the starting kit run through the real sandbox on a
/// quick subset. Codabench validates its competition bundles in the same spirit.
public struct ChallengeCheck: Sendable {
    /// One finding.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public enum Severity: String, Sendable {
            case ok, warning, error
        }

        public let severity: Severity
        /// What was checked: `challenge.yaml`, `question diagnosis: data`, `runtime`, ...
        public let subject: String
        public let message: String

        public var description: String { "\(severity.rawValue): \(subject): \(message)" }
    }

    public private(set) var findings: [Finding] = []
    /// What one submission of each question costs at full size, projected from the starting
    /// kit's quick run (kept in the hub for `forkboard resources`).
    public private(set) var projections: [CostProjection] = []

    /// True when nothing is an error.
    public var passed: Bool { !findings.contains { $0.severity == .error } }

    /// Checks the hub home `home` (it is not changed, beyond what opening a hub does).
    /// Failures of what is checked are findings, never thrown.
    public static func run(home: URL) async -> ChallengeCheck {
        var check = ChallengeCheck()
        let file = HubHome(home).configurationFile
        let configuration: ChallengeConfiguration
        do {
            let text = try String(contentsOf: file, encoding: .utf8)
            configuration = try Hub.validate(text, file: file.path)
            check.add(.ok, "challenge.yaml", "valid: \(configuration.questions.count) question(s), \(configuration.schedule.phases.count) phase(s)")
        } catch {
            check.add(.error, "challenge.yaml", "\(error)")
            return check
        }
        let hub: Hub
        do {
            hub = try Hub(home: home)
        } catch {
            check.add(.error, "hub", "\(error)")
            return check
        }
        for question in configuration.questions {
            check.checkData(of: question, configuration: configuration, home: home)
            if !question.scorePrograms.isEmpty, !FileManager.default.fileExists(atPath: HubHome(home).scoring.path) {
                check.add(
                    .error, "question \(question.name): score programs",
                    "\(question.scorePrograms.map(\.name).joined(separator: ", ")) run in the hub's scoring/ directory, which is missing")
            }
            if !question.scorePrograms.isEmpty, question.blendingScoreType == nil {
                check.add(
                    .warning, "question \(question.name): score programs",
                    "every score type is a program: contributivity, which blends by a built-in score type, will not be computed")
            }
        }
        await check.checkRuntime(hub: hub)
        await check.checkExecutor(hub: hub)
        if check.passed {
            await check.checkStartingKit(hub: hub)
        } else {
            check.add(.warning, "starting kit", "not run: fix the errors above first")
        }
        return check
    }

    mutating func add(_ severity: Finding.Severity, _ subject: String, _ message: String) {
        findings.append(Finding(severity: severity, subject: subject, message: message))
    }

    /// The data of one question: what ``QuestionData/load(files:question:)`` and
    /// ``DataScan/check(_:)`` check (objects, tables, per-object files), then the labels'
    /// presence, objects that repeat across the split, where the files live, and the starting
    /// kit's copies.
    mutating func checkData(of question: Question, configuration: ChallengeConfiguration, home: URL) {
        let subject = "question \(question.name): data"
        let files = QuestionFiles.hub(home: home, question: question)
        var data: QuestionData
        do {
            data = try QuestionData.load(files: files, question: question)
        } catch {
            add(.error, subject, "\(error)")
            return
        }
        data.splitTestRows(configuration.testSplit)
        // A question of one table speaks of its rows; with tables, of objects.
        let unit = question.hasSeveralFiles ? "objects" : "rows"
        add(
            .ok, subject,
            "\(data.trainIDs.count) training \(unit), \(data.testIDs.count) test \(unit) (\(data.publicTestRows.count) public, "
                + "\(data.testIDs.count - data.publicTestRows.count) private), \(data.folds.count) folds")
        do {
            let summary = try DataScan.check(data)
            for table in summary.tableRows {
                add(.ok, subject, "table \(table.name): \(table.train) training rows, \(table.test) test rows, each of an object")
            }
            for directory in summary.files {
                add(.ok, subject, "files \(directory.name): \(directory.train) training files, \(directory.test) test files, each of an object")
            }
            for warning in summary.warnings { add(.warning, subject, warning) }
        } catch {
            add(.error, subject, "\(error)")
        }
        let testPaths = [question.testData] + question.tables.map(\.test) + question.fileDirectories.map(\.test)
        for path in testPaths where !path.hasPrefix("data/private/") {
            add(
                .error, subject,
                "the test \(path == question.testData ? unit : "data") (\(path)) are not under data/private/: they must never reach participants")
        }
        let trainPaths = [question.trainData] + question.tables.map(\.train) + question.fileDirectories.map(\.train)
        for path in trainPaths where path.hasPrefix("data/private/") {
            add(
                .warning, subject,
                "the training \(path == question.trainData ? unit : "data") (\(path)) are under data/private/, which participants never get")
        }
        if data.publicTestRows.isEmpty || data.publicTestRows.count == data.testIDs.count {
            add(
                .warning, subject,
                "the public fraction \(configuration.testSplit.publicFraction) leaves the public or the private test score on no \(unit)")
        }
        if case .classes(let trainClasses, _) = data.trainTruth {
            let present = Set(trainClasses)
            let missing = question.labels.enumerated().filter { !present.contains($0.offset) && !question.unseenLabels.contains($0.element) }.map(
                \.element)
            if !missing.isEmpty { add(.error, subject, "no training \(unit.dropLast()) has the label(s) \(missing.joined(separator: ", "))") }
            if !question.unseenLabels.isEmpty {
                add(
                    .ok, subject,
                    "no training object has the label(s) \(question.unseenLabels.joined(separator: ", ")), kept for test objects (unseen_labels)")
            }
            if case .classes(let testClasses, _) = data.testTruth {
                let absent = question.labels.enumerated().filter { !Set(testClasses).contains($0.offset) }.map(\.element)
                if !absent.isEmpty { add(.warning, subject, "no test \(unit.dropLast()) has the label(s) \(absent.joined(separator: ", "))") }
            }
        }
        let repeated = Self.repeatedFeatureRows(files: files, question: question)
        if repeated.count * 2 > data.testIDs.count {
            add(
                .error, subject,
                "\(repeated.count) of the \(data.testIDs.count) test \(unit) have exactly the features of public training \(unit) (first: \(repeated.prefix(3).joined(separator: ", "))): "
                    + "the test \(unit) were given to participants under other ids")
        } else if !repeated.isEmpty {
            add(
                .warning, subject,
                "\(repeated.count) test \(unit.dropLast())(s) have exactly the features of public training \(unit) (first: \(repeated.prefix(3).joined(separator: ", "))): "
                    + "the same \(unit) under other ids would give their labels away")
        }
        for copy in question.startingKitCopies {
            let kitCopy = HubHome(home).startingKit.appendingPathComponent(copy.kitPath)
            if !Self.sameContents(kitCopy, home.appendingPathComponent(copy.hubPath)) {
                add(
                    .error, subject,
                    "the starting kit's \(copy.kitPath) differs from \(copy.hubPath): participants would train on other \(unit) than the hub")
            }
        }
    }

    /// Whether two files, or two directories of files, hold the same bytes.
    static func sameContents(_ first: URL, _ second: URL) -> Bool {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: first.path, isDirectory: &isDirectory) else { return false }
        guard isDirectory.boolValue else { return fileManager.contentsEqual(atPath: first.path, andPath: second.path) }
        guard let names = try? fileManager.contentsOfDirectory(atPath: first.path).sorted(),
            names == (try? fileManager.contentsOfDirectory(atPath: second.path).sorted())
        else { return false }
        return names.allSatisfy { sameContents(first.appendingPathComponent($0), second.appendingPathComponent($0)) }
    }

    /// Ids of test objects whose features in the objects files (every column but the id and
    /// the target) equal those of a training object; read streaming, keeping a hash per
    /// training object.
    static func repeatedFeatureRows(files: QuestionFiles, question: Question) -> [String] {
        guard let testObjects = files.test?.objects,
            let train = try? CSVFileReader(url: files.train.objects), let test = try? CSVFileReader(url: testObjects),
            let trainHeader = try? train.next()?.strings, let testHeader = try? test.next()?.strings
        else { return [] }
        let features = trainHeader.filter { $0 != question.idColumn && $0 != question.targetColumn }
        let trainColumns = features.compactMap { trainHeader.firstIndex(of: $0) }
        let testColumns = features.compactMap { testHeader.firstIndex(of: $0) }
        guard !features.isEmpty, testColumns.count == features.count, let idColumn = testHeader.firstIndex(of: question.idColumn) else { return [] }
        func hash(_ record: CSVRecord, _ columns: [Int]) -> Int {
            var hasher = Hasher()
            for column in columns { hasher.combine(record.string(column)) }
            return hasher.finalize()
        }
        var seen: Set<Int> = []
        while let record = try? train.next() {
            if record.count == trainHeader.count { seen.insert(hash(record, trainColumns)) }
        }
        var repeated: [String] = []
        while let record = try? test.next() {
            if record.count == testHeader.count, seen.contains(hash(record, testColumns)) { repeated.append(record.string(idColumn)) }
        }
        return repeated
    }

    /// The runtime runs, has every package the requirements name, and the requirements pin
    /// their versions.
    mutating func checkRuntime(hub: Hub) async {
        let runtime = await HubRuntime.describe(hub: hub)
        if runtime.interpreter.isEmpty {
            add(.error, "runtime", "\(runtime.binDirectory)/python does not run")
        } else {
            add(.ok, "runtime", "\(runtime.interpreter) in \(runtime.binDirectory), \(runtime.packages.count) packages")
        }
        let installed = Set(runtime.packages.compactMap(Self.packageName))
        let requirements = hub.paths.requirements
        if let text = try? String(contentsOf: requirements, encoding: .utf8) {
            let lines = text.split(separator: "\n").map { $0.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("-") && !$0.contains("://") }
            let missing = lines.compactMap(Self.packageName).filter { !installed.isEmpty && !installed.contains($0) }
            if !missing.isEmpty {
                add(
                    .error, "runtime",
                    "requirements.txt names \(missing.joined(separator: ", ")), which the runtime lacks: participants' runtimes (built from it) and the hub's would differ; "
                        + "install them into it, or 'forkboard runtime rebuild'")
            }
            let unpinned = lines.filter { !$0.contains("==") }
            if !unpinned.isEmpty {
                add(
                    .warning, "runtime",
                    "requirements.txt does not pin \(unpinned.joined(separator: ", ")): pin versions (name==version) so that a rebuilt runtime scores as the first one"
                )
            }
        }
    }

    /// The normalised name of a requirement or `pip freeze` line (PEP 503: lower case, runs of
    /// `-`, `_` and `.` as one `-`), or nil.
    static func packageName(_ line: String) -> String? {
        let name = line.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        guard !name.isEmpty else { return nil }
        return name.lowercased().replacing(/[-_.]+/, with: "-")
    }

    /// The starting kit, run through the real sandbox on a quick subset: scored, with every
    /// score finite and in its range.
    mutating func checkStartingKit(hub: Hub) async {
        for question in hub.challenge.questions where !question.isPredictionsOnly {
            let missing = question.requiredFiles.filter {
                !FileManager.default.fileExists(atPath: hub.paths.startingKit.appendingPathComponent($0).path)
            }
            if !missing.isEmpty {
                add(.error, "question \(question.name): starting kit", "lacks \(missing.joined(separator: ", ")), which the question requires")
            }
        }
        guard passed else { return }
        let results: [LocalEvaluation.Result]
        do {
            var evaluation = LocalEvaluation(source: .hub(hub), quick: true)
            evaluation.measuresSmallestRun = true
            results = try await evaluation.run(tree: hub.paths.startingKit, questionName: nil)
        } catch {
            add(.error, "starting kit", "\(error)")
            return
        }
        for result in results {
            let subject = "question \(result.question.name): starting kit"
            guard result.outcome.status == .scored else {
                add(.error, subject, "\(result.outcome.status.rawValue) on a quick subset:\n\(result.outcome.log)")
                continue
            }
            let scores = result.outcome.foldScores.map(\.score) + result.outcome.baggedScores
            let outOfRange = scores.filter { !Self.isInRange($0.value, scoreType: $0.scoreType) }
            if outOfRange.isEmpty {
                let bagged = result.outcome.baggedScores.filter { $0.split == .valid }
                    .map { "\($0.scoreType) \(String(format: "%.4f", $0.value))" }.joined(separator: ", ")
                add(.ok, subject, "scored on a quick subset (bagged validation: \(bagged))")
                let full = hub.challenge.question(named: result.question.name) ?? result.question
                var data = try? QuestionData.load(files: .hub(home: hub.home, question: full), question: full)
                data?.splitTestRows(hub.challenge.testSplit)
                if let data, let projection = CostProjection.make(result: result, data: data) {
                    projections.append(projection)
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    try? encoder.encode(projection).write(to: CostProjection.file(hub: hub, question: projection.question), options: .atomic)
                    add(.ok, subject, String(format: "one submission costs about %.2f CPU hours at full size (the table below)", projection.cpuHours))
                }
            } else {
                add(
                    .error, subject,
                    "scores out of range: " + outOfRange.map { "\($0.scoreType) \($0.value) (\($0.split.rawValue))" }.joined(separator: ", "))
            }
        }
    }

    /// Whether `value` can be a score of type `scoreType`: finite, and within the built-in
    /// type's ``ScoreTypes/ScoreType/range`` (a score program's may be any finite number).
    static func isInRange(_ value: Double, scoreType: String) -> Bool {
        value.isFinite && ((try? ScoreTypes.named(scoreType).range.contains(value)) ?? true)
    }
}

extension ChallengeCheck {
    /// Where jobs run: for Slurm, the cluster's programs and controller, the partition, the
    /// shared directory, the `forkboard` command, and the paths the nodes must see.
    mutating func checkExecutor(hub: Hub) async {
        guard case .slurm(let settings) = hub.challenge.executor else {
            add(.ok, "executor", "local: evaluations run on the machines of the hub's processes")
            return
        }
        let executor = SlurmExecutor(settings: settings)
        let problems = await executor.problems(limits: hub.challenge.limits)
        for problem in problems { add(.error, "executor", "\(problem) (challenge.yaml, executor:)") }
        if problems.isEmpty {
            add(
                .ok, "executor",
                "slurm: the controller answers; job directories in \(settings.sharedDirectory)/runs; nodes run \(executor.forkboardCommand)")
        }
        let shared = URL(fileURLWithPath: settings.sharedDirectory).standardizedFileURL.path
        if let runtime = hub.challenge.runtime {
            let outside = ([runtime.binDirectory] + runtime.readOnlyPaths).filter { !$0.hasPrefix(shared + "/") && !$0.hasPrefix("/usr") }
            if !outside.isEmpty {
                add(
                    .warning, "executor",
                    "the nodes must see the runtime at the same path: \(outside.joined(separator: ", ")) (put it in the shared directory, or install it identically on every node)"
                )
            }
        }
    }
}
