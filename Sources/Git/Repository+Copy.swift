import CLibgit2

extension Repository {
    /// Copies `commit` and every object it reaches (its trees, blobs and ancestry) from
    /// `source` into this repository's object database, skipping whatever this repository
    /// already has: a walk stops at the first commit, tree or blob that is here. What a local
    /// fetch does, without the negotiation of every reference of both repositories (whose cost
    /// grows with the number of references). Submodule entries are not followed (their commits
    /// are in other repositories).
    /// - Returns: how many objects were copied.
    /// - Throws: ``GitError`` when an object cannot be read from `source` or written here.
    @discardableResult
    public func copyObjects(reachableFrom commit: ObjectID, in source: Repository) throws -> Int {
        var sourceDatabase: OpaquePointer?
        try GitError.check(git_repository_odb(&sourceDatabase, source.handle), "open the object database of \(source.gitDirectory)")
        defer { git_odb_free(sourceDatabase) }
        var targetDatabase: OpaquePointer?
        try GitError.check(git_repository_odb(&targetDatabase, handle), "open the object database of \(gitDirectory)")
        defer { git_odb_free(targetDatabase) }

        // Depth first, each object written after every object it refers to: were the copy cut
        // short, no object here would lack what it refers to, and the next copy, which stops at
        // objects that are here, would find nothing missing that it does not write.
        var copied = 0
        var pending: [(id: ObjectID, kind: git_object_t, childrenDone: Bool)] = [(commit, GIT_OBJECT_COMMIT, false)]
        var seen = Set<ObjectID>()
        while let (id, kind, childrenDone) = pending.popLast() {
            var oid = id.oid
            if childrenDone {
                var object: OpaquePointer?
                try GitError.check(git_odb_read(&object, sourceDatabase, &oid), "read object \(id) of \(source.gitDirectory)")
                defer { git_odb_object_free(object) }
                var written = git_oid()
                try GitError.check(
                    git_odb_write(&written, targetDatabase, git_odb_object_data(object), git_odb_object_size(object), git_odb_object_type(object)),
                    "write object \(id) to \(gitDirectory)")
                copied += 1
                continue
            }
            guard seen.insert(id).inserted, git_odb_exists(targetDatabase, &oid) != 1 else { continue }
            pending.append((id, kind, true))
            switch kind {
            case GIT_OBJECT_COMMIT:
                let read = try source.commit(id)
                pending.append((read.treeID, GIT_OBJECT_TREE, false))
                pending += read.parentIDs.map { ($0, GIT_OBJECT_COMMIT, false) }
            case GIT_OBJECT_TREE:
                for entry in try source.treeEntries(id) {
                    switch entry.kind {
                    case .tree: pending.append((entry.id, GIT_OBJECT_TREE, false))
                    case .blob: pending.append((entry.id, GIT_OBJECT_BLOB, false))
                    case .submodule, .other: break
                    }
                }
            default:
                break
            }
        }
        return copied
    }
}
