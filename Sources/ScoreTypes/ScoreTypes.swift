/// Looks score types up by the names used in challenge.yaml, the database and JSON output.
public enum ScoreTypes {
    /// Every known name, in a stable order.
    public static let allNames: [String] = [
        "accuracy", "balanced_accuracy", "roc_auc", "log_loss", "f1", "f1_macro",
        "brier_score", "rmse", "mae", "r2", "plasticc_log_loss", "classification_error", "f1_above_0.5",
    ]

    /// The score type called `name`, with its default parameters.
    /// ``allNames`` lists `f1_above_0.5` for the family `f1_above_<threshold>`, which takes any
    /// threshold in [0, 1].
    /// - Throws: ``ScoreTypeError/unknownScoreType(_:)`` when `name` is not known.
    public static func named(_ name: String) throws -> any ScoreType {
        switch name {
        case "accuracy": Accuracy()
        case "balanced_accuracy": BalancedAccuracy()
        case "roc_auc": ROCAUC()
        case "log_loss": LogLoss()
        case "f1": F1()
        case "f1_macro": F1Macro()
        case "brier_score": BrierScore()
        case "rmse": RootMeanSquaredError()
        case "mae": MeanAbsoluteError()
        case "r2": CoefficientOfDetermination()
        case "plasticc_log_loss": PlasticcLogLoss()
        case "classification_error": ClassificationError()
        default:
            // f1_above_<threshold>, any threshold in [0, 1].
            if let f1Above = F1Above(name: name) { f1Above } else { throw ScoreTypeError.unknownScoreType(name) }
        }
    }
}
