/// One submission as historical contributivity sees it: its own contributivity, the measured
/// shares of its credit that go to the submissions whose code it holds, and the declared
/// shares of its own part.
public struct CreditedSubmission: Sendable, Equatable {
    /// The submission's contributivity from blending (a fraction; all of them sum to 1).
    public var contributivity: Double
    /// Measured shares: fractions of its contributivity that go, final, to earlier submissions
    /// whose code it holds (blame already names the originators: nothing is split again). The
    /// rest is its own part.
    public var measured: [CreditShare]
    /// Declared shares: fractions of its own part (and of the declared credit it received)
    /// given to earlier submissions, which split what they receive by their own declarations
    /// in turn (RAMP's rule). A submission may appear more than once (its fractions add up).
    public var credits: [CreditShare]

    /// Creates a submission with its contributivity, measured shares and declared credits.
    public init(contributivity: Double, measured: [CreditShare] = [], credits: [CreditShare] = []) {
        self.contributivity = contributivity
        self.measured = measured
        self.credits = credits
    }

    /// The fraction of its own part the submission keeps: one minus the fractions it declares.
    public var selfShare: Double {
        1 - credits.reduce(0) { $0 + $1.fraction }
    }
}
