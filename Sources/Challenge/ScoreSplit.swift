/// Which rows a score was computed on.
public enum ScoreSplit: String, Codable, Sendable, Equatable, CaseIterable {
    /// Cross-validation rows (public).
    case valid
    /// Hidden test rows, all of them (organisers only until revealed).
    case test
    /// The public part of the test rows, shown during the challenge.
    case publicTest = "public"
    /// The private part of the test rows, shown after the reveal.
    case privateTest = "private"
}
