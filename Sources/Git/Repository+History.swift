import CLibgit2
import Foundation

extension Repository {
    /// The commits reachable from `start` (itself included) and not from any of `hidden`,
    /// children before parents (topological order, then time).
    /// - Throws: ``GitError`` when a commit cannot be read.
    public func history(from start: ObjectID, hiding hidden: [ObjectID] = []) throws -> [ObjectID] {
        var walk: OpaquePointer?
        try GitError.check(git_revwalk_new(&walk, handle), "start a history walk")
        defer { git_revwalk_free(walk) }
        try GitError.check(
            git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
            "sort a history walk")
        var startOID = start.oid
        try GitError.check(git_revwalk_push(walk, &startOID), "walk from \(start)")
        for id in hidden {
            var oid = id.oid
            try GitError.check(git_revwalk_hide(walk, &oid), "hide \(id) from a history walk")
        }
        var commits: [ObjectID] = []
        var oid = git_oid()
        while true {
            let result = git_revwalk_next(&oid, walk)
            if result == GIT_ITEROVER.rawValue { break }
            try GitError.check(result, "walk history from \(start)")
            commits.append(ObjectID(oid))
        }
        return commits
    }

    /// True when `commit` has `ancestor` in its history (a commit is not its own descendant).
    /// - Throws: ``GitError`` when the graph cannot be read.
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws -> Bool {
        var commitOID = commit.oid
        var ancestorOID = ancestor.oid
        let result = git_graph_descendant_of(handle, &commitOID, &ancestorOID)
        try GitError.check(result, "compare \(commit) with \(ancestor)")
        return result == 1
    }

    /// Fetches from the repository at `path` (a local path) with the given refspecs, for example
    /// `refs/tags/submission-a:refs/submissions/alice/a`: the named commits and all their
    /// ancestry are copied into this repository's object database, and the destination
    /// references are created.
    /// - Throws: ``GitError`` when the source cannot be read or a reference cannot be written.
    public func fetch(fromRepositoryAt path: String, refspecs: [String]) throws {
        var remote: OpaquePointer?
        try GitError.check(git_remote_create_anonymous(&remote, handle, path), "open \(path) as a remote")
        defer { git_remote_free(remote) }
        var options = git_fetch_options()
        try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "prepare fetch options")
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        var pointers: [UnsafeMutablePointer<CChar>?] = refspecs.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        try pointers.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            try GitError.check(git_remote_fetch(remote, &array, &options, "forkboard fetch"), "fetch from \(path)")
        }
    }
}
