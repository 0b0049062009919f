extension LogLoss {
    /// Whether log loss divides each probability row by its sum, and when.
    public enum RowNormalization: Sendable, Equatable {
        /// Use the clipped probabilities as given (scikit-learn >= 1.5).
        case none
        /// Clip, then divide each row by its sum (scikit-learn < 1.5; the default).
        case afterClipping
        /// Divide each row by its sum, then clip (ramp-workflow's first
        /// `NegativeLogLikelihood`, "Kaggle's rule").
        case beforeClipping
    }
}
