import CLibgit2
import Foundation

/// A git repository opened with libgit2.
///
/// Not `Sendable`: libgit2 handles must be used from one thread at a time. Open a repository,
/// use it, and let it go within one synchronous piece of work; pass ``ObjectID`` and
/// ``Commit`` values (which are `Sendable`) between threads instead.
public final class Repository {
    let handle: OpaquePointer

    /// The repository's git directory (for a bare repository, the repository itself), with a
    /// trailing slash as libgit2 reports it.
    public var gitDirectory: String { String(cString: git_repository_path(handle)) }

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        git_repository_free(handle)
    }

    /// Opens the repository at `path` (a bare repository or a work tree's `.git`).
    /// - Throws: ``GitError`` when `path` holds no repository.
    public static func open(at path: String) throws -> Repository {
        GitLibrary.ensureInitialized()
        var pointer: OpaquePointer?
        try GitError.check(git_repository_open(&pointer, path), "open repository \(path)")
        return Repository(handle: pointer!)
    }

    /// Opens the repository described by git's environment (`GIT_DIR`, `GIT_OBJECT_DIRECTORY`,
    /// `GIT_ALTERNATE_OBJECT_DIRECTORIES`), as a hook sees it. In a pre-receive hook this
    /// includes the pushed objects that git still keeps in quarantine.
    /// - Parameter path: where to start when `GIT_DIR` is not set (a hook's working directory).
    /// - Throws: ``GitError`` when no repository can be found.
    public static func openFromEnvironment(startingAt path: String = ".") throws -> Repository {
        GitLibrary.ensureInitialized()
        var pointer: OpaquePointer?
        let flags = GIT_REPOSITORY_OPEN_FROM_ENV.rawValue
        try GitError.check(git_repository_open_ext(&pointer, path, flags, nil), "open repository from the environment")
        return Repository(handle: pointer!)
    }

    /// Opens the repository at `path` and also reads objects from `objectDirectories` (as if
    /// they were alternates): how a process other than a hook sees the objects that a push
    /// keeps in quarantine while its pre-receive hook runs (`GIT_OBJECT_DIRECTORY`).
    /// - Throws: ``GitError`` when `path` holds no repository or a directory cannot be added.
    public static func open(at path: String, alsoReadingObjectsFrom objectDirectories: [String]) throws -> Repository {
        let repository = try open(at: path)
        guard !objectDirectories.isEmpty else { return repository }
        var odb: OpaquePointer?
        try GitError.check(git_repository_odb(&odb, repository.handle), "open the object database of \(path)")
        defer { git_odb_free(odb) }
        for directory in objectDirectories {
            try GitError.check(git_odb_add_disk_alternate(odb, directory), "read objects from \(directory)")
        }
        return repository
    }

    /// Creates an empty bare repository at `path` (parents are created) and opens it.
    /// - Throws: ``GitError`` when the directory cannot be written.
    public static func createBare(at path: String) throws -> Repository {
        GitLibrary.ensureInitialized()
        var pointer: OpaquePointer?
        try GitError.check(git_repository_init(&pointer, path, 1), "create bare repository \(path)")
        return Repository(handle: pointer!)
    }

    // MARK: Configuration

    /// Sets a configuration value in the repository's own config file.
    /// - Throws: ``GitError`` when the config file cannot be written.
    public func setConfiguration(_ key: String, to value: String) throws {
        var config: OpaquePointer?
        try GitError.check(git_repository_config(&config, handle), "open the config of \(gitDirectory)")
        defer { git_config_free(config) }
        try GitError.check(git_config_set_string(config, key, value), "set \(key) in \(gitDirectory)")
    }

    // MARK: Objects

    /// True when the object database holds `id` (including alternates and quarantine).
    public func contains(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0 else { return false }
        defer { git_odb_free(odb) }
        var oid = id.oid
        return git_odb_exists(odb, &oid) == 1
    }

    /// Reads the commit `id`.
    /// - Throws: ``GitError`` when it does not exist or is not a commit.
    public func commit(_ id: ObjectID) throws -> Commit {
        var oid = id.oid
        var pointer: OpaquePointer?
        try GitError.check(git_commit_lookup(&pointer, handle, &oid), "read commit \(id)")
        defer { git_commit_free(pointer) }
        var parents: [ObjectID] = []
        for index in 0..<git_commit_parentcount(pointer) {
            parents.append(ObjectID(git_commit_parent_id(pointer, index)))
        }
        let author = git_commit_author(pointer)!.pointee
        let committer = git_commit_committer(pointer)!.pointee
        return Commit(
            id: id,
            treeID: ObjectID(git_commit_tree_id(pointer)),
            parentIDs: parents,
            message: git_commit_message(pointer).map { String(cString: $0) } ?? "",
            authorName: author.name.map { String(cString: $0) } ?? "",
            authorEmail: author.email.map { String(cString: $0) } ?? "",
            authorTime: Date(timeIntervalSince1970: TimeInterval(author.when.time)),
            committerTime: Date(timeIntervalSince1970: TimeInterval(committer.when.time))
        )
    }

    /// Peels `id` (an annotated tag, possibly nested, or a commit) to the commit it names.
    /// - Throws: ``GitError`` when `id` does not lead to a commit.
    public func peelToCommit(_ id: ObjectID) throws -> ObjectID {
        var oid = id.oid
        var object: OpaquePointer?
        try GitError.check(git_object_lookup(&object, handle, &oid, GIT_OBJECT_ANY), "read object \(id)")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try GitError.check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "peel \(id) to a commit")
        defer { git_object_free(peeled) }
        return ObjectID(git_object_id(peeled))
    }

    /// The entries of tree `id`, in git's order.
    /// - Throws: ``GitError`` when it does not exist or is not a tree.
    public func treeEntries(_ id: ObjectID) throws -> [TreeEntry] {
        var oid = id.oid
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, handle, &oid), "read tree \(id)")
        defer { git_tree_free(tree) }
        var entries: [TreeEntry] = []
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            entries.append(TreeEntry(entry))
        }
        return entries
    }

    /// The entry at `path` (slash-separated, relative) in tree `treeID`, or nil when absent.
    /// - Throws: ``GitError`` when the tree cannot be read.
    public func entry(atPath path: String, inTree treeID: ObjectID) throws -> TreeEntry? {
        var oid = treeID.oid
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, handle, &oid), "read tree \(treeID)")
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, tree, path)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(result, "find \(path) in tree \(treeID)")
        defer { git_tree_entry_free(entry) }
        return TreeEntry(entry!)
    }

    /// The content of blob `id`.
    /// - Throws: ``GitError`` when it does not exist or is not a blob.
    public func blobContent(_ id: ObjectID) throws -> Data {
        var oid = id.oid
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, handle, &oid), "read blob \(id)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: raw, count: size)
    }

    /// The size in bytes of blob `id`, read from its header without loading the content.
    /// - Throws: ``GitError`` when it does not exist.
    public func objectSize(_ id: ObjectID) throws -> Int {
        var odb: OpaquePointer?
        try GitError.check(git_repository_odb(&odb, handle), "open the object database")
        defer { git_odb_free(odb) }
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_ANY
        try GitError.check(git_odb_read_header(&size, &type, odb, &oid), "read the header of \(id)")
        return size
    }
}

extension TreeEntry {
    init(_ entry: OpaquePointer) {
        let kind: Kind
        switch git_tree_entry_type(entry) {
        case GIT_OBJECT_BLOB: kind = .blob
        case GIT_OBJECT_TREE: kind = .tree
        case GIT_OBJECT_COMMIT: kind = .submodule
        default: kind = .other
        }
        self.init(
            name: String(cString: git_tree_entry_name(entry)),
            id: ObjectID(git_tree_entry_id(entry)),
            kind: kind,
            fileMode: UInt32(git_tree_entry_filemode_raw(entry).rawValue)
        )
    }
}
