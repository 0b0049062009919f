/// Looks score types up by the names used in challenge.yaml, the database and JSON output.
public enum ScoreTypes {
    /// Every known name, in a stable order.
    public static let allNames: [String] = [
        "accuracy", "balanced_accuracy", "roc_auc", "log_loss", "f1", "f1_macro",
        "brier_score", "rmse", "mae", "r2", "plasticc_log_loss",
    ]

    /// The score type called `name`, with its default parameters.
    /// - Throws: ``ScoreTypeError/unknownScoreType(_:)`` when `name` is not in ``allNames``.
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
        default: throw ScoreTypeError.unknownScoreType(name)
        }
    }
}
