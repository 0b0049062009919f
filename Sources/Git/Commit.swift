import Foundation

/// A commit as read from a repository: an immutable value, safe to pass between threads.
public struct Commit: Sendable, Hashable {
    /// The commit's own id.
    public let id: ObjectID
    /// The id of its root tree.
    public let treeID: ObjectID
    /// Its parents, first parent first (two or more for a merge).
    public let parentIDs: [ObjectID]
    /// The full message, trailers included.
    public let message: String
    /// The author's name and e-mail address as written in the commit.
    public let authorName: String
    public let authorEmail: String
    /// When the author made it (the commit's own claim, not a trusted time).
    public let authorTime: Date
    /// When it was committed (also the commit's own claim).
    public let committerTime: Date
}

/// One entry of a tree.
public struct TreeEntry: Sendable, Hashable {
    /// What an entry points at.
    public enum Kind: Sendable, Hashable {
        case blob, tree, submodule, other
    }
    /// The entry's name within its tree (no slashes).
    public let name: String
    /// The object it points at.
    public let id: ObjectID
    public let kind: Kind
    /// The git file mode (0o100644, 0o100755, 0o120000 for a symbolic link, 0o040000 for a tree).
    public let fileMode: UInt32

    /// True when the entry is a symbolic link.
    public var isSymbolicLink: Bool { fileMode == 0o120000 }
}

/// A person and time for writing a commit.
public struct Signature: Sendable {
    public let name: String
    public let email: String
    public let time: Date

    public init(name: String, email: String, time: Date = Date()) {
        self.name = name
        self.email = email
        self.time = time
    }
}
