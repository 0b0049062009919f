/// Limits on how often a team may submit. Zero means no limit.
public struct Quotas: Sendable, Equatable {
    /// Seconds a team must wait between two submissions (RAMP uses 900).
    public var minimumIntervalSeconds: Int
    /// Submissions per UTC day.
    public var maximumPerDay: Int
    /// Submissions in all.
    public var maximumTotal: Int
    /// Whether submissions that failed through the team's own code (training, testing or
    /// scoring errors) count. Failures through the hub's fault never count.
    public var countOwnErrors: Bool

    public static let unlimited = Quotas(minimumIntervalSeconds: 0, maximumPerDay: 0, maximumTotal: 0, countOwnErrors: true)

    public init(minimumIntervalSeconds: Int, maximumPerDay: Int, maximumTotal: Int, countOwnErrors: Bool) {
        self.minimumIntervalSeconds = minimumIntervalSeconds
        self.maximumPerDay = maximumPerDay
        self.maximumTotal = maximumTotal
        self.countOwnErrors = countOwnErrors
    }
}

/// Limits on what a push may bring.
public struct PushLimits: Sendable, Equatable {
    /// Largest single file (blob), in bytes.
    public var largestBlobBytes: Int
    /// Largest push (the pack git sends), in bytes.
    public var pushBytes: Int
    /// Most files in a submitted tree.
    public var files: Int
    /// Largest submitted tree written out as files (every file's size summed, one file named
    /// twice counting twice), in bytes: what an evaluation's copy of the tree takes on disk.
    public var treeBytes: Int

    public static let defaults = PushLimits(largestBlobBytes: 20 << 20, pushBytes: 100 << 20, files: 2_000, treeBytes: 256 << 20)

    public init(largestBlobBytes: Int, pushBytes: Int, files: Int, treeBytes: Int) {
        self.largestBlobBytes = largestBlobBytes
        self.pushBytes = pushBytes
        self.files = files
        self.treeBytes = treeBytes
    }
}

/// The public part of the test rows (Kaggle's public/private split).
public struct TestSplit: Sendable, Equatable {
    /// Fraction of the test rows whose score is shown during the challenge, in [0, 1].
    public var publicFraction: Double
    /// Seed of the draw of public rows.
    public var seed: UInt64

    public static let defaults = TestSplit(publicFraction: 0.5, seed: 1)

    public init(publicFraction: Double, seed: UInt64) {
        self.publicFraction = publicFraction
        self.seed = seed
    }
}
