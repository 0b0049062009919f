import ScoreTypes
import Testing

@Suite("Score type lookup")
struct ScoreTypeLookupTests {
    @Test("every listed name resolves to a score type of that name", arguments: ScoreTypes.allNames)
    func namesResolve(name: String) throws {
        #expect(try ScoreTypes.named(name).name == name)
    }

    @Test("names are unique")
    func namesAreUnique() {
        #expect(Set(ScoreTypes.allNames).count == ScoreTypes.allNames.count)
    }

    @Test("an unknown name throws unknownScoreType")
    func unknownName() {
        #expect(throws: ScoreTypeError.unknownScoreType("auc")) { try ScoreTypes.named("auc") }
    }

    @Test("f1_above takes any threshold in [0, 1], written as it reads back")
    func f1AboveThresholds() throws {
        #expect((try ScoreTypes.named("f1_above_0.7") as? F1Above)?.threshold == 0.7)
        #expect(try ScoreTypes.named("f1_above_1.0").name == "f1_above_1.0")
        for name in ["f1_above_", "f1_above_1.5", "f1_above_0.70", "f1_above_x", "f1_above_-0.1"] {
            #expect(throws: ScoreTypeError.unknownScoreType(name)) { try ScoreTypes.named(name) }
        }
    }

    @Test("losses and errors are lower-is-better, the others higher-is-better")
    func direction() throws {
        let lowerIsBetter: Set = ["log_loss", "brier_score", "rmse", "mae", "plasticc_log_loss", "classification_error"]
        for name in ScoreTypes.allNames {
            #expect(try ScoreTypes.named(name).isLowerBetter == lowerIsBetter.contains(name), "\(name)")
        }
        #expect(LogLoss().isBetter(0.1, than: 0.2))
        #expect(ROCAUC().isBetter(0.9, than: 0.8))
        #expect(!ROCAUC().isBetter(0.8, than: 0.8))
    }
}
