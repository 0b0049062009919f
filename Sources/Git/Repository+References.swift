import CLibgit2

extension Repository {
    /// The object a reference points at after following symbolic references, or nil when the
    /// reference does not exist. An annotated tag's reference gives the tag object's id.
    /// - Throws: ``GitError`` for any failure other than "not found".
    public func referenceTarget(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, handle, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(result, "read reference \(name)")
        return ObjectID(oid)
    }

    /// Creates or moves the direct reference `name` to `target`.
    /// - Parameters:
    ///   - force: when false, fails if the reference already exists.
    ///   - logMessage: the reflog message.
    /// - Throws: ``GitError`` when the name is invalid, the reference exists and `force` is
    ///   false, or the reference cannot be written.
    public func setReference(_ name: String, to target: ObjectID, force: Bool, logMessage: String) throws {
        var oid = target.oid
        var reference: OpaquePointer?
        try GitError.check(
            git_reference_create(&reference, handle, name, &oid, force ? 1 : 0, logMessage),
            "set reference \(name) to \(target)")
        git_reference_free(reference)
    }

    /// Makes `HEAD` a symbolic reference to `branch` (for example `refs/heads/main`).
    /// - Throws: ``GitError`` when HEAD cannot be written.
    public func setHead(_ branch: String) throws {
        try GitError.check(git_repository_set_head(handle, branch), "point HEAD at \(branch)")
    }

    /// Deletes the reference `name` when it exists.
    /// - Throws: ``GitError`` when it exists but cannot be removed.
    public func deleteReference(_ name: String) throws {
        var reference: OpaquePointer?
        let result = git_reference_lookup(&reference, handle, name)
        if result == GIT_ENOTFOUND.rawValue { return }
        try GitError.check(result, "look up reference \(name)")
        defer { git_reference_free(reference) }
        try GitError.check(git_reference_delete(reference), "delete reference \(name)")
    }

    /// The names and targets of the references matching a glob such as `refs/tags/submission-*`,
    /// sorted by name.
    /// - Throws: ``GitError`` when the references cannot be listed.
    public func references(matching glob: String) throws -> [(name: String, target: ObjectID)] {
        var iterator: OpaquePointer?
        try GitError.check(git_reference_iterator_glob_new(&iterator, handle, glob), "list references \(glob)")
        defer { git_reference_iterator_free(iterator) }
        var names: [String] = []
        while true {
            var name: UnsafePointer<CChar>?
            let result = git_reference_next_name(&name, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try GitError.check(result, "list references \(glob)")
            names.append(String(cString: name!))
        }
        return try names.sorted().compactMap { name in
            try referenceTarget(name).map { (name: name, target: $0) }
        }
    }
}

extension Repository {
    /// The commit a revision names (`HEAD`, a branch, a tag, an abbreviated id, `main~2`, ...).
    /// - Throws: ``GitError`` when the revision names nothing or does not lead to a commit.
    public func resolveCommit(_ revision: String) throws -> ObjectID {
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, handle, revision), "resolve '\(revision)'")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try GitError.check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "peel '\(revision)' to a commit")
        defer { git_object_free(peeled) }
        return ObjectID(git_object_id(peeled))
    }
}
