import Challenge
import Foundation
import ScoreTypes
import Testing

/// Score programs as challenge.yaml declares them, and the mistakes an organiser makes there.
struct ScoreProgramConfigurationTests {
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates/breast-cancer/challenge.yaml")

    static func parse(scoreTypes: String) throws -> ChallengeConfiguration {
        let text = try String(contentsOf: template, encoding: .utf8)
            .replacingOccurrences(of: "score_types: [roc_auc, accuracy, log_loss]", with: "score_types: \(scoreTypes)")
        return try ChallengeConfiguration.parse(text, file: "challenge.yaml", initTime: Date())
    }

    @Test func aProgramIsAScoreTypeOfItsOwn() throws {
        let question = try #require(
            try Self.parse(scoreTypes: "[{name: weighted_log_loss, command: [python, scoring/score.py], lower_is_better: true}, accuracy]")
                .questions.first)
        #expect(question.scoreTypes == ["weighted_log_loss", "accuracy"])
        #expect(question.scoreProgram(named: "weighted_log_loss")?.command == ["python", "scoring/score.py"])
        #expect(question.isLowerBetter("weighted_log_loss") && !question.isLowerBetter("accuracy"))
        #expect(question.builtInScoreTypes == ["accuracy"])
        #expect(question.blendingScoreType == "accuracy", "blending falls back to the first built-in score type")
        let onlyProgram = try #require(
            try Self.parse(scoreTypes: "[{name: mine, command: [python, scoring/mine.py], lower_is_better: false}]").questions.first)
        #expect(onlyProgram.blendingScoreType == nil)
    }

    @Test(arguments: [
        ("[{name: accuracy, command: [python, s.py], lower_is_better: false}]", "'accuracy' is already a score type's name"),
        ("[{name: mine, command: [python, s.py]}]", "lower_is_better: is required"),
        ("[{name: mine, command: [], lower_is_better: true}]", "command: must name the program to run"),
        ("[{name: Mine, command: [python, s.py], lower_is_better: true}]", "must be lower-case letters"),
        ("[{name: mine, command: [python, s.py], lower_is_better: true, higher: 1}]", "higher: unknown key"),
    ])
    func aBadDeclarationIsNamed(scoreTypes: String, problem: String) {
        #expect {
            try Self.parse(scoreTypes: scoreTypes)
        } throws: { error in
            "\(error)".contains(problem) && "\(error)".contains("score_types[0]")
        }
    }

    @Test func plasticcLogLossTakesClassWeightsByLabel() throws {
        let question = try #require(
            try Self.parse(scoreTypes: #"[{name: plasticc_log_loss, class_weights: {malignant: 2}}, accuracy]"#).questions.first)
        #expect(question.scoreTypes == ["plasticc_log_loss", "accuracy"])
        #expect(question.classWeights == [1, 2], "labels benign, malignant: the unnamed one weighs 1")
        let weighted = try #require(try question.scoreType(named: "plasticc_log_loss") as? PlasticcLogLoss)
        #expect(weighted.classWeights == [1, 2])
        #expect(question.builtInScoreTypes == ["plasticc_log_loss", "accuracy"], "a built-in score type, blended")
        #expect(throws: (any Error).self) { try Self.parse(scoreTypes: "[{name: log_loss, class_weights: {malignant: 2}}]") }
        #expect {
            try Self.parse(scoreTypes: "[{name: plasticc_log_loss, class_weights: {harmless: 2}}]")
        } throws: { "\($0)".contains("'harmless' is not one of the labels") }
        #expect {
            try Self.parse(scoreTypes: "[{name: plasticc_log_loss, class_weights: {benign: -1}}]")
        } throws: { "\($0)".contains("must be a number >= 0") }
    }
}
