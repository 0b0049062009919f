/// One file of source code: its path in the submission (or starting kit) and its text.
///
/// Reuse detection reads the files whose extension is a known source language (see
/// ``SourceTokenizer/Language/init(path:)``) and skips the others.
public struct SourceFile: Sendable, Hashable, Codable {
    /// The path relative to the submission's root, e.g. `classifier.py`.
    public var path: String
    /// The file's text.
    public var text: String

    /// Creates a source file.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
