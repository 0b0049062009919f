import Git

/// Why lineage credit could not be computed.
public enum LineageError: Error, Equatable, CustomStringConvertible {
    /// Two submissions (or a submission and the starting kit) have the same key.
    case duplicateKey(String)
    /// A file that should be attributed is not in that commit's tree.
    case missingFile(path: String, commit: ObjectID)

    /// A one-line explanation, for logs and error messages.
    public var description: String {
        switch self {
        case .duplicateKey(let key): "two submissions have the key \(key)"
        case .missingFile(let path, let commit): "\(path) is not a file of commit \(commit)"
        }
    }
}
