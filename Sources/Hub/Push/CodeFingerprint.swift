import Credit
import Crypto
import Foundation
import Git

/// What a submission's files do, as one value: two trees that differ only in comments,
/// docstrings, blank lines or spacing within lines have the same fingerprint; any other
/// change (a name, a number, a string, a line's indentation or its breaks, a file added,
/// removed or renamed, a byte of a file that is not source code) gives another. The hub scores
/// a team's code once: a copy with a new comment is not a second draw of a random model.
///
/// The fingerprint is the SHA-256 (64 hexadecimal digits) of, for each blob in path order, its
/// path and either its lines of code (each line's leading whitespace and its tokens as spelled,
/// ``SourceTokenizer/spelledTokens(in:language:)``) for a UTF-8 file of a language the
/// tokenizer reads (``SourceTokenizer/Language``) of at most ``largestTokenizedBytes``, or its
/// blob id for any other file (data, binaries, symbolic links, notebooks, R or Julia code).
public enum CodeFingerprint {
    /// Source files larger than this (bytes) are fingerprinted by their blob id.
    public static let largestTokenizedBytes = 4 << 20

    /// The fingerprint of tree `tree` of `repository`.
    /// - Throws: ``GitError`` when the tree or one of its blobs cannot be read.
    public static func of(tree: ObjectID, in repository: Repository) throws -> String {
        var hasher = SHA256()
        let entries = try repository.allEntries(inTree: tree).filter { $0.entry.kind != .tree }.sorted { $0.path < $1.path }
        for (path, entry) in entries {
            hasher.update(data: Data("\(path)\u{0}\(entry.kind == .blob && !entry.isSymbolicLink ? "file" : "link")\u{0}".utf8))
            if entry.kind == .blob, !entry.isSymbolicLink, let language = SourceTokenizer.Language(path: path),
                try repository.objectSize(entry.id) <= largestTokenizedBytes,
                let text = String(validating: try repository.blobContent(entry.id), as: UTF8.self), !text.contains("\u{0}")
            {
                hasher.update(data: Data(codeLines(of: text, language: language).utf8))
            } else {
                hasher.update(data: Data("blob \(entry.id.hex)".utf8))
            }
            hasher.update(data: Data([0x1E]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The lines of code of `text`: for each line on which tokens start, its leading
    /// whitespace and its tokens as spelled, separated by U+001F; lines end with a line feed.
    static func codeLines(of text: String, language: SourceTokenizer.Language) -> String {
        let physicalLines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var byLine: [Int: [String]] = [:]
        for token in SourceTokenizer.spelledTokens(in: text, language: language) { byLine[token.line, default: []].append(token.text) }
        return byLine.keys.sorted().map { line in
            let physical = line - 1 < physicalLines.count ? physicalLines[line - 1] : ""
            let indentation = physical.prefix { $0 == " " || $0 == "\t" }
            return indentation + "\u{1F}" + byLine[line, default: []].joined(separator: "\u{1F}") + "\n"
        }.joined()
    }
}
