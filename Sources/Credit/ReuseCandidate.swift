/// A region found between an earlier and a later file, before overlapping duplicates and
/// small regions are dropped.
struct ReuseCandidate: Sendable {
    let pair: ReuseFilePair
    let coverage: ReuseCoverage

    /// Larger regions first (matched lines, then covered tokens), then by earlier file and
    /// line: the order in which overlapping duplicates are resolved.
    static func precedes(_ left: ReuseCandidate, _ right: ReuseCandidate) -> Bool {
        let (one, other) = (left.coverage, right.coverage)
        return (-one.matchedLines, -one.coveredTokens, left.pair.earlierFile, one.earlierLines.lowerBound)
            < (-other.matchedLines, -other.coveredTokens, right.pair.earlierFile, other.earlierLines.lowerBound)
    }

    /// Keeps one region per stretch of a later file and source submission: when regions from
    /// the same source overlap in the later file (the code is in several of the source's files,
    /// or repeats within one), only the largest stays.
    static func distinct(_ candidates: [ReuseCandidate]) -> [ReuseCandidate] {
        var kept: [ReuseCandidate] = []
        for candidate in candidates.sorted(by: precedes) {
            let overlaps = kept.contains { other in
                other.pair.laterFile == candidate.pair.laterFile && other.pair.source == candidate.pair.source
                    && other.coverage.laterSpan.overlaps(candidate.coverage.laterSpan)
            }
            if !overlaps { kept.append(candidate) }
        }
        return kept
    }
}
