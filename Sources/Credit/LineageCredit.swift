import Git

/// The credits of historical contributivity, computed from the submissions' lineage in the
/// ledger repository (DESIGN.md, "Credit"; the credit flow is RAMP's historical
/// contributivity, ramp-board's `compute_historical_contributivity`, where the shares are
/// declared by hand; here they are measured from the code).
///
/// For a submission S, each line of each credited file of S's tree is attributed to the
/// commit that introduced it (git blame through the ledger's history: every parent of merges,
/// renames followed as ``Git/Repository/blame(path:newestCommit:oldestCommit:)`` describes),
/// and each commit to its owner, the earliest submission in recording order whose commit is
/// that commit or has it as an ancestor; the organisers' starting kit
/// (``startingKitKey``) is the earliest of all. S's share for an owner is the fraction of S's
/// credited lines it owns; the lines S introduced are its self share. A file copied from
/// another team without shared history is new in S: its lines are S's own.
///
/// Valid `Credit: team/submission percent%` trailers of the message of S's own commit (not of
/// the commits before it; see ``CreditTrailer``) replace the computed shares: each must name an
/// earlier submission, or the starting kit, that was visible to S, and together they may give
/// at most 100%; the rest is S's self share. Invalid trailers are ignored, each with a one-line
/// ``LineageWarning``. The starting kit keeps everything, whatever its message says.
///
/// Submissions are added in recording order with ``append(_:)``, and work is kept between
/// them: each commit's owner is found once, and a file's attribution is reused from the
/// nearest credited ancestor when the file did not change since, or blamed only back to that
/// ancestor when it did. Keep one instance and append each new submission to credit it
/// quickly.
///
/// Not `Sendable`: it holds an open ``Git/Repository``; use it from one thread at a time.
public final class LineageCredit {
    /// The starting kit's key: it is a submission, earlier than all the others.
    public static let startingKitKey = "organisers/starting-kit"

    private let graph: LineageGraph
    private let attribution: LineageAttribution
    private let isCredited: (String) -> Bool
    private let isVisible: (_ giver: Int, _ receiver: Int) -> Bool
    /// The index of each known submission by key; the starting kit's is -1.
    private var indices: [String: Int] = [startingKitKey: -1]

    /// The starting kit's shares: all of its credited lines are its own.
    public private(set) var startingKit: LineageShares
    /// The submissions appended so far, in recording order.
    public private(set) var submissions: [LineageSubmission] = []
    /// Their shares, same order.
    public private(set) var shares: [LineageShares] = []
    /// Everything ignored so far, in the order found.
    public private(set) var warnings: [LineageWarning] = []

    /// Starts crediting the submissions of a ledger by crediting its starting kit.
    /// - Parameters:
    ///   - repository: the ledger repository, holding every submission's commit and history.
    ///   - startingKit: the starting kit's commit.
    ///   - isCredited: whether a file counts, by its slash-separated path in a submission's
    ///     tree (for example source code only, not data). Symbolic links never count.
    ///   - isVisible: whether the submission at index `giver` could see the one at index
    ///     `receiver` (indices of ``append(_:)`` order, from 0), for `Credit:` trailers; it is
    ///     asked only about earlier submissions, never about the starting kit, which all see.
    /// - Throws: ``Git/GitError`` when the starting kit cannot be read or blamed.
    public init(
        repository: Repository, startingKit kitCommit: ObjectID, isCredited: @escaping (String) -> Bool,
        isVisible: @escaping (_ giver: Int, _ receiver: Int) -> Bool
    ) throws {
        graph = LineageGraph(repository: repository)
        attribution = LineageAttribution(graph: graph)
        self.isCredited = isCredited
        self.isVisible = isVisible
        let number = graph.number(of: kitCommit)
        try graph.assignOwner(0, from: number)
        startingKit = LineageShares(key: Self.startingKitKey, fractions: [Self.startingKitKey: 1], lineCounts: [:], origin: .lineage)
        startingKit = LineageShares.fromLines(key: Self.startingKitKey, lineCounts: try lineCounts(of: number, selfKey: Self.startingKitKey))
        attribution.addAnchor(number)
    }

    /// Opens the ledger repository at `path` and starts crediting; see
    /// ``init(repository:startingKit:isCredited:isVisible:)``.
    /// - Throws: ``Git/GitError`` when the repository cannot be opened or the kit read.
    public convenience init(
        repositoryPath path: String, startingKit: ObjectID, isCredited: @escaping (String) -> Bool,
        isVisible: @escaping (_ giver: Int, _ receiver: Int) -> Bool
    ) throws {
        try self.init(repository: try Repository.open(at: path), startingKit: startingKit, isCredited: isCredited, isVisible: isVisible)
    }

    /// Credits the next submission in recording order, after all those appended before it.
    /// - Returns: its shares (also appended to ``shares``); its ignored trailers are appended
    ///   to ``warnings``.
    /// - Throws: ``LineageError/duplicateKey(_:)`` when its key is already taken,
    ///   ``Git/GitError`` when the ledger cannot be read or a file blamed; nothing is recorded
    ///   then, and the instance can go on with other submissions.
    @discardableResult
    public func append(_ submission: LineageSubmission) throws -> LineageShares {
        guard indices[submission.key] == nil else { throw LineageError.duplicateKey(submission.key) }
        let index = submissions.count
        let number = graph.number(of: submission.commit)
        let owned = try graph.assignOwner(Int32(index + 1), from: number)
        let counts: [String: Int]
        let message: String
        do {
            counts = try lineCounts(of: number, selfKey: submission.key)
            message = try graph.repository.commit(submission.commit).message
        } catch {
            graph.releaseOwnership(of: owned)
            throw error
        }
        attribution.addAnchor(number)
        var result = LineageShares.fromLines(key: submission.key, lineCounts: counts)
        let (trailers, parseProblems) = CreditTrailer.parse(message: message)
        var problems = parseProblems
        if !trailers.isEmpty {
            let checked = CreditTrailerValidation.fractions(
                of: trailers, giver: index, giverKey: submission.key, indices: indices, isVisible: isVisible)
            problems += checked.problems
            if let fractions = checked.fractions {
                result = LineageShares(key: submission.key, fractions: fractions, lineCounts: counts, origin: .trailers)
            }
        }
        warnings += problems.map { LineageWarning(submission: submission.key, message: $0) }
        indices[submission.key] = index
        submissions.append(submission)
        shares.append(result)
        return result
    }

    /// Everything computed so far.
    public var result: LineageCreditResult {
        LineageCreditResult(startingKit: startingKit, submissions: shares, warnings: warnings)
    }

    /// Credits all `submissions` (in recording order) of the ledger repository; see
    /// ``init(repository:startingKit:isCredited:isVisible:)`` for the parameters.
    /// - Throws: ``LineageError`` or ``Git/GitError`` as ``append(_:)`` does.
    public static func compute(
        repository: Repository, submissions: [LineageSubmission], startingKit: ObjectID,
        isCredited: @escaping (String) -> Bool, isVisible: @escaping (_ giver: Int, _ receiver: Int) -> Bool
    ) throws -> LineageCreditResult {
        let credit = try LineageCredit(repository: repository, startingKit: startingKit, isCredited: isCredited, isVisible: isVisible)
        for submission in submissions { try credit.append(submission) }
        return credit.result
    }

    /// The credited lines of commit `number`'s tree by owner key (the owner not yet appended,
    /// that is the submission being credited, is `selfKey`). Blank lines (only white space)
    /// are not counted: they carry no idea, and whoever wrote the file first would otherwise
    /// keep them through every rewrite.
    /// Source files larger than this (bytes) are not credited: no one writes a megabyte of
    /// code by hand, and blaming such files again and again would let one submission cost
    /// the hub hours of work.
    public static let largestCreditedFileBytes = 1 << 20

    private func lineCounts(of number: Int32, selfKey: String) throws -> [String: Int] {
        var byOwner: [Int32: Int] = [:]
        for (path, entry) in try graph.repository.allEntries(inTree: try graph.tree(of: number))
        where entry.kind == .blob && !entry.isSymbolicLink && isCredited(path) {
            guard try graph.repository.objectSize(entry.id) <= Self.largestCreditedFileBytes else { continue }
            let text = String(decoding: try graph.repository.blobContent(entry.id), as: UTF8.self)
            let blank = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.allSatisfy(\.isWhitespace) }
            for (index, line) in try attribution.lines(commit: number, path: path).enumerated()
            where index >= blank.count || !blank[index] {
                byOwner[graph.owner(of: line), default: 0] += 1
            }
        }
        var counts: [String: Int] = [:]
        for (owner, count) in byOwner {
            let key = owner >= 1 && Int(owner) <= submissions.count ? submissions[Int(owner) - 1].key
                : owner == 0 ? Self.startingKitKey : selfKey
            counts[key, default: 0] += count
        }
        return counts
    }
}
