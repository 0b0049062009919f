import Challenge
import Credit
import Evaluation
import Foundation
import Ledger
import ScoreTypes

/// Recomputes contributivity and the combined scores of a question from the stored fold
/// predictions of every scored submission (RAMP's blending, see ``Credit/Blender``).
public struct Contributivity: Sendable {
    public let hub: Hub
    /// Parsed predictions kept between recomputations, by what was evaluated (a re-scored
    /// evaluation's new predictions replace the old ones).
    public let cache: PredictionCache

    public init(hub: Hub, cache: PredictionCache = PredictionCache()) {
        self.hub = hub
        self.cache = cache
    }

    /// What a recomputation did.
    public struct Summary: Sendable {
        public let question: String
        /// Submissions blended.
        public let submissions: Int
        /// Those left out because their predictions could not be read.
        public let skipped: [String]
        /// Why nothing was blended although submissions are scored, if so.
        public var notBlended: String? = nil
    }

    /// Recomputes every code question; returns what was done per question.
    /// - Throws: data, blending and database errors.
    @discardableResult
    public func recomputeAll() throws -> [Summary] {
        cache.beginPass()
        defer { cache.endPass() }
        return try hub.challenge.questions.filter { !$0.isPredictionsOnly }.map(recompute)
    }

    /// The blend of a question now: the blended submissions (`team/name`, in order) and the
    /// result, or nil when nothing is scored.
    /// - Throws: as ``recompute(_:)``.
    public func blend(_ question: Question) throws -> (submissions: [BlendedSubmission], result: BlendingResult)? {
        let (_, blended, problem, _) = try problem(question)
        guard let problem else { return nil }
        guard let scoreType = question.blendingScoreType else { return nil }
        let data = try QuestionData.load(files: .hub(home: hub.home, question: question), question: question)
        return (
            blended,
            try Blender(scoreType: try question.scoreType(named: scoreType)).blend(problem) { index in
                try baggedTest(team: blended[index].team, name: blended[index].name, data: data)
            }
        )
    }

    /// A submission taking part in a blend.
    public struct BlendedSubmission: Sendable {
        public let team: String
        public let name: String
        public let evaluationID: Int64
    }

    /// The question's data, the blended submissions, the blending problem (nil when nothing is
    /// scored) and the submissions left out with why.
    private func problem(_ question: Question) throws -> (QuestionData, [BlendedSubmission], BlendingProblem?, [String]) {
        var data = try QuestionData.load(files: .hub(home: hub.home, question: question), question: question)
        data.splitTestRows(hub.challenge.testSplit)
        var blended: [BlendedSubmission] = []
        var submissions: [[SubmissionFoldPredictions]] = []
        var skipped: [String] = []
        for detail in try hub.ledger.submissionDetails() {
            guard let evaluation = detail.evaluations.first(where: { $0.record.question == question.name && $0.record.state == .scored })
            else { continue }
            do {
                let key = PredictionCache.Key(evaluationID: evaluation.record.id!, finishedAt: evaluation.record.finishedAt ?? .distantPast)
                submissions.append(
                    try cache.predictions(key) {
                        try load(team: detail.submission.team, name: detail.submission.name, data: data)
                    })
                blended.append(BlendedSubmission(team: detail.submission.team, name: detail.submission.name, evaluationID: evaluation.record.id!))
            } catch {
                skipped.append("\(detail.submission.key): \(error)")
            }
        }
        guard !submissions.isEmpty else { return (data, blended, nil, skipped) }
        return (
            data, blended,
            BlendingProblem(
                trainingTruth: data.trainTruth, testTruth: data.testTruth,
                folds: data.folds.map { BlendingFold(validationRows: $0.validationRows) }, submissions: submissions), skipped
        )
    }

    /// Recomputes one question and stores its contributivities and combined scores.
    /// - Throws: ``QuestionData/DataError``, ``Credit/BlendingError``, `ScoreTypeError`, database errors.
    public func recompute(_ question: Question) throws -> Summary {
        let (data, blended, problem, skipped) = try problem(question)
        guard let problem else {
            try hub.ledger.replaceContributivity(question: question.name, records: [], combined: [])
            return Summary(question: question.name, submissions: 0, skipped: skipped)
        }
        guard let blendingScoreType = question.blendingScoreType else {
            // Blending calls its score thousands of times: not a program's.
            try hub.ledger.replaceContributivity(question: question.name, records: [], combined: [])
            var summary = Summary(question: question.name, submissions: 0, skipped: skipped)
            summary.notBlended =
                "every score type of \(question.name) is a score program; contributivity blends by a built-in score type: add one to score_types"
            return summary
        }
        let evaluationIDs = blended.map(\.evaluationID)
        let official = try question.scoreType(named: blendingScoreType)
        let result = try Blender(scoreType: official).blend(problem) { index in
            try baggedTest(team: blended[index].team, name: blended[index].name, data: data)
        }
        let now = Date()
        let records = zip(evaluationIDs, result.contributivities).map { id, value in
            ContributivityRecord(evaluationID: id, value: value, historical: nil, computedAt: now)
        }
        var combined: [CombinedScoreRecord] = []
        for (kind, scores, predictions) in [
            ("combined", result.combined, result.combinedTestPredictions),
            ("foldwise_best", result.foldwiseBest, result.foldwiseBestTestPredictions),
        ] {
            combined.append(
                CombinedScoreRecord(question: question.name, kind: kind, split: .valid, scoreType: official.name, value: scores.validation))
            combined.append(CombinedScoreRecord(question: question.name, kind: kind, split: .test, scoreType: official.name, value: scores.test))
            guard let predictions, !data.publicTestRows.isEmpty else { continue }
            for (split, rows) in [(ScoreSplit.publicTest, data.publicTestRows), (.privateTest, data.privateTestRows)] where !rows.isEmpty {
                let part = predictions.selecting(rows: rows)
                if let value = try? official.score(truth: data.testTruth(rows: rows), predictions: part) {
                    combined.append(CombinedScoreRecord(question: question.name, kind: kind, split: split, scoreType: official.name, value: value))
                }
            }
        }
        try hub.ledger.replaceContributivity(question: question.name, records: records, combined: combined)
        return Summary(question: question.name, submissions: blended.count, skipped: skipped)
    }

    /// A scored submission's validation predictions of each fold, read back from its run
    /// directory (``Evaluation/StoredPredictions``; the predictions files of evaluations made
    /// before they were stored); its test predictions are kept apart (``baggedTest(team:name:data:)``).
    func load(team: String, name: String, data: QuestionData) throws -> [SubmissionFoldPredictions] {
        let run = JobDirectory(url: hub.evaluationContext.runDirectory(team: team, submission: name, question: data.question.name))
        return try data.folds.indices.map { index in
            let stored = run.fold(index).storedValidationPredictions
            if FileManager.default.fileExists(atPath: stored.path) {
                return SubmissionFoldPredictions(validation: try StoredPredictions.read(stored), test: nil)
            }
            return SubmissionFoldPredictions(validation: try Self.predictionsFile(run, data: data, fold: index).validation, test: nil)
        }
    }

    /// A scored submission's bagged test predictions (the mean of its fold models'), read only
    /// for the blends' members.
    func baggedTest(team: String, name: String, data: QuestionData) throws -> Predictions {
        let run = JobDirectory(url: hub.evaluationContext.runDirectory(team: team, submission: name, question: data.question.name))
        if FileManager.default.fileExists(atPath: run.storedTestPredictions.path) {
            return try StoredPredictions.read(run.storedTestPredictions)
        }
        return averageOverFolds(try data.folds.indices.map { try Self.predictionsFile(run, data: data, fold: $0).test })
    }

    /// Fold `index`'s predictions as the evaluation's run wrote them (evaluations scored before
    /// predictions were stored, which kept the files).
    private static func predictionsFile(
        _ run: JobDirectory, data: QuestionData, fold index: Int
    ) throws -> (validation: Predictions, test: Predictions) {
        let validationIDs = data.folds[index].validationRows.map { data.trainIDs[$0] }
        let predictions = try PredictionsReader.read(run.fold(index).predictions, question: data.question, expectedIDs: validationIDs + data.testIDs)
        let count = validationIDs.count
        return (predictions.selecting(rows: Array(0..<count)), predictions.selecting(rows: Array(count..<predictions.rowCount)))
    }
}

/// Parsed fold predictions, shared between recomputations. Keyed by what was evaluated (the
/// evaluation and the instant its result was recorded), so a re-scored evaluation is read
/// again; bounded: a pass of ``Contributivity/recomputeAll()`` keeps only what it used, and
/// nothing is kept beyond ``maximumValues`` numbers (about 8 bytes each).
public final class PredictionCache: @unchecked Sendable {
    /// What a cache entry is the predictions of.
    public struct Key: Hashable, Sendable {
        public let evaluationID: Int64
        /// When the evaluation's result was recorded.
        public let finishedAt: Date
    }

    /// The most numbers (probabilities or values) kept.
    public let maximumValues: Int
    private let lock = NSLock()
    private var stored: [Key: (predictions: [SubmissionFoldPredictions], values: Int)] = [:]
    private var storedValues = 0
    private var usedInPass: Set<Key>?

    public init(maximumValues: Int = 64 << 20) {
        self.maximumValues = maximumValues
    }

    /// How many entries and numbers it holds.
    public var size: (entries: Int, values: Int) { lock.withLock { (stored.count, storedValues) } }

    func beginPass() { lock.withLock { usedInPass = [] } }

    /// Drops every entry the pass did not use (evaluations re-scored, cancelled, or gone).
    func endPass() {
        lock.withLock {
            guard let used = usedInPass else { return }
            for key in stored.keys where !used.contains(key) {
                storedValues -= stored[key]!.values
                stored[key] = nil
            }
            usedInPass = nil
        }
    }

    func predictions(_ key: Key, load: () throws -> [SubmissionFoldPredictions]) throws -> [SubmissionFoldPredictions] {
        if let cached = lock.withLock({ () -> [SubmissionFoldPredictions]? in
            usedInPass?.insert(key)
            return stored[key]?.predictions
        }) {
            return cached
        }
        let loaded = try load()
        let values = loaded.reduce(0) { $0 + Self.count($1.validation) + ($1.test.map(Self.count) ?? 0) }
        lock.withLock {
            guard storedValues + values <= maximumValues else { return }
            stored[key] = (loaded, values)
            storedValues += values
        }
        return loaded
    }

    private static func count(_ predictions: Predictions) -> Int {
        switch predictions {
        case .probabilities(let matrix): matrix.values.count
        case .values(let values): values.count
        }
    }
}
