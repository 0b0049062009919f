import Git

/// Line attribution with memory (internal): for a commit and a file path, the commit that
/// introduced each line of that version of the file, as libgit2's blame finds it.
///
/// Work is shared across submissions in three ways, none of which changes the answer:
/// - results are kept per (commit, path);
/// - when a parent holds the identical blob at the same path, blame would hand every line to
///   that parent (libgit2 passes the whole blame to the first such parent), so the parent's
///   result is reused without blaming;
/// - when a file did change, blame stops at the nearest ancestor whose result is known (an
///   already credited submission, in practice) and the lines it holds there are looked up in
///   that result, by their line numbers in that version of the file.
final class LineageAttribution {
    private struct Key: Hashable {
        let commit: Int32
        let path: String
    }

    /// How many ancestors the search for a known commit visits before giving up and blaming
    /// the whole history.
    static let anchorSearchLimit = 4096

    /// How deep blames may nest (a blame stopped at an ancestor whose version of the file is
    /// not known yet needs that version first) before a blame goes back to the roots instead,
    /// which keeps the stack small in pathological histories.
    static let nestingLimit = 32

    let graph: LineageGraph
    private var known: [Key: [Int32]] = [:]
    private var nesting = 0
    /// Commits all of whose credited files are known (the credited submissions).
    private var anchors: Set<Int32> = []

    init(graph: LineageGraph) {
        self.graph = graph
    }

    /// Marks `commit` as a good place to stop blaming (its credited files are attributed).
    func addAnchor(_ commit: Int32) {
        anchors.insert(commit)
    }

    /// For each line of the file at `path` in `commit`, the number of the commit that
    /// introduced it.
    /// - Throws: ``LineageError/missingFile(path:commit:)`` when `commit` has no blob at `path`,
    ///   ``GitError`` when a commit cannot be read or a file cannot be blamed.
    func lines(commit: Int32, path: String) throws -> [Int32] {
        if let result = known[Key(commit: commit, path: path)] { return result }
        guard let blob = try graph.blob(atPath: path, in: commit) else {
            throw LineageError.missingFile(path: path, commit: graph.ids[Int(commit)])
        }
        var unchanged = [commit]
        var current = commit
        walk: while true {
            var next: Int32?
            for parent in try graph.parents(of: current) {
                // An absent file may have been renamed: only blame can tell, so stop here.
                guard let parentBlob = try graph.blob(atPath: path, in: parent) else { break walk }
                if parentBlob == blob {
                    next = parent
                    break
                }
            }
            guard let next else { break }
            if let result = known[Key(commit: next, path: path)] {
                remember(result, for: unchanged, path: path)
                return result
            }
            unchanged.append(next)
            current = next
        }
        let result = try blame(commit: current, path: path)
        remember(result, for: unchanged, path: path)
        return result
    }

    private func remember(_ result: [Int32], for commits: [Int32], path: String) {
        for commit in commits {
            known[Key(commit: commit, path: path)] = result
        }
    }

    /// Blames `path` at `commit` (where it differs from every parent's same path, or may have
    /// been renamed), stopping at the nearest known ancestor.
    private func blame(commit: Int32, path: String) throws -> [Int32] {
        nesting += 1
        defer { nesting -= 1 }
        let anchor = nesting > Self.nestingLimit ? nil : try nearestKnownAncestor(of: commit, path: path)
        let hunks = try graph.repository.blame(
            path: path, newestCommit: graph.ids[Int(commit)], oldestCommit: anchor.map { graph.ids[Int($0)] }, ignoringWhitespace: true)
        let lineCount = hunks.reduce(0) { max($0, $1.startLine - 1 + $1.lineCount) }
        var result = [Int32](repeating: commit, count: lineCount)
        for hunk in hunks {
            let number = graph.number(of: hunk.commitID)
            let first = hunk.startLine - 1
            if let anchor, number == anchor {
                let earlier = try lines(commit: anchor, path: hunk.originalPath)
                for offset in 0..<hunk.lineCount {
                    let line = hunk.originalStartLine - 1 + offset
                    result[first + offset] = earlier.indices.contains(line) ? earlier[line] : anchor
                }
            } else {
                for offset in 0..<hunk.lineCount { result[first + offset] = number }
            }
        }
        return result
    }

    /// The first ancestor of `commit` (breadth first, parents in order) that is an anchor or
    /// whose version of `path` is already attributed; nil when there is none near enough.
    private func nearestKnownAncestor(of commit: Int32, path: String) throws -> Int32? {
        var queue = try graph.parents(of: commit)
        var seen = Set(queue)
        var index = 0
        while index < queue.count, index < Self.anchorSearchLimit {
            let candidate = queue[index]
            index += 1
            if anchors.contains(candidate) || known[Key(commit: candidate, path: path)] != nil { return candidate }
            for parent in try graph.parents(of: candidate) where seen.insert(parent).inserted {
                queue.append(parent)
            }
        }
        return nil
    }
}
