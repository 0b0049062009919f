import CLibgit2
import Foundation

extension Repository {
    /// Writes the files under `directory` as blobs and trees (recursively; regular files and
    /// executables only, names starting with `.git` skipped) and returns the root tree's id.
    /// - Throws: ``GitError`` when an object cannot be written, or a Foundation error when a
    ///   file cannot be read.
    public func writeTree(fromDirectory directory: URL) throws -> ObjectID {
        var builder: OpaquePointer?
        try GitError.check(git_treebuilder_new(&builder, handle, nil), "start a tree")
        defer { git_treebuilder_free(builder) }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        for name in names where !name.hasPrefix(".git") {
            let url = directory.appendingPathComponent(name)
            let values = try url.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey])
            var oid: git_oid
            let mode: git_filemode_t
            if values.isDirectory == true {
                oid = try writeTree(fromDirectory: url).oid
                mode = GIT_FILEMODE_TREE
            } else if values.isRegularFile == true {
                oid = try writeBlob(try Data(contentsOf: url)).oid
                mode = FileManager.default.isExecutableFile(atPath: url.path) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
            } else {
                continue
            }
            try GitError.check(git_treebuilder_insert(nil, builder, name, &oid, mode), "add \(name) to a tree")
        }
        var treeOID = git_oid()
        try GitError.check(git_treebuilder_write(&treeOID, builder), "write a tree for \(directory.path)")
        return ObjectID(treeOID)
    }

    /// Writes `content` as a blob and returns its id.
    /// - Throws: ``GitError`` when the object cannot be written.
    public func writeBlob(_ content: Data) throws -> ObjectID {
        var oid = git_oid()
        try content.withUnsafeBytes { bytes in
            try GitError.check(git_blob_create_from_buffer(&oid, handle, bytes.baseAddress, bytes.count), "write a blob")
        }
        return ObjectID(oid)
    }

    /// Writes a commit of `tree` with the given parents and, when `reference` is given,
    /// moves that reference to it. Author and committer are both `signature`.
    /// - Throws: ``GitError`` when an object is missing or cannot be written, or when the
    ///   reference's current value is not the first parent.
    public func createCommit(tree: ObjectID, parents: [ObjectID], message: String, signature: Signature, reference: String? = nil) throws -> ObjectID
    {
        var gitSignature: UnsafeMutablePointer<git_signature>?
        try GitError.check(
            git_signature_new(&gitSignature, signature.name, signature.email, git_time_t(signature.time.timeIntervalSince1970), 0),
            "make a signature for \(signature.name)")
        defer { git_signature_free(gitSignature) }
        var treeOID = tree.oid
        var treeObject: OpaquePointer?
        try GitError.check(git_tree_lookup(&treeObject, handle, &treeOID), "read tree \(tree)")
        defer { git_tree_free(treeObject) }
        var parentObjects: [OpaquePointer?] = []
        defer { parentObjects.forEach { git_commit_free($0) } }
        for parent in parents {
            var oid = parent.oid
            var commit: OpaquePointer?
            try GitError.check(git_commit_lookup(&commit, handle, &oid), "read parent commit \(parent)")
            parentObjects.append(commit)
        }
        var commitOID = git_oid()
        try parentObjects.withUnsafeMutableBufferPointer { buffer in
            try GitError.check(
                git_commit_create(
                    &commitOID, handle, reference, gitSignature, gitSignature, "UTF-8", message,
                    treeObject, buffer.count, buffer.baseAddress),
                "write a commit")
        }
        return ObjectID(commitOID)
    }
}
