/// The parameters of greedy ensemble selection (blending).
///
/// Source: Caruana et al. 2004, "Ensemble selection from libraries of models"; the defaults
/// are those of ramp-workflow 0.7.0 (`rampwf/utils/combine.py`, `blend_on_fold`).
public struct BlendingParameters: Sendable, Equatable {
    /// A candidate joins the ensemble only when it improves the official score by strictly more
    /// than this amount (in the score's own units). ramp-workflow's default is 0: any strict
    /// improvement counts.
    ///
    /// As in ramp-workflow's `_get_next_best_submission`, a step examines the candidates in
    /// index order and moves its running best to each candidate that beats that running best
    /// by more than this amount. With a positive value, a later candidate that is better than
    /// an earlier accepted one by less than this amount therefore does not displace it.
    public var minimumImprovement: Double
    /// The largest number of members (counted with repeats) a fold's ensemble may reach.
    /// ramp-workflow's default is 80. Must be at least 1.
    public var maximumEnsembleSize: Int

    /// Creates blending parameters; the defaults are ramp-workflow's.
    public init(minimumImprovement: Double = 0, maximumEnsembleSize: Int = 80) {
        self.minimumImprovement = minimumImprovement
        self.maximumEnsembleSize = maximumEnsembleSize
    }
}
