/// One region of a later submission's file copied, without lineage, from a file of an earlier
/// submission of another team.
///
/// Line ranges are 1-based and inclusive and hold whole lines: they run from the first matched
/// line to the last on each side, so they may enclose a few lines the copier added or removed
/// inside the region.
public struct ReuseMatch: Sendable, Hashable, Codable {
    /// The key (`team/name`) of the earlier submission, the one the region is attributed to.
    public var earlier: String
    /// The key (`team/name`) of the later submission, the one holding the copy.
    public var later: String
    /// The path of the earlier submission's file.
    public var earlierFile: String
    /// The lines of the region in the earlier file.
    public var earlierLines: ClosedRange<Int>
    /// The path of the later submission's file.
    public var laterFile: String
    /// The lines of the region in the later file.
    public var laterLines: ClosedRange<Int>
    /// How many lines of the later file are mostly matched: at least half of their tokens
    /// match and are not the starting kit's. Blank lines, comments, lines added inside
    /// ``laterLines`` and lines where mostly the kit's code matched do not count. Compared with
    /// the detector's `minimumLines`.
    public var matchedLines: Int

    /// Creates a match.
    public init(
        earlier: String, later: String, earlierFile: String, earlierLines: ClosedRange<Int>,
        laterFile: String, laterLines: ClosedRange<Int>, matchedLines: Int
    ) {
        self.earlier = earlier
        self.later = later
        self.earlierFile = earlierFile
        self.earlierLines = earlierLines
        self.laterFile = laterFile
        self.laterLines = laterLines
        self.matchedLines = matchedLines
    }
}
