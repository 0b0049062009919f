import CLibgit2

/// A run of consecutive lines of a file that one commit introduced, as `git blame` reports it.
public struct BlameHunk: Sendable, Equatable {
    /// The first line of the run in the blamed (newest) version of the file, 1-based.
    public let startLine: Int
    /// How many lines the run covers (at least 1).
    public let lineCount: Int
    /// The commit that introduced these lines; when the blame was limited with an oldest
    /// commit, that oldest commit for every line it already held (a boundary hunk).
    public let commitID: ObjectID
    /// The file's path in ``commitID``'s tree: differs from the blamed path when the file was
    /// renamed since.
    public let originalPath: String
    /// The first line of the run in ``originalPath`` as of ``commitID``, 1-based.
    public let originalStartLine: Int
    /// True when blame stopped at ``commitID`` because it is the oldest commit considered (the
    /// root of the history, or the `oldestCommit` given), not because the commit is known to
    /// have introduced the lines.
    public let isBoundary: Bool

    /// Creates a hunk (for tests and callers that build blames themselves).
    public init(
        startLine: Int, lineCount: Int, commitID: ObjectID, originalPath: String,
        originalStartLine: Int, isBoundary: Bool = false
    ) {
        self.startLine = startLine
        self.lineCount = lineCount
        self.commitID = commitID
        self.originalPath = originalPath
        self.originalStartLine = originalStartLine
        self.isBoundary = isBoundary
    }
}

extension Repository {
    /// Attributes every line of the file at `path` in `newestCommit` to the commit that
    /// introduced it (libgit2's `git_blame_file`, through every parent of merges).
    ///
    /// Renames: at each commit where the file changed, libgit2 1.5 compares the whole trees with
    /// rename detection (`GIT_DIFF_FIND_RENAMES`, similarity of at least 50%), so lines kept
    /// through a rename, with or without edits in the same commit, stay with the commits that
    /// wrote them under the old name (``BlameHunk/originalPath`` gives that name). Copies are
    /// not followed: a file added as a copy of another (the original still present) is new, and
    /// all of its lines belong to the commit that added it.
    ///
    /// - Parameters:
    ///   - path: the file's slash-separated path in `newestCommit`'s tree.
    ///   - newestCommit: the commit whose version of the file is blamed.
    ///   - ignoringWhitespace: lines that differ only in white space (re-indented) stay with
    ///     the commit that wrote them (`GIT_BLAME_IGNORE_WHITESPACE`).
    ///   - oldestCommit: when given, blame does not look past this commit: lines that it
    ///     already held are reported as boundary hunks of it (with their line numbers in its
    ///     version of the file), to be resolved by the caller. Other branches of a merge still
    ///     go back to their roots; libgit2 1.5 may also replace the limit with the first root
    ///     commit it meets on such a branch, and then blames past `oldestCommit`.
    /// - Returns: the hunks in line order; their line counts add up to the number of lines in
    ///   the file (a last line without a newline counts). An empty file has no hunks.
    /// - Throws: ``GitError`` when the commit cannot be read, the path names no file in it, or
    ///   libgit2 cannot diff a version (for example a file too large to blame).
    public func blame(path: String, newestCommit: ObjectID, oldestCommit: ObjectID? = nil, ignoringWhitespace: Bool = false) throws -> [BlameHunk] {
        var options = git_blame_options()
        try GitError.check(git_blame_options_init(&options, UInt32(GIT_BLAME_OPTIONS_VERSION)), "prepare blame options")
        if ignoringWhitespace { options.flags |= GIT_BLAME_IGNORE_WHITESPACE.rawValue }
        options.newest_commit = newestCommit.oid
        if let oldestCommit { options.oldest_commit = oldestCommit.oid }
        var blame: OpaquePointer?
        try GitError.check(git_blame_file(&blame, handle, path, &options), "blame \(path) at \(newestCommit)")
        defer { git_blame_free(blame) }
        let count = git_blame_get_hunk_count(blame)
        var hunks: [BlameHunk] = []
        hunks.reserveCapacity(Int(count))
        for index in 0..<count {
            guard let hunk = git_blame_get_hunk_byindex(blame, index)?.pointee, hunk.lines_in_hunk > 0 else { continue }
            hunks.append(
                BlameHunk(
                    startLine: hunk.final_start_line_number,
                    lineCount: hunk.lines_in_hunk,
                    commitID: ObjectID(hunk.final_commit_id),
                    originalPath: hunk.orig_path.map { String(cString: $0) } ?? path,
                    originalStartLine: hunk.orig_start_line_number,
                    isBoundary: hunk.boundary != 0))
        }
        return hunks
    }
}
