/// What a region covers: its line ranges on both sides and its size in the later file.
///
/// The region is cut to whole lines: it starts at the first covered token that begins a line
/// in both files and ends at the last covered token that ends a line in both, so a few tokens
/// that happen to match at the end of the line before a copied function (or at the start of
/// the line after it) do not widen its line ranges.
struct ReuseCoverage: Sendable {
    /// From the first to the last covered line of the earlier file.
    let earlierLines: ClosedRange<Int>
    /// From the first to the last covered line of the later file.
    let laterLines: ClosedRange<Int>
    /// From the first to the last covered token of the later file.
    let laterSpan: ClosedRange<Int>
    /// The lines of the later file at least half of whose tokens are covered and not the
    /// starting kit's (see ``ReuseDocument/fromKit``).
    let matchedLines: Int
    /// The number of covered tokens of the later file.
    let coveredTokens: Int

    /// Summarises covered tokens, or returns `nil` when they hold no whole line.
    /// - Parameter counterparts: For each covered token of the later file, the matching token
    ///   of the earlier file.
    init?(counterparts: [Int: Int], earlier: ReuseDocument, later: ReuseDocument) {
        let covered = counterparts.keys.sorted()
        func startsLines(_ position: Int) -> Bool {
            guard let counterpart = counterparts[position] else { return false }
            return Self.startsLine(position, in: later) && Self.startsLine(counterpart, in: earlier)
        }
        func endsLines(_ position: Int) -> Bool {
            guard let counterpart = counterparts[position] else { return false }
            return Self.endsLine(position, in: later) && Self.endsLine(counterpart, in: earlier)
        }
        guard let start = covered.first(where: startsLines), let end = covered.last(where: endsLines), start <= end
        else { return nil }
        let kept = covered.filter { (start...end).contains($0) }
        let earlierPositions = kept.compactMap { counterparts[$0] }
        guard let earlierFirst = earlierPositions.min(), let earlierLast = earlierPositions.max() else { return nil }
        earlierLines = earlier.tokens[earlierFirst].line...earlier.tokens[earlierLast].line
        laterLines = later.tokens[start].line...later.tokens[end].line
        laterSpan = start...end
        var matchedTokensPerLine: [Int: Int] = [:]
        for position in kept where !later.fromKit[position] {
            matchedTokensPerLine[later.tokens[position].line, default: 0] += 1
        }
        matchedLines = matchedTokensPerLine.count { line, matched in
            2 * matched >= later.tokensPerLine[line, default: 0]
        }
        coveredTokens = kept.count
    }

    /// Whether token `position` is the first of its line.
    static func startsLine(_ position: Int, in document: ReuseDocument) -> Bool {
        position == 0 || document.tokens[position - 1].line != document.tokens[position].line
    }

    /// Whether token `position` is the last of its line.
    static func endsLine(_ position: Int, in document: ReuseDocument) -> Bool {
        position == document.tokens.count - 1 || document.tokens[position + 1].line != document.tokens[position].line
    }
}
