import Git

/// The credits of historical contributivity, computed from the submissions' lineage in the
/// ledger repository (DESIGN.md, "Credit"; the credit flow is RAMP's historical
/// contributivity, ramp-board's `compute_historical_contributivity`, where the shares are
/// declared by hand; here they are measured from the code, and declarations only give away
/// what the declaring submission wrote itself).
///
/// **Measured shares.** For a submission S, every code token of every credited text file of
/// S's tree (not data, not binary, at most ``largestCreditedFileBytes``) is attributed to a
/// submission, and S's share for each submission is the fraction of S's tokens it owns:
/// 1. git blame through the ledger's history, ignoring white space, gives each line the commit
///    that introduced it (every parent of merges, renames followed), and each commit its owner:
///    the earliest submission in recording order whose commit is that commit or has it as an
///    ancestor; the organisers' starting kit (``startingKitKey``) is the earliest of all;
/// 2. a line that blame gives to S itself but whose tokens (as spelled, layout and comments
///    aside) are a line of code of the starting kit or of a submission S builds on stays with
///    the submission that owns it there: code moved, copied, re-added after a deletion,
///    renamed to another file or reformatted is not S's;
/// 3. each line weighs its code tokens: comments, docstrings and blank lines weigh nothing.
/// A file copied from another team without shared history is new in S: its code is S's own
/// (reuse detection reports it).
///
/// **Declared credit.** Valid `Credit: team/submission percent%` trailers of S's own commit
/// (see ``CreditTrailer``) give fractions of S's own measured share (never of the others', which
/// are floors) to earlier submissions S could see (its own team's, or any when S was pushed
/// in an open phase), at most 100% in all. Invalid trailers are ignored, each with a one-line
/// ``LineageWarning``. The starting kit keeps everything, whatever its message says.
///
/// Submissions are added in recording order with ``append(_:)``, and work is kept between
/// them: each commit's owner is found once, and a file's attribution is reused from the
/// nearest credited ancestor when the file did not change since, or blamed only back to that
/// ancestor when it did. The result depends on the ledger only: appending submissions one by
/// one gives what computing them all at once gives.
///
/// Not `Sendable`: it holds an open ``Git/Repository``; use it from one thread at a time.
public final class LineageCredit {
    /// The starting kit's key: it is a submission, earlier than all the others.
    public static let startingKitKey = "organisers/starting-kit"

    /// Source files larger than this (bytes) are not credited: no one writes a megabyte of
    /// code by hand, and blaming such files again and again would let one submission cost
    /// the hub hours of work.
    public static let largestCreditedFileBytes = 1 << 20

    /// A line is matched against earlier code (rule 2) when it has at least this many tokens:
    /// shorter lines (`return self`, `else:`) are written by everyone.
    static let matchedLineTokens = 3

    private let graph: LineageGraph
    private let attribution: LineageAttribution
    private let isCredited: (String) -> Bool
    private let ignoredFiles: Set<ObjectID>
    private let isVisible: (_ giver: Int, _ receiver: Int) -> Bool
    /// The index of each known submission by key; the starting kit's is -1.
    private var indices: [String: Int] = [startingKitKey: -1]
    /// For each owner position (0 the kit, i + 1 the submission at index i), the positions of
    /// the submissions whose code its history holds.
    private var ancestors: [Set<Int32>] = [[]]
    /// Lines of code seen so far (their tokens joined), with the positions owning them.
    private var codeLines: [String: [Int32]] = [:]
    /// Whether rule 2 applies (tests of the blame machinery turn it off to compare with plain
    /// blame).
    var matchesEarlierCode = true

    /// The starting kit's shares: all of its credited code is its own.
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
    ///   - isCredited: whether a file may count, by its slash-separated path in a submission's
    ///     tree (for example not the challenge's data files); binary files, data-like files
    ///     (mostly numbers) and symbolic links never count.
    ///   - ignoredFiles: blobs that never count, wherever they are: the starting kit's copies of
    ///     the harness and of the data, whose code the hub does not run from submissions.
    ///   - isVisible: whether the submission at index `giver` could see the one at index
    ///     `receiver` (indices of ``append(_:)`` order, from 0), for `Credit:` trailers; nil
    ///     for the hub's rule: the same team, or any when the giver was pushed in an open phase
    ///     (``LineageSubmission/isOpenAtPush``). Never asked about the starting kit.
    /// - Throws: ``Git/GitError`` when the starting kit cannot be read or blamed.
    public init(
        repository: Repository, startingKit kitCommit: ObjectID, isCredited: @escaping (String) -> Bool,
        ignoredFiles: Set<ObjectID> = [], isVisible: ((_ giver: Int, _ receiver: Int) -> Bool)? = nil
    ) throws {
        graph = LineageGraph(repository: repository)
        attribution = LineageAttribution(graph: graph)
        self.isCredited = isCredited
        self.ignoredFiles = ignoredFiles
        var visibility: (Int, Int) -> Bool = { _, _ in false }
        self.isVisible = { giver, receiver in visibility(giver, receiver) }
        startingKit = LineageShares(key: Self.startingKitKey, measured: [Self.startingKitKey: 1], tokenCounts: [:])
        if let isVisible {
            visibility = isVisible
        } else {
            visibility = { [unowned self] giver, receiver in
                let (from, to) = (self.submissions[giver], self.submissions[receiver])
                return from.team == to.team || from.isOpenAtPush
            }
        }
        let number = graph.number(of: kitCommit)
        try graph.assignOwner(0, from: number)
        startingKit = LineageShares.fromTokens(
            key: Self.startingKitKey, tokenCounts: try tokenCounts(of: number, position: 0, selfKey: Self.startingKitKey))
        attribution.addAnchor(number)
    }

    /// Opens the ledger repository at `path` and starts crediting; see
    /// ``init(repository:startingKit:isCredited:isVisible:)``.
    /// - Throws: ``Git/GitError`` when the repository cannot be opened or the kit read.
    public convenience init(
        repositoryPath path: String, startingKit: ObjectID, isCredited: @escaping (String) -> Bool,
        isVisible: ((_ giver: Int, _ receiver: Int) -> Bool)? = nil
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
        let position = Int32(index + 1)
        let number = graph.number(of: submission.commit)
        let (owned, boundaries) = try graph.assignOwner(position, from: number)
        var builtOn: Set<Int32> = []
        for boundary in boundaries where boundary >= 0 && boundary < position {
            builtOn.insert(boundary)
            builtOn.formUnion(ancestors[Int(boundary)])
        }
        ancestors.append(builtOn)
        let counts: [String: Int]
        let message: String
        let savedLines = codeLines
        do {
            counts = try tokenCounts(of: number, position: position, selfKey: submission.key)
            message = try graph.repository.commit(submission.commit).message
        } catch {
            graph.releaseOwnership(of: owned)
            ancestors.removeLast()
            codeLines = savedLines
            throw error
        }
        attribution.addAnchor(number)
        submissions.append(submission)
        var result = LineageShares.fromTokens(key: submission.key, tokenCounts: counts)
        let (trailers, parseProblems) = CreditTrailer.parse(message: message)
        var problems = parseProblems
        if !trailers.isEmpty {
            let checked = CreditTrailerValidation.fractions(
                of: trailers, giver: index, giverKey: submission.key, indices: indices, isVisible: isVisible)
            problems += checked.problems
            if let fractions = checked.fractions { result = result.declaring(fractions) }
        }
        warnings += problems.map { LineageWarning(submission: submission.key, message: $0) }
        indices[submission.key] = index
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
        isCredited: @escaping (String) -> Bool, isVisible: ((_ giver: Int, _ receiver: Int) -> Bool)? = nil
    ) throws -> LineageCreditResult {
        let credit = try LineageCredit(repository: repository, startingKit: startingKit, isCredited: isCredited, isVisible: isVisible)
        for submission in submissions { try credit.append(submission) }
        return credit.result
    }

    /// The credited code tokens of commit `number`'s tree by owner key (the owner not yet
    /// appended, the submission being credited at `position`, is `selfKey`); records the tree's
    /// lines of code for the submissions after it.
    private func tokenCounts(of number: Int32, position: Int32, selfKey: String) throws -> [String: Int] {
        var byOwner: [Int32: Int] = [:]
        let builtOn = ancestors[Int(position)]
        var found: [(line: String, owner: Int32)] = []
        for (path, entry) in try graph.repository.allEntries(inTree: try graph.tree(of: number))
        where entry.kind == .blob && !entry.isSymbolicLink && !ignoredFiles.contains(entry.id) && isCredited(path) {
            guard try graph.repository.objectSize(entry.id) <= Self.largestCreditedFileBytes else { continue }
            let content = try graph.repository.blobContent(entry.id)
            guard !content.contains(0), let lines = Self.codeLines(of: String(decoding: content, as: UTF8.self), path: path) else { continue }
            let owners = try attribution.lines(commit: number, path: path)
            for (index, owner) in owners.enumerated() where index < lines.count && !lines[index].isEmpty {
                let tokens = lines[index]
                var holder = graph.owner(of: owner)
                if holder == position, matchesEarlierCode, tokens.count >= Self.matchedLineTokens {
                    // Rule 2: code blame gives to this submission but that an earlier one it
                    // builds on (or the kit) wrote.
                    let text = tokens.joined(separator: "\u{1F}")
                    if let earlier = codeLines[text]?.filter({ $0 == 0 || builtOn.contains($0) }).min() { holder = earlier }
                }
                byOwner[holder, default: 0] += tokens.count
                if tokens.count >= Self.matchedLineTokens { found.append((tokens.joined(separator: "\u{1F}"), holder)) }
            }
        }
        for (line, owner) in found where !(codeLines[line]?.contains(owner) ?? false) {
            codeLines[line, default: []].append(owner)
        }
        var counts: [String: Int] = [:]
        for (owner, count) in byOwner {
            let key =
                owner >= 1 && Int(owner) <= submissions.count
                ? submissions[Int(owner) - 1].key
                : owner == 0 ? Self.startingKitKey : selfKey
            counts[key, default: 0] += count
        }
        return counts
    }

    /// The code tokens of each line of a text file, as spelled (1-based lines at index - 1):
    /// ``SourceTokenizer/codeByLine(in:path:spelled:)``; nil for a file that is not code.
    static func codeLines(of text: String, path: String) -> [[String]]? {
        SourceTokenizer.codeByLine(in: text, path: path, spelled: true)?.map { $0.map(\.text) }
    }
}
