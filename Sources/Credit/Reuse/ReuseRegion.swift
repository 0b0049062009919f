/// A chain of seeds between two files that advance together on both sides: one copied region.
struct ReuseRegion: Sendable {
    private(set) var seeds: [ReuseSeed]

    /// Chains `seeds` into regions. A seed extends the region whose last seed precedes it on
    /// both sides, by at most `maximumGap` k-gram positions on one side and twice that on the
    /// other (the nearest such region); otherwise it starts a region. Regions come out in order
    /// of their first seed.
    static func chain(_ seeds: [ReuseSeed], maximumGap: Int) -> [ReuseRegion] {
        var regions: [ReuseRegion] = []
        var open: [Int] = []
        for seed in seeds.sorted() {
            open.removeAll { regions[$0].seeds[regions[$0].seeds.count - 1].later < seed.later - 2 * maximumGap }
            var best: (region: Int, distance: Int)?
            for region in open {
                let last = regions[region].seeds[regions[region].seeds.count - 1]
                let laterStep = seed.later - last.later
                let earlierStep = seed.earlier - last.earlier
                let (shortStep, longStep) = (min(laterStep, earlierStep), max(laterStep, earlierStep))
                guard shortStep >= 1, shortStep <= maximumGap, longStep <= 2 * maximumGap else { continue }
                if best.map({ laterStep + earlierStep < $0.distance }) ?? true {
                    best = (region, laterStep + earlierStep)
                }
            }
            if let best {
                regions[best.region].seeds.append(seed)
            } else {
                open.append(regions.count)
                regions.append(ReuseRegion(seeds: [seed]))
            }
        }
        return regions
    }

    /// What the region covers on both sides, or `nil` when it holds no whole line. Each
    /// seed's k-gram is covered, extended by up to w − 1 neighbouring k-grams that match too on
    /// the same diagonal and are not in the starting kit: winnowing keeps a fingerprint in
    /// every w consecutive k-grams, so this reaches the true ends of the region without running
    /// into the next one.
    func coverage(
        earlier: ReuseDocument, later: ReuseDocument, baseline: Set<UInt64>, parameters: WinnowingParameters
    ) -> ReuseCoverage? {
        let length = max(1, parameters.kGramLength)
        let reach = max(1, parameters.windowLength) - 1
        func matches(_ earlierPosition: Int, _ laterPosition: Int) -> Bool {
            earlierPosition >= 0 && laterPosition >= 0 && earlierPosition < earlier.hashes.count
                && laterPosition < later.hashes.count && earlier.hashes[earlierPosition] == later.hashes[laterPosition]
                && !baseline.contains(later.hashes[laterPosition])
        }
        var counterparts: [Int: Int] = [:]
        for seed in seeds {
            var backward = 0
            while backward < reach, matches(seed.earlier - backward - 1, seed.later - backward - 1) { backward += 1 }
            var forward = 0
            while forward < reach, matches(seed.earlier + forward + 1, seed.later + forward + 1) { forward += 1 }
            for offset in -backward..<(forward + length) where counterparts[seed.later + offset] == nil {
                counterparts[seed.later + offset] = seed.earlier + offset
            }
        }
        return ReuseCoverage(counterparts: counterparts, earlier: earlier, later: later)
    }
}

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
