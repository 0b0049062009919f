/// One cross-validation fold of a question, as blending sees it.
public struct BlendingFold: Sendable, Equatable {
    /// The fold's validation rows: indices into the training rows (`0..<trainingTruth.rowCount`),
    /// in the order in which every submission's validation predictions for this fold are given.
    /// Folds may overlap (shuffle-split).
    public var validationRows: [Int]

    /// Creates a fold from its validation row indices.
    public init(validationRows: [Int]) {
        self.validationRows = validationRows
    }
}
