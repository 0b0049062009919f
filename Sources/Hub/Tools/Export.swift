import Challenge
import Evaluation
import Foundation
import Host
import Ledger
import ScoreTypes
import Subprocess
import SystemPackage

/// `forkboard export DIR`: what a collaboration needs after the challenge: a git bundle of the
/// ledger (every submission, with its notes), the results as CSV and JSON, the predictions,
/// and a README describing each file.
public struct Export {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// Writes the export into `directory` (created; must be empty or missing).
    /// - Throws: ``HubError/alreadyExists(_:)``, git's failure to bundle, file or database errors.
    public func write(to directory: URL) async throws {
        let fileManager = FileManager.default
        if let contents = try? fileManager.contentsOfDirectory(atPath: directory.path), !contents.isEmpty {
            throw HubError.alreadyExists(directory.path)
        }
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let bundle = try await Subprocess.run(
            .path(FilePath(try Executables.git())),
            arguments: [
                "--git-dir", hub.paths.ledgerRepository.path, "bundle", "create", directory.appendingPathComponent("ledger.bundle").path, "--all",
            ],
            environment: .inherit.updating(["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]),
            output: .discarded, error: .string(limit: 1 << 16))
        guard bundle.terminationStatus.isSuccess else { throw HubError.preparationFailed("git bundle: \(bundle.standardError)") }

        let views = try SubmissionView.makeAll(hub: hub, includeLogs: true, visibleSplits: ScoreVisibility.all)
        try LeaderboardFormatter.json(views).write(to: directory.appendingPathComponent("submissions.json"), atomically: true, encoding: .utf8)
        var submissions: [[String]] = []
        var foldScores: [[String]] = []
        var baggedScores: [[String]] = []
        var credits: [[String]] = []
        var lineage: [[String]] = []
        var contributivity: [[String]] = []
        let contributivities = try hub.ledger.contributivities()
        let details = try hub.ledger.submissionDetails()
        var data: [String: QuestionData] = [:]
        for (view, detail) in zip(views, details) {
            let key = "\(view.key)"
            submissions.append([
                view.team, view.submission, view.commit, view.pusher, view.submittedAt, view.phase ?? "", view.state, view.description ?? "",
            ])
            for evaluation in detail.evaluations {
                for record in evaluation.foldScores {
                    foldScores.append([
                        key, evaluation.record.question, String(record.fold), record.split.rawValue, record.scoreType, String(record.value),
                    ])
                }
                for record in evaluation.baggedScores {
                    baggedScores.append([key, evaluation.record.question, record.split.rawValue, record.scoreType, String(record.value)])
                }
                if let credit = contributivities[evaluation.record.id!] {
                    contributivity.append([key, evaluation.record.question, String(credit.value), credit.historical.map { String($0) } ?? ""])
                }
                try writePredictions(team: view.team, name: view.submission, question: evaluation.record.question, into: directory, data: &data)
            }
            for (owner, fraction) in view.credits.sorted(by: { $0.key < $1.key }) {
                credits.append([key, owner, String(fraction), String(view.measuredCredits[owner] ?? 0), String(view.declaredCredits[owner] ?? 0)])
            }
            for ancestor in view.derivesFrom { lineage.append([key, ancestor]) }
        }
        let tables: [(String, [String], [[String]])] = [
            ("submissions.csv", ["team", "submission", "commit", "pusher", "submitted_at", "phase", "state", "description"], submissions),
            ("fold_scores.csv", ["submission", "question", "fold", "split", "score_type", "value"], foldScores),
            ("bagged_scores.csv", ["submission", "question", "split", "score_type", "value"], baggedScores),
            ("contributivity.csv", ["submission", "question", "contributivity", "historical_contributivity"], contributivity),
            ("credits.csv", ["submission", "owner", "fraction", "measured", "declared"], credits),
            ("lineage.csv", ["submission", "derives_from"], lineage),
        ]
        for (name, header, rows) in tables {
            try CSVTable(header: header, rows: rows).write(to: directory.appendingPathComponent(name))
        }
        try Self.readme(challenge: hub.challenge.title).write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    }

    /// Writes a submission's kept predictions as CSV for people: each fold's validation
    /// predictions (`fold-<k>.csv`) and the bagged test predictions (`test.csv`), id then one
    /// column per label (or `prediction`); for an evaluation made before predictions were kept,
    /// the files its runs wrote are copied.
    private func writePredictions(team: String, name: String, question: String, into directory: URL, data: inout [String: QuestionData]) throws {
        let run = JobDirectory(url: hub.evaluationContext.runDirectory(team: team, submission: name, question: question))
        let fileManager = FileManager.default
        let target = directory.appendingPathComponent("predictions/\(team)/\(name)/\(question)")
        guard
            fileManager.fileExists(atPath: run.storedTestPredictions.path)
                || fileManager.fileExists(atPath: run.fold(0).storedValidationPredictions.path)
        else {
            var fold = 0
            while fileManager.fileExists(atPath: run.fold(fold).predictions.path) {
                try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
                try fileManager.copyItem(at: run.fold(fold).predictions, to: target.appendingPathComponent("fold-\(fold).csv"))
                fold += 1
            }
            return
        }
        guard let definition = hub.challenge.question(named: question) else { return }
        if data[question] == nil { data[question] = try QuestionData.load(files: .hub(home: hub.home, question: definition), question: definition) }
        guard let questionData = data[question] else { return }
        try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
        for (index, fold) in questionData.folds.enumerated() where fileManager.fileExists(atPath: run.fold(index).storedValidationPredictions.path) {
            try Self.writeCSV(
                try StoredPredictions.read(run.fold(index).storedValidationPredictions),
                ids: fold.validationRows.map { questionData.trainIDs[$0] }, question: definition,
                to: target.appendingPathComponent("fold-\(index).csv"))
        }
        if fileManager.fileExists(atPath: run.storedTestPredictions.path) {
            try Self.writeCSV(
                try StoredPredictions.read(run.storedTestPredictions), ids: questionData.testIDs, question: definition,
                to: target.appendingPathComponent("test.csv"))
        }
    }

    /// `predictions` of the objects `ids` as CSV, streamed.
    static func writeCSV(_ predictions: Predictions, ids: [String], question: Question, to url: URL) throws {
        let writer = try BufferedFileWriter(url: url)
        switch predictions {
        case .probabilities(let matrix):
            try writer.write(([question.idColumn] + question.labels).map(CSVTable.field).joined(separator: ",") + "\n")
            for (row, id) in ids.enumerated() {
                try writer.write(CSVTable.field(id) + "," + matrix.row(row).map { String($0) }.joined(separator: ",") + "\n")
            }
        case .values(let values):
            try writer.write(CSVTable.field(question.idColumn) + "," + PredictionsReader.regressionColumn + "\n")
            for (row, id) in ids.enumerated() { try writer.write(CSVTable.field(id) + "," + String(values[row]) + "\n") }
        }
        try writer.close()
    }

    static func readme(challenge: String) -> String {
        """
        # Export of the challenge "\(challenge)"

        Made by `forkboard export`. Times are UTC; scores are in each score type's own units.

        - `ledger.bundle`: a git bundle of the hub's ledger: every submitted commit and its
          history under `refs/submissions/<team>/<name>`, the starting kit on `main`, and the
          evaluation records as git notes (`refs/notes/forkboard`). Read it with
          `git clone ledger.bundle ledger && cd ledger && git fetch origin 'refs/*:refs/*'`,
          then `git log --notes=forkboard refs/submissions/TEAM/NAME`.
        - `submissions.json`: every submission with its state, scores (all splits), parents,
          lineage, credits and logs (the format of `forkboard submissions --format json`).
        - `submissions.csv`: team, submission, commit, pusher, submitted_at, phase, state, description.
        - `fold_scores.csv`: each fold's scores; split `valid` = the fold's validation rows,
          `test` = all test rows, `public` / `private` = the two parts of the test rows.
        - `bagged_scores.csv`: bagged scores (out-of-fold validation; test predictions averaged
          over the fold models).
        - `contributivity.csv`: RAMP's contributivity (share of the blended ensembles, in [0, 1])
          and the historical contributivity (after credit flows along the lineage).
        - `credits.csv`: each submission's credit by owning submission: `fraction` what goes to it,
          `measured` the fraction of the code tokens it introduced, `declared` the fraction of
          the submission's own share its `Credit:` trailers give it; `organisers/starting-kit`
          is the starting kit.
        - `lineage.csv`: each submission and the earlier submissions it derives from.
        - `predictions/<team>/<submission>/<question>/fold-<k>.csv`: the predictions of fold k's
          model on the fold's validation rows; `test.csv`: the test rows' predictions averaged
          over the fold models (bagged), as scored.

        """
    }
}
