/// A `Credit:` trailer of a commit message, `Credit: <team>/<submission> <percent>%`, by which
/// a submission states the share of its credit it gives to an earlier submission (replacing
/// the shares computed from its lines; see ``LineageCredit``).
///
/// Trailers follow git's syntax (git-interpret-trailers(1)): they are `Token: value` lines of
/// the message's last paragraph, which is not the title; that paragraph counts as a trailer
/// block when all of its lines are trailers (or their indented continuation lines), or when at
/// least a quarter are and one is git-generated (`Signed-off-by:`, `(cherry picked from
/// commit ...)`). The token is matched without regard to case; the percentage may be decimal.
public struct CreditTrailer: Sendable, Equatable {
    /// The credited submission's key, `team/submission`.
    public let submission: String
    /// The share given, in percent (0 to 100 for a valid trailer).
    public let percent: Double
    /// The trailer as written (continuation lines joined by a space).
    public let text: String

    /// Creates a trailer.
    public init(submission: String, percent: Double, text: String) {
        self.submission = submission
        self.percent = percent
        self.text = text
    }

    /// The share given, as a fraction of 1.
    public var fraction: Double { percent / 100 }

    /// The `Credit:` trailers of a commit message, and one line for each `Credit:` line that
    /// was ignored (malformed, or outside the trailer block).
    public static func parse(message: String) -> (trailers: [CreditTrailer], problems: [String]) {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        let block = trailerBlock(lines)
        var trailers: [CreditTrailer] = []
        var problems: [String] = []
        for (index, line) in lines.enumerated() where !block.contains(index) {
            if let (token, _) = split(line), token.lowercased() == "credit" {
                problems.append("ignored '\(line)': not in the trailer block (the last paragraph of the message)")
            }
        }
        for (token, value, text) in unfolded(lines, in: block) where token.lowercased() == "credit" {
            if let trailer = parseValue(value, text: text) {
                trailers.append(trailer)
            } else {
                problems.append("ignored '\(text)': expected 'Credit: team/submission percent%'")
            }
        }
        return (trailers, problems)
    }

    /// Reads `team/submission 12.5%` (the percent sign may follow a space).
    private static func parseValue(_ value: String, text: String) -> CreditTrailer? {
        var words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.count == 3, words[2] == "%" { words = [words[0], words[1] + "%"] }
        guard words.count == 2, words[1].hasSuffix("%") else { return nil }
        let key = words[0]
        let number = words[1].dropLast()
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        guard number.contains(where: \.isNumber), number.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }),
            number.filter({ $0 == "." }).count <= 1, let percent = Double(number), percent.isFinite
        else { return nil }
        return CreditTrailer(submission: key, percent: percent, text: text)
    }

    /// The indices of the lines of the trailer block, empty when the message has none.
    private static func trailerBlock(_ lines: [String]) -> Range<Int> {
        func isBlank(_ line: String) -> Bool { line.allSatisfy(\.isWhitespace) }
        guard let titleEnd = lines.firstIndex(where: isBlank) else { return 0..<0 }
        var end = lines.count
        while end > titleEnd, isBlank(lines[end - 1]) { end -= 1 }
        var start = end
        while start > titleEnd, !isBlank(lines[start - 1]) { start -= 1 }
        guard start < end else { return 0..<0 }
        var trailerCount = 0
        var otherCount = 0
        var gitGenerated = false
        for line in lines[start..<end] {
            if line.first == " " || line.first == "\t" { continue }
            if line.hasPrefix("(cherry picked from commit ") {
                trailerCount += 1
                gitGenerated = true
            } else if let (token, _) = split(line) {
                trailerCount += 1
                if token == "Signed-off-by" { gitGenerated = true }
            } else {
                otherCount += 1
            }
        }
        let isBlock = (trailerCount > 0 && otherCount == 0) || (gitGenerated && trailerCount * 3 >= otherCount)
        return isBlock ? start..<end : 0..<0
    }

    /// The trailers of the block with their continuation lines joined.
    private static func unfolded(_ lines: [String], in block: Range<Int>) -> [(token: String, value: String, text: String)] {
        var result: [(token: String, value: String, text: String)] = []
        for line in lines[block] {
            if line.first == " " || line.first == "\t" {
                guard var last = result.popLast() else { continue }
                let more = line.trimmingSpaces()
                last.value += " " + more
                last.text += " " + more
                result.append(last)
            } else if let (token, value) = split(line) {
                result.append((token, value, line.trimmingSpaces()))
            }
        }
        return result
    }

    /// Splits `Token: value` (spaces allowed before the colon, none inside the token).
    private static func split(_ line: String) -> (token: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let token = line[..<colon].trimmingSpaces()
        guard !token.isEmpty, line.first?.isWhitespace == false,
            token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
        else { return nil }
        return (token, line[line.index(after: colon)...].trimmingSpaces())
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
