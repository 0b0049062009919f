/// Something lineage credit ignored, for the organisers and the submission's team: for example
/// a `Credit:` trailer that names no earlier submission.
public struct LineageWarning: Sendable, Equatable, CustomStringConvertible {
    /// The key of the submission concerned.
    public let submission: String
    /// What was ignored and why, in one line.
    public let message: String

    /// Creates a warning.
    public init(submission: String, message: String) {
        self.submission = submission
        self.message = message
    }

    /// One readable line: `team/name: message`.
    public var description: String { "\(submission): \(message)" }
}
