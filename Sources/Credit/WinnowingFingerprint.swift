/// One fingerprint of a document: the hash of a k-gram selected by winnowing and where that
/// k-gram is.
public struct WinnowingFingerprint: Sendable, Hashable, Codable {
    /// The stable 64-bit hash of the k-gram's normalised tokens (see ``Winnowing``).
    public var hash: UInt64
    /// The index, in the document's token stream, of the k-gram's first token (which is also
    /// the k-gram's own index).
    public var position: Int
    /// The 1-based source lines from the k-gram's first token to its last.
    public var lines: ClosedRange<Int>

    /// Creates a fingerprint.
    public init(hash: UInt64, position: Int, lines: ClosedRange<Int>) {
        self.hash = hash
        self.position = position
        self.lines = lines
    }
}
