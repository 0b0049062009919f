import Git

/// The shares of the starting kit and of every submission, with the warnings, ready for
/// ``HistoricalContributivity/distribute(_:)``.
public struct LineageCreditResult: Sendable, Equatable {
    /// The starting kit's shares (it keeps everything).
    public let startingKit: LineageShares
    /// Each submission's shares, in recording order.
    public let submissions: [LineageShares]
    /// Trailers and lines that were ignored, one line each.
    public let warnings: [LineageWarning]

    /// Creates a result.
    public init(startingKit: LineageShares, submissions: [LineageShares], warnings: [LineageWarning]) {
        self.startingKit = startingKit
        self.submissions = submissions
        self.warnings = warnings
    }

    /// The keys in the order of ``creditedSubmissions(contributivities:)``: the starting kit,
    /// then the submissions in recording order.
    public var keys: [String] { [startingKit.key] + submissions.map(\.key) }

    /// The submissions as ``HistoricalContributivity/distribute(_:)`` takes them: the starting
    /// kit at index 0, then the submissions in recording order at 1, 2, ...; each with its
    /// contributivity, its measured shares for other submissions, and its declared credits.
    /// - Parameter contributivities: contributivity by key (a fraction, from blending); a key
    ///   without one, the starting kit's usually, counts 0; keys of no submission are ignored.
    public func creditedSubmissions(contributivities: [String: Double]) -> [CreditedSubmission] {
        let all = [startingKit] + submissions
        var indices: [String: Int] = [:]
        for (index, shares) in all.enumerated() { indices[shares.key] = index }
        func credits(_ fractions: [String: Double], of key: String) -> [CreditShare] {
            fractions.compactMap { receiver, fraction -> CreditShare? in
                guard receiver != key, fraction > 0, let index = indices[receiver] else { return nil }
                return CreditShare(submission: index, fraction: fraction)
            }.sorted { $0.submission < $1.submission }
        }
        return all.map { shares in
            CreditedSubmission(
                contributivity: contributivities[shares.key] ?? 0,
                measured: credits(shares.measured, of: shares.key),
                credits: credits(shares.declared, of: shares.key))
        }
    }

    /// Historical contributivity by key: the contributivities flowed back along the credits
    /// (RAMP's historical contributivity, see ``HistoricalContributivity``).
    /// - Parameter contributivities: as for ``creditedSubmissions(contributivities:)``.
    /// - Returns: a value for the starting kit and for every submission; they sum to the sum of
    ///   the contributivities given to known keys.
    /// - Throws: ``CreditError`` when a contributivity is negative or not finite.
    public func historicalContributivities(contributivities: [String: Double]) throws -> [String: Double] {
        let values = try HistoricalContributivity.distribute(creditedSubmissions(contributivities: contributivities))
        return Dictionary(uniqueKeysWithValues: zip(keys, values))
    }
}

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

/// Why lineage credit could not be computed.
public enum LineageError: Error, Equatable, CustomStringConvertible {
    /// Two submissions (or a submission and the starting kit) have the same key.
    case duplicateKey(String)
    /// A file that should be attributed is not in that commit's tree.
    case missingFile(path: String, commit: ObjectID)

    /// A one-line explanation, for logs and error messages.
    public var description: String {
        switch self {
        case .duplicateKey(let key): "two submissions have the key \(key)"
        case .missingFile(let path, let commit): "\(path) is not a file of commit \(commit)"
        }
    }
}
