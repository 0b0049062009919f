/// Turns source code into a stream of normalised tokens for reuse detection.
///
/// The stream is what winnowing fingerprints (see ``Winnowing``): layout and naming are
/// removed so that re-indenting, renaming and re-commenting copied code does not hide it.
/// - Whitespace, line continuations and comments (`#` in Python, `//` and `/* */` in C-like
///   languages) are dropped.
/// - In Python, a string literal that stands alone as a statement (a docstring, or a string
///   used as a block comment) is dropped.
/// - Every other string literal becomes one ``Token/string`` token (adjacent literals, which
///   the languages concatenate, become one token), unless it is long and looks like code (80
///   bytes or more, with brackets, `=` and `:` among its tokens): then its content's tokens,
///   so that code hidden in a string for `exec` is read as code; every number one
///   ``Token/number`` token; every identifier one ``Token/identifier`` token.
/// - The language's keywords (Python's `def`, `class`, `return`, `for`, `in`, `import`, ...)
///   and operators and punctuation are kept as themselves.
///
/// Each token keeps the 1-based line of the source on which it starts.
public enum SourceTokenizer {
    /// The normalised tokens of `text`, in source order.
    /// - Parameters:
    ///   - text: The source code.
    ///   - language: How to read it (comments, strings and keywords differ).
    public static func tokens(in text: String, language: Language) -> [Token] {
        var scanner = SourceTokenizerScanner(text: text, language: language)
        return scanner.scan()
    }

    /// The tokens of `text` as written: comments, whitespace and docstrings dropped as for
    /// ``tokens(in:language:)``, but names, numbers and literals kept as they are spelled (a
    /// string literal with its quotes). What lineage credit weighs and matches lines by.
    public static func spelledTokens(in text: String, language: Language) -> [Token] {
        var scanner = SourceTokenizerScanner(text: text, language: language, spelled: true)
        return scanner.scan()
    }

    /// Whether tokens are those of data rather than code: delimited numbers (at least half of
    /// the tokens numbers, and a fifth commas or semicolons), as in a CSV file or a table of
    /// weights. Takes normalised or spelled tokens.
    public static func looksLikeData(_ tokens: [Token]) -> Bool {
        guard !tokens.isEmpty else { return false }
        let numbers = tokens.filter { $0.text == Token.number || ($0.text.first.map { $0.isNumber || $0 == "." } ?? false) }.count
        let delimiters = tokens.filter { $0.text == "," || $0.text == ";" }.count
        return numbers * 2 >= tokens.count && delimiters * 5 >= tokens.count
    }

    /// The normalised tokens of `file`, read in the language its path suggests, or `nil` when
    /// the path's extension is not a known source language (see ``Language/init(path:)``).
    public static func tokens(of file: SourceFile) -> [Token]? {
        guard let language = Language(path: file.path) else { return nil }
        return tokens(in: file.text, language: language)
    }
}
