import Foundation

/// Why a tree could not be written out as files.
public enum TreeExportError: Error, CustomStringConvertible, Equatable {
    /// The tree holds something other than regular files and directories.
    case unsupportedEntry(path: String, kind: String)
    /// Its files together are larger than the limit, in bytes.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .unsupportedEntry(let path, let kind): "\(path) is a \(kind); only regular files and directories are allowed"
        case .tooLarge(let limit): "its files together are larger than \(limit) bytes"
        }
    }

    /// The longest name of a file or directory, in bytes, that file systems store.
    public static let longestName = 255
}

extension Repository {
    /// Writes the files of tree `treeID` under `directory` (created if needed): regular files
    /// with mode 0644, or 0755 when executable in git. Symbolic links and submodules are
    /// refused, so nothing written can point outside `directory`.
    /// - Throws: ``TreeExportError`` for a symbolic link or submodule (nothing is promised
    ///   about files already written), ``GitError`` when an object cannot be read, or a
    ///   Foundation error when a file cannot be written.
    /// - Parameter maximumBytes: the most bytes its files may hold together (a file named
    ///   twice counts twice); a larger tree throws ``TreeExportError/tooLarge(limit:)`` before
    ///   anything is written.
    public func export(tree treeID: ObjectID, to directory: URL, maximumBytes: Int = .max) throws {
        var total = 0
        for (_, entry) in try allEntries(inTree: treeID) where entry.kind == .blob {
            total += try objectSize(entry.id)
            if total > maximumBytes { throw TreeExportError.tooLarge(limit: maximumBytes) }
        }
        try export(tree: treeID, to: directory, prefix: "")
    }

    private func export(tree treeID: ObjectID, to directory: URL, prefix: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for entry in try treeEntries(treeID) {
            let path = prefix + entry.name
            guard entry.name != ".", entry.name != "..", !entry.name.contains("/") else {
                throw TreeExportError.unsupportedEntry(path: path, kind: "invalid name")
            }
            guard entry.name.utf8.count <= TreeExportError.longestName else {
                throw TreeExportError.unsupportedEntry(path: path, kind: "name longer than \(TreeExportError.longestName) bytes")
            }
            let target = directory.appendingPathComponent(entry.name)
            switch entry.kind {
            case .tree:
                try export(tree: entry.id, to: target, prefix: path + "/")
            case .blob where entry.isSymbolicLink:
                throw TreeExportError.unsupportedEntry(path: path, kind: "symbolic link")
            case .blob:
                try blobContent(entry.id).write(to: target)
                let mode: Int16 = entry.fileMode == 0o100755 ? 0o755 : 0o644
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target.path)
            case .submodule:
                throw TreeExportError.unsupportedEntry(path: path, kind: "submodule")
            case .other:
                throw TreeExportError.unsupportedEntry(path: path, kind: "unknown object")
            }
        }
    }
}

extension Repository {
    /// Every entry of tree `treeID` and its subtrees, with its slash-separated path, parents
    /// before children.
    /// - Throws: ``GitError`` when a tree cannot be read.
    public func allEntries(inTree treeID: ObjectID) throws -> [(path: String, entry: TreeEntry)] {
        var result: [(path: String, entry: TreeEntry)] = []
        func visit(_ id: ObjectID, prefix: String) throws {
            for entry in try treeEntries(id) {
                let path = prefix + entry.name
                result.append((path, entry))
                if entry.kind == .tree { try visit(entry.id, prefix: path + "/") }
            }
        }
        try visit(treeID, prefix: "")
        return result
    }
}
