/// Finds code that a submission copied from an earlier submission of another team without
/// deriving from it, by winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local
/// algorithms for document fingerprinting", SIGMOD 2003) the normalised tokens of their
/// source files (see ``SourceTokenizer`` and ``Winnowing``).
///
/// For each submission, in recording order, every fingerprint of its files is looked up among
/// the earlier submissions:
/// - Fingerprints of the starting kit (the hash of any k-gram of a baseline file) are ignored,
///   so what every team got from the organisers is never a match.
/// - A fingerprint is legitimately there, and ignored, when the earliest submission that has
///   it is of the same team (copying within a team), or when one of the submission's ancestors
///   has it: code from a submission one forked is not reported, and code inherited through
///   lineage from a submission that copied it is not reported again (only that submission's
///   copy is). Code a team holds only through another team's lineage is not the team's own: a
///   later submission of the team that drops that lineage (an orphan commit with the same
///   code) is reported against its author.
/// - Every other shared fingerprint is attributed to the earliest submission that has it, the
///   most likely author. So when team C copies from team B who copied from team A, both
///   without lineage, C's copy of A's code is reported against A (and B's copy against A
///   too); what B added is reported against B.
///
/// Shared fingerprints between two files are chained into regions that advance on both sides,
/// by steps of at most 2(w + k) k-grams on one side and 4(w + k) on the other: enough to
/// bridge a lost fingerprint, a changed line, or a few lines inserted or deleted by the copier.
/// A region is extended to the neighbouring k-grams that match too and cut to whole lines
/// (it starts where a line starts and ends where a line ends, in both files), then reported
/// when at least `minimumLines` lines of the later file are mostly matched (half of their
/// tokens at least, not counting the starting kit's): a kit method in which two teams made the
/// same small change counts the changed line, not the whole method. Where regions from the
/// same earlier submission overlap in the later file, only the largest is reported.
///
/// Every text file's code is read (``SourceTokenizer/codeByLine(in:path:spelled:)``: in the
/// language its extension names, as Python when it names none; lines of literals only, prose
/// and data left out); long string literals that look like code are read as code (see
/// ``SourceTokenizer``). The work is about linear in the total
/// number of tokens, plus, for each fingerprint, the number of earlier submissions that have it.
public enum ReuseDetector {
    /// The regions of `submissions` copied from earlier submissions without lineage.
    /// - Parameters:
    ///   - submissions: The submissions in recording order, oldest first.
    ///   - baseline: The starting kit's files; code shared with them is never a match.
    ///   - minimumLines: The fewest mostly matched lines of the later file a region must have to
    ///     be reported (see ``ReuseMatch/matchedLines``).
    ///   - parameters: The winnowing parameters (k-gram length and window, in tokens).
    /// - Returns: The matches ordered by later submission (recording order), later file path,
    ///   later lines, earlier submission (recording order), earlier file path and lines.
    public static func find(
        submissions: [ReuseSubmission], baseline: [SourceFile], minimumLines: Int,
        parameters: WinnowingParameters = WinnowingParameters()
    ) -> [ReuseMatch] {
        let kit = Set(baseline.compactMap { ReuseDocument(file: $0, parameters: parameters) }.flatMap(\.hashes))
        let documents = submissions.map { submission in
            submission.files.compactMap { ReuseDocument(file: $0, parameters: parameters, kit: kit) }
        }
        let maximumGap = 2 * (max(1, parameters.windowLength) + max(1, parameters.kGramLength))
        var index = ReuseIndex()
        var matches: [ReuseMatch] = []
        for later in submissions.indices {
            let legitimate = legitimateSources(of: later, in: submissions)
            let team = submissions[later].team
            let seeds = seeds(of: documents[later], index: index, kit: kit, legitimate: legitimate) { submissions[$0].team == team }
            var candidates: [ReuseCandidate] = []
            for (pair, pairSeeds) in seeds.sorted(by: { $0.key < $1.key }) {
                let earlier = documents[pair.source][pair.earlierFile]
                let laterDocument = documents[later][pair.laterFile]
                for region in ReuseRegion.chain(pairSeeds, maximumGap: maximumGap) {
                    let coverage = region.coverage(
                        earlier: earlier, later: laterDocument, baseline: kit, parameters: parameters)
                    if let coverage { candidates.append(ReuseCandidate(pair: pair, coverage: coverage)) }
                }
            }
            let reported = ReuseCandidate.distinct(candidates).filter { $0.coverage.matchedLines >= minimumLines }
            matches += reported.map { candidate in
                (
                    source: candidate.pair.source,
                    match: ReuseMatch(
                        earlier: submissions[candidate.pair.source].key, later: submissions[later].key,
                        earlierFile: documents[candidate.pair.source][candidate.pair.earlierFile].path,
                        earlierLines: candidate.coverage.earlierLines,
                        laterFile: documents[later][candidate.pair.laterFile].path,
                        laterLines: candidate.coverage.laterLines, matchedLines: candidate.coverage.matchedLines)
                )
            }
            .sorted(by: reportOrder).map(\.match)
            index.add(documents[later], submission: later, ignoring: kit)
        }
        return matches
    }

    /// The earlier submissions `later` may share code with legitimately: its ancestors.
    private static func legitimateSources(of later: Int, in submissions: [ReuseSubmission]) -> Set<Int> {
        let submission = submissions[later]
        return Set(submissions[..<later].indices.filter { submission.ancestors.contains(submissions[$0].key) })
    }

    /// The fingerprints a submission's documents share with the earliest earlier submission
    /// that has each of them, by pair of files; fingerprints of the kit, those that a
    /// legitimate source also has, and those first written by the submission's own team
    /// (`isOwnTeam`, by index) are left out.
    private static func seeds(
        of documents: [ReuseDocument], index: ReuseIndex, kit: Set<UInt64>, legitimate: Set<Int>, isOwnTeam: (Int) -> Bool
    ) -> [ReuseFilePair: [ReuseSeed]] {
        var seeds: [ReuseFilePair: [ReuseSeed]] = [:]
        for (laterFile, document) in documents.enumerated() {
            for fingerprint in document.fingerprints where !kit.contains(fingerprint.hash) {
                let occurrences = index.occurrences(of: fingerprint.hash)
                guard let source = occurrences.first?.submission, !isOwnTeam(source),
                    !occurrences.contains(where: { legitimate.contains($0.submission) })
                else { continue }
                for occurrence in occurrences where occurrence.submission == source {
                    let pair = ReuseFilePair(source: source, earlierFile: occurrence.file, laterFile: laterFile)
                    let seed = ReuseSeed(earlier: occurrence.position, later: fingerprint.position)
                    seeds[pair, default: []].append(seed)
                }
            }
        }
        return seeds
    }

    /// Within one later submission: by later file and lines, then by earlier submission
    /// (recording order), earlier file and lines.
    private static func reportOrder(
        _ left: (source: Int, match: ReuseMatch), _ right: (source: Int, match: ReuseMatch)
    ) -> Bool {
        func key(_ entry: (source: Int, match: ReuseMatch)) -> (String, Int, Int, Int, String, Int) {
            let match = entry.match
            return (
                match.laterFile, match.laterLines.lowerBound, match.laterLines.upperBound, entry.source,
                match.earlierFile, match.earlierLines.lowerBound
            )
        }
        return key(left) < key(right)
    }
}
