/// One submission as reuse detection sees it: who made it, its source files, and which
/// submissions it legitimately derives from.
public struct ReuseSubmission: Sendable, Hashable {
    /// The submission's key, `team/name`.
    public var key: String
    /// The team that made it.
    public var team: String
    /// Its source files (files in languages the tokenizer does not read are skipped).
    public var files: [SourceFile]
    /// The keys of the submissions in its lineage (those its commit descends from). Code it
    /// shares with them is legitimate reuse and never reported.
    public var ancestors: Set<String>

    /// Creates a submission.
    public init(key: String, team: String, files: [SourceFile], ancestors: Set<String> = []) {
        self.key = key
        self.team = team
        self.files = files
        self.ancestors = ancestors
    }
}

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
