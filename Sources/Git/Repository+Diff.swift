import CLibgit2
import Foundation

/// What changed between two trees, as git prints it (`git diff`'s unified patch).
public struct TreeDiff: Sendable, Equatable {
    /// One changed file.
    public struct File: Sendable, Equatable {
        /// The path after the change (before it, for a deleted file).
        public let path: String
        /// `added`, `deleted`, `modified`, `renamed`, `copied` or `type changed`.
        public let change: String
        /// Lines added and removed (0 for a binary file).
        public let additions: Int
        public let deletions: Int
    }

    public let files: [File]
    /// The unified patch (three lines of context, binary files named only), cut at the
    /// `maximumBytes` it was made with.
    public let patch: String
    /// True when the patch was longer than `maximumBytes` and was cut.
    public let truncated: Bool
}

extension Repository {
    /// The diff from tree `oldTree` (nil: the empty tree, so every file is added) to tree
    /// `newTree`, with renames detected, made by libgit2 (`git_diff_tree_to_tree`, then
    /// `git_diff_to_buf` in git's patch format).
    /// - Parameter maximumBytes: the longest patch returned (a longer one is cut and marked).
    /// - Throws: ``GitError`` when a tree cannot be read or the diff cannot be made.
    public func diff(from oldTree: ObjectID?, to newTree: ObjectID, maximumBytes: Int = 1 << 20) throws -> TreeDiff {
        func lookup(_ id: ObjectID) throws -> OpaquePointer? {
            var oid = id.oid
            var tree: OpaquePointer?
            try GitError.check(git_tree_lookup(&tree, handle, &oid), "read tree \(id)")
            return tree
        }
        let old = try oldTree.map(lookup) ?? nil
        defer { git_tree_free(old) }
        let new = try lookup(newTree)
        defer { git_tree_free(new) }

        var options = git_diff_options()
        try GitError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare a diff")
        var diff: OpaquePointer?
        try GitError.check(git_diff_tree_to_tree(&diff, handle, old, new, &options), "diff tree \(oldTree?.hex ?? "(empty)") to \(newTree)")
        defer { git_diff_free(diff) }
        var findOptions = git_diff_find_options()
        try GitError.check(git_diff_find_options_init(&findOptions, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "prepare rename detection")
        try GitError.check(git_diff_find_similar(diff, &findOptions), "detect renames")

        var files: [TreeDiff.File] = []
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index) else { continue }
            let deleted = delta.pointee.status == GIT_DELTA_DELETED
            let path = String(cString: deleted ? delta.pointee.old_file.path : delta.pointee.new_file.path)
            var patch: OpaquePointer?
            var additions = 0, deletions = 0
            if git_patch_from_diff(&patch, diff, index) == 0, let patch {
                var context = 0, added = 0, removed = 0
                if git_patch_line_stats(&context, &added, &removed, patch) == 0 { additions = added; deletions = removed }
                git_patch_free(patch)
            }
            files.append(TreeDiff.File(path: path, change: Self.changeName(delta.pointee.status), additions: additions, deletions: deletions))
        }

        var buffer = git_buf()
        try GitError.check(git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_PATCH), "print the diff")
        defer { git_buf_dispose(&buffer) }
        let length = Int(buffer.size)
        let kept = min(length, maximumBytes)
        let bytes = buffer.ptr.map { UnsafeRawBufferPointer(start: $0, count: kept) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        return TreeDiff(files: files, patch: String(decoding: bytes, as: UTF8.self), truncated: length > maximumBytes)
    }

    private static func changeName(_ status: git_delta_t) -> String {
        switch status {
        case GIT_DELTA_ADDED: "added"
        case GIT_DELTA_DELETED: "deleted"
        case GIT_DELTA_RENAMED: "renamed"
        case GIT_DELTA_COPIED: "copied"
        case GIT_DELTA_TYPECHANGE: "type changed"
        default: "modified"
        }
    }
}
