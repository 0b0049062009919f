import ArgumentParser
import Challenge
import Credit
import Evaluation
import Foundation
import Hub
import Ledger
import ScoreTypes
import SyntheticWorkloads

/// The `plasticc` template at PLAsTiCC's own size (7,848 training objects, 3,492,890 test
/// objects, about 455 million observations): the data generated and checked by `forkboard
/// init`, the inputs cut, the starting kit evaluated by `forkboard worker` processes with 2 then
/// 1 worker(s) (test shards in parallel), its predictions joined and scored, contributivity
/// over 1,000 generated submissions of the question, and what is kept per submission. The hub
/// home is kept between runs (`--hub`): generating the data takes a quarter of an hour.
struct PlasticcBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasticc",
        abstract:
            "PLAsTiCC at full size: data generation and checks, cutting, a starting-kit submission with 2 and 1 workers, scoring, contributivity over 1,000 submissions, storage; time and peak memory of each step."
    )

    @Option(help: "The hub home, made at the first run and kept (about 40 GB at full size).")
    var hub = "/tmp/forkboard-bench-plasticc"

    @Option(help: "full (PLAsTiCC's size) or small (the template's default, to try the benchmark).")
    var size = "full"

    @Option(help: "Worker counts to evaluate the starting kit with, in order, comma-separated.")
    var workers = "2,1"

    @Option(help: "Test objects per shard.")
    var shardObjects = 100_000

    @Option(help: "Submissions blended in the contributivity measurement.")
    var blended = 1000

    @Option(help: "Steps to run, comma-separated: cut, evaluate, score, contributivity (the data are made when missing).")
    var steps = "cut,evaluate,score,contributivity"

    @OptionGroup var served: ServedHubOptions

    func run() async throws {
        let home = URL(fileURLWithPath: hub).standardizedFileURL
        var rows: [[String]] = []
        func add(_ step: String, _ measured: String, _ goal: String = "", _ peak: Int? = nil) {
            rows.append([step, measured, peak.map { String(format: "%.0f MiB", Double($0) / 1_048_576) } ?? "", goal])
            say("\(step): \(measured)\(peak.map { String(format: ", peak %.0f MiB", Double($0) / 1_048_576) } ?? "")")
        }

        // 1. The data, generated and checked by init.
        if !FileManager.default.fileExists(atPath: home.appendingPathComponent("repos/ledger.git").path) {
            try? FileManager.default.removeItem(at: home)
            var environment = ProcessInfo.processInfo.environment
            environment["PLASTICC_PREPARE_OPTIONS"] = size == "full" ? "--full --workers 2" : ""
            var peak = 0
            let seconds = try await Timing.seconds {
                peak = try await MeasuredProcess.run(
                    served.forkboard, ["init", home.path, "--template", "plasticc", "--python", served.python],
                    environment: environment, log: URL(fileURLWithPath: "\(home.path)-init.log"))
            }
            add("init: generate (prepare_data.py, 2 processes) and check the data", String(format: "%.0f s", seconds), "", peak)
            try Self.configure(home: home, shardObjects: shardObjects)
            try await HubScenario.run(served.forkboard, ["challenge", "reload", "--hub", home.path])
        }
        let hubObject = try Hub(home: home)
        guard let question = hubObject.challenge.questions.first else { throw ValidationError("no question in \(home.path)") }
        let files = QuestionFiles.hub(home: home, question: question)
        let dataBytes = CostProjection.bytes(files.train.paths + (files.test?.paths ?? []))

        let chosen = Set(steps.split(separator: ",").map(String.init))
        // 2. The inputs, cut once for every submission.
        let cache = hubObject.evaluationContext.inputCacheDirectory
        PeakMemory.reset()
        var data = try QuestionData.load(files: files, question: question)
        if chosen.contains("cut") {
            try? FileManager.default.removeItem(at: cache)
            PeakMemory.reset()
            let cutSeconds = try await Timing.seconds {
                data = try QuestionData.load(files: files, question: question)
                _ = try FoldInputs.withInputs(of: data, cacheDirectory: cache, stamp: FoldInputs.stamp(files: files, question: question)) { $0 }
            }
            let inputBytes = CostProjection.bytes([cache])
            add(
                "cut every input (\(data.folds.count) folds, \(data.testShards?.count ?? 1) test shards)",
                String(
                    format: "%.0f s; %.1f GB of inputs for %.1f GB of data (%.2fx)", cutSeconds, Double(inputBytes) / 1e9, Double(dataBytes) / 1e9,
                    Double(inputBytes) / Double(dataBytes)),
                "< 15 min, < 2 GiB, inputs < 1.5x data", PeakMemory.current)
        }
        data.splitTestRows(hubObject.challenge.testSplit)

        // 3. The starting kit, with each number of workers.
        for count in chosen.contains("evaluate") ? workers.split(separator: ",").compactMap({ Int($0) }) : [] {
            let evaluation = try await Self.evaluate(home: home, hub: hubObject, workers: count, served: served)
            add(
                "starting kit, \(count) worker(s): push to scored", String(format: "%.1f min (%@)", evaluation.seconds / 60, evaluation.breakdown),
                count == 2 ? "< 90 min" : "about twice the 2 workers'", evaluation.peak)
            add("  of which the hub joined, checked and scored the predictions", evaluation.scoring, "< 60 s")
        }

        // The hub's own part alone: generated predictions files of every fold and shard, checked,
        // joined and scored as a worker does it.
        if chosen.contains("score") {
            let directory = JobDirectory(url: home.appendingPathComponent("runs/.bench-scoring"))
            try? FileManager.default.removeItem(at: directory.url)
            defer { try? FileManager.default.removeItem(at: directory.url) }
            let report = try Self.writePredictions(data: data, directory: directory)
            PeakMemory.reset()
            var result: EvaluationResult?
            let seconds = try await Timing.seconds { result = JobScoring.score(report, directory: directory, data: data) }
            guard result?.status == .scored else { throw ValidationError("generated predictions not scored: \(result?.log ?? "")") }
            add(
                "join, check and score one submission's predictions (\(data.folds.count) folds x \(data.testShards?.count ?? 1) shards, generated)",
                String(format: "%.1f s", seconds), "< 60 s, < 2 GiB", PeakMemory.current)
        }

        // 4. What is kept of a submission's predictions.
        let run = JobDirectory(url: hubObject.evaluationContext.runDirectory(team: "alice", submission: "kit", question: question.name))
        let kept = CostProjection.bytes([run.storedTestPredictions] + data.folds.indices.map { run.fold($0).storedValidationPredictions })
        add("predictions kept per submission (bagged test 32-bit, validation 64-bit)", String(format: "%.0f MB", Double(kept) / 1e6), "< 300 MB")

        // 5. Contributivity over generated submissions of this question.
        if chosen.contains("contributivity"), FileManager.default.fileExists(atPath: run.storedTestPredictions.path) {
            PeakMemory.reset()
            var generator = SplitMix64(seed: 20261207)
            let problem = Self.blendingProblem(data: data, submissions: blended, generator: &generator)
            let scoreType = try question.scoreType(named: question.blendingScoreType ?? question.officialScoreType)
            var members = 0
            let seconds = try await Timing.seconds {
                let result = try Blender(scoreType: scoreType).blend(problem) { _ in
                    members += 1
                    return try StoredPredictions.read(run.storedTestPredictions)
                }
                _ = result.contributivities
            }
            add(
                "contributivity over \(blended) submissions (generated validation predictions; \(members) members' test predictions read)",
                String(format: "%.1f s", seconds), "< 20 s, < 4 GiB", PeakMemory.current)
        }
        say("")
        say(LeaderboardFormatter.table(header: ["step", "measured", "peak memory", "goal"], rows: rows))
        say("cores: \(ProcessInfo.processInfo.activeProcessorCount); \(data.trainIDs.count) training and \(data.testIDs.count) test objects")
    }

    /// Writes predictions files as a sharded job's runs would (each fold's validation objects,
    /// each shard for each fold; probabilities drawn from a few hundred numbers, so that writing
    /// is quick) and returns the report of runs that succeeded.
    static func writePredictions(data: QuestionData, directory: JobDirectory) throws -> JobReport {
        let labels = data.question.labels
        let header = ([data.question.idColumn] + labels).joined(separator: ",") + "\n"
        var generator = SplitMix64(seed: 7)
        let numbers = (0..<997).map { _ in String(format: "%.6g", Double(generator.next() % 1_000_000 + 1) / 1e6) }
        var next = 0
        func write(_ ids: ArraySlice<String>, to url: URL) throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let writer = try BufferedFileWriter(url: url, bufferSize: 1 << 20)
            try writer.write(header)
            for id in ids {
                var line = id
                for _ in labels { line += ","; line += numbers[next]; next = (next + 1) % numbers.count }
                try writer.write(line + "\n")
            }
            try writer.close()
        }
        let succeeded = SandboxResult(ending: .succeeded, wallSeconds: 1, cpuSeconds: 1, peakMemoryBytes: nil, outputTail: "", outputBytes: 0)
        var folds: [JobReport.Fold] = []
        for (index, fold) in data.folds.enumerated() {
            let validation = fold.validationRows.map { data.trainIDs[$0] }
            if let shards = data.testShards {
                try write(validation[...], to: directory.place(of: .predict(fold: index)).predictions)
                for (shard, range) in shards.enumerated() {
                    try write(data.testIDs[range], to: directory.place(of: .predictShard(fold: index, shard: shard)).predictions)
                }
                folds.append(JobReport.Fold(fold: index, train: succeeded, predict: succeeded, shards: shards.map { _ in succeeded }))
            } else {
                try write((validation + data.testIDs)[...], to: directory.fold(index).predictions)
                folds.append(JobReport.Fold(fold: index, train: succeeded, predict: succeeded))
            }
        }
        return JobReport(folds: folds)
    }

    /// Limits for the full size, and the test objects in shards.
    static func configure(home: URL, shardObjects: Int) throws {
        let file = home.appendingPathComponent("challenge.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "  - name: classification\n", with: "  - name: classification\n    test_shards: {objects: \(shardObjects)}\n")
        text = replacingSection(
            "limits", in: text,
            with: """
                limits:
                  wall_seconds: 3600
                  cpu_seconds: 3600
                  memory_bytes: 4294967296
                  processes: 256
                  file_size_bytes: 2147483648
                  open_files: 256
                  output_tail_bytes: 65536
                  output_bytes: 67108864
                  temporary_bytes: 1073741824
                  written_bytes: 2147483648
                """)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// `text` with the top-level section `key:` (up to the next top-level key) replaced.
    static func replacingSection(_ key: String, in text: String, with section: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("\(key):") }) else { return text + "\n" + section }
        var end = start + 1
        while end < lines.count, lines[end].isEmpty || lines[end].hasPrefix(" ") { end += 1 }
        lines.replaceSubrange(start..<end, with: section.components(separatedBy: "\n"))
        return lines.joined(separator: "\n")
    }

    /// The starting kit pushed (or re-scored when the hub has it already) and evaluated by
    /// `workers` workers in one `forkboard worker` process beside a server without workers.
    static func evaluate(
        home: URL, hub: Hub, workers: Int, served: ServedHubOptions
    ) async throws
        -> (seconds: Double, peak: Int, breakdown: String, scoring: String)
    {
        let first = try hub.ledger.submissionDetails().isEmpty
        let (server, baseURL) = try HubScenario.serve(forkboard: served.forkboard, home: home, workers: 0)
        defer { server.terminate(); server.waitUntilExit() }
        let worker = try MeasuredProcess(
            served.forkboard, ["worker", "--hub", home.path, "--count", String(workers)],
            log: home.appendingPathComponent("worker-\(workers).log"))
        defer { worker.stop() }
        let serverPeak = PeakMemory.Watcher(processID: server.processIdentifier)
        let seconds = try await Timing.seconds {
            if first {
                let token = try HubSetup.addTeam("alice", member: "alice", to: hub)
                let clone = home.appendingPathComponent("clone")
                try? FileManager.default.removeItem(at: clone)
                _ = try await HubScenario.run(
                    "/usr/bin/git",
                    ["clone", "-q", baseURL.replacingOccurrences(of: "http://", with: "http://alice:\(token)@") + "/git/alice.git", clone.path])
                _ = try await HubScenario.run("/usr/bin/git", ["-C", clone.path, "tag", "submission-kit"])
                _ = try await HubScenario.run("/usr/bin/git", ["-C", clone.path, "push", "-q", "origin", "submission-kit"])
            } else {
                _ = try await HubScenario.run(served.forkboard, ["rescore", "alice/kit", "--hub", home.path])
            }
            try await Task.sleep(for: .seconds(2))
            while try hub.ledger.submissionDetails().contains(where: { !$0.state.isFinal }) {
                serverPeak.sample()
                worker.sample()
                try await Task.sleep(for: .seconds(2))
            }
        }
        guard let detail = try hub.ledger.submissionDetails().first, detail.state == .scored,
            let evaluation = detail.evaluations.first
        else {
            throw ValidationError("the starting kit was not scored: \(try hub.ledger.submissionDetails().first?.evaluations.first?.record.log ?? "")")
        }
        let runs = evaluation.foldRuns
        let train = runs.reduce(0) { $0 + ($1.trainCPUSeconds ?? $1.trainSeconds) }
        let test = runs.reduce(0) { $0 + ($1.testCPUSeconds ?? $1.testSeconds) }
        let log = evaluation.record.log ?? ""
        let hubLine = log.split(separator: "\n").first { $0.hasPrefix("the hub:") }.map(String.init) ?? "the hub: not reported"
        let scoring = hubLine.firstMatch(of: /scored in ([0-9.]+) s/).map { "\($0.1) s" } ?? "?"
        // What the template's harness says of its own runs (CPU seconds by part).
        var parts: [String: Double] = [:]
        let run = hub.evaluationContext.runDirectory(team: "alice", submission: "kit", question: evaluation.record.question)
        for path in (FileManager.default.enumerator(atPath: run.path)?.compactMap { $0 as? String } ?? []) where path.hasSuffix(".log") {
            let text = (try? String(contentsOf: run.appendingPathComponent(path), encoding: .utf8)) ?? ""
            for match in text.matches(of: /(reading|features|model|writing) ([0-9.]+)/) {
                parts[String(match.1), default: 0] += Double(match.2) ?? 0
            }
        }
        let harness = ["reading", "features", "model", "writing"].compactMap { part in parts[part].map { String(format: "%@ %.1f", part, $0 / 60) } }
            .joined(separator: ", ")
        let breakdown =
            String(format: "CPU: training %.1f min, predicting %.1f min", train / 60, test / 60)
            + (harness.isEmpty ? "" : " (the harness's own count, min: \(harness))") + "; " + hubLine
        return (seconds, max(serverPeak.peak, worker.peak), breakdown, scoring)
    }

    /// `count` generated submissions of `data`'s question: each fold's validation predictions
    /// (a noisy softmax around the truth), the test predictions kept apart.
    static func blendingProblem(data: QuestionData, submissions count: Int, generator: inout SplitMix64) -> BlendingProblem {
        let classes = data.question.labels.count
        guard case .classes(let truth, _) = data.trainTruth else { fatalError("the benchmark's question is a classification") }
        var submissions: [[SubmissionFoldPredictions]] = []
        for _ in 0..<count {
            let skill = 0.5 + Double(generator.next() % 1000) / 1000
            submissions.append(
                data.folds.map { fold in
                    var values = [Double](repeating: 0, count: fold.validationRows.count * classes)
                    for (row, object) in fold.validationRows.enumerated() {
                        var total = 0.0
                        for column in 0..<classes {
                            let noise = Double(generator.next() % 10_000) / 10_000
                            let value = exp((column == truth[object] ? skill : 0) + noise)
                            values[row * classes + column] = value
                            total += value
                        }
                        for column in 0..<classes { values[row * classes + column] /= total }
                    }
                    return SubmissionFoldPredictions(
                        validation: .probabilities(ProbabilityMatrix(rowCount: fold.validationRows.count, classCount: classes, values: values)),
                        test: nil)
                })
        }
        return BlendingProblem(
            trainingTruth: data.trainTruth, testTruth: data.testTruth,
            folds: data.folds.map { BlendingFold(validationRows: $0.validationRows) }, submissions: submissions)
    }
}

/// This process's peak resident memory (VmHWM), which `reset()` brings back to the current
/// resident memory (Linux `clear_refs`), so that each step's peak is its own.
enum PeakMemory {
    static func reset() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    static var current: Int { highWaterMark(of: "self") }

    /// VmHWM of `/proc/<process>/status`, in bytes (0 when gone).
    static func highWaterMark(of process: String) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return (line?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
    }

    /// The largest VmHWM seen of another process, sampled.
    final class Watcher: @unchecked Sendable {
        let processID: Int32
        private(set) var peak = 0

        init(processID: Int32) {
            self.processID = processID
        }

        func sample() { peak = max(peak, PeakMemory.highWaterMark(of: String(processID))) }
    }
}

/// A `forkboard` process whose peak memory is sampled while it runs.
final class MeasuredProcess: @unchecked Sendable {
    let process = Process()
    private var watcher: PeakMemory.Watcher?

    /// Starts `executable`; its output (standard output and error) goes to `log`.
    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, log: URL) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        watcher = PeakMemory.Watcher(processID: process.processIdentifier)
    }

    var peak: Int { watcher?.peak ?? 0 }

    func sample() { watcher?.sample() }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// Runs `executable` to its end, sampling its memory every half second; returns its peak.
    /// - Throws: `ValidationError` when it fails.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String], log: URL) async throws -> Int {
        let measured = try MeasuredProcess(executable, arguments, environment: environment, log: log)
        while measured.process.isRunning {
            measured.sample()
            try await Task.sleep(for: .milliseconds(500))
        }
        guard measured.process.terminationStatus == 0 else {
            throw ValidationError(
                "\(executable) \(arguments.joined(separator: " ")) failed (status \(measured.process.terminationStatus)); its output is in \(log.path)"
            )
        }
        return measured.peak
    }
}
