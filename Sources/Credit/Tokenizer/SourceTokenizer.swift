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

    /// The tokens of `text` that are code, by line (index `line - 1`), for lineage credit
    /// (`spelled`) or reuse detection, read in the language the path's extension names (as
    /// Python when it names none: code can be loaded from `impl.txt`). Lines of literals only
    /// (numbers, strings, `True`, `None`, punctuation: a table of weights, a CSV row, a
    /// padding of string pairs) hold no code and are empty. A file whose extension names no
    /// language is code only when what is left looks like code (``looksLikeCode(_:)``):
    /// prose, data and settings are not; nil then.
    public static func codeByLine(in text: String, path: String, spelled: Bool) -> [[Token]]? {
        let language = Language(path: path)
        var scanner = SourceTokenizerScanner(text: text, language: language ?? .python, spelled: spelled)
        let tokens = scanner.scan()
        var lines: [[Token]] = Array(repeating: [], count: tokens.last?.line ?? 0)
        for token in tokens { lines[token.line - 1].append(token) }
        for index in lines.indices where lines[index].allSatisfy(isLiteral) { lines[index] = [] }
        if language == nil, !looksLikeCode(lines.flatMap { $0 }) { return nil }
        return lines
    }

    /// Whether a token is a literal or punctuation: a number (ASCII digits), a string, a
    /// constant (`True`, `False`, `None`, `null`, `true`, `false`, `nil`), or only
    /// punctuation characters (`,`, `)`, `-`).
    static func isLiteral(_ token: Token) -> Bool {
        let text = token.text
        guard let first = text.unicodeScalars.first else { return true }
        if text == Token.number || text == Token.string || constants.contains(text) { return true }
        if first.properties.numericType != nil { return first.isASCII && ("0"..."9").contains(first) }
        if first == "." { return text.unicodeScalars.dropFirst().first.map { ("0"..."9").contains($0) } ?? true }
        if first == "\"" || first == "'" || first == "`" { return true }
        if let quote = text.unicodeScalars.firstIndex(where: { $0 == "\"" || $0 == "'" }),
            text.unicodeScalars[..<quote].allSatisfy({ $0.properties.isAlphabetic })
        {
            return true
        }  // r"...", f'...'
        return text.unicodeScalars.allSatisfy {
            !$0.properties.isAlphabetic && !$0.properties.isWhitespace && $0.properties.numericType == nil && $0 != "_"
        }
    }

    private static let constants: Set<String> = ["True", "False", "None", "null", "true", "false", "nil"]

    /// Whether tokens read as code: at least 8 of them, and at least one in 8 a bracket, `=`,
    /// `:` or `;` (code is full of them; prose and lists of words are not).
    public static func looksLikeCode(_ tokens: [Token]) -> Bool {
        let structural: Set<String> = ["(", ")", "[", "]", "{", "}", "=", ":", ";"]
        return tokens.count >= 8 && tokens.filter { structural.contains($0.text) }.count * 8 >= tokens.count
    }

    /// The normalised tokens of `file`, read in the language its path suggests, or `nil` when
    /// the path's extension is not a known source language (see ``Language/init(path:)``).
    public static func tokens(of file: SourceFile) -> [Token]? {
        guard let language = Language(path: file.path) else { return nil }
        return tokens(in: file.text, language: language)
    }
}
