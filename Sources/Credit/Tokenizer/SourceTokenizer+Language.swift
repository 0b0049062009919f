extension SourceTokenizer {
    /// The source languages the tokenizer reads.
    public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
        /// Python: `#` comments, docstrings, `'''`/`"""` and prefixed (`r`, `b`, `f`, ...)
        /// string literals.
        case python
        /// C, C++, Java, JavaScript, TypeScript, Swift, Go, Rust, C#, Kotlin, Scala and the
        /// like: `//` and `/* */` comments, `"`, `'` and `` ` `` literals.
        case cLike

        /// The language of a file, from its path's extension (case-insensitive), or `nil` for
        /// an extension that is not source code the tokenizer reads (data, notebooks, text).
        public init?(path: String) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
            let fileExtension = name[name.index(after: dot)...].lowercased()
            if Self.pythonExtensions.contains(fileExtension) {
                self = .python
            } else if Self.cLikeExtensions.contains(fileExtension) {
                self = .cLike
            } else {
                return nil
            }
        }

        /// The words kept as themselves rather than normalised to ``Token/identifier``.
        public var keywords: Set<String> {
            switch self {
            case .python: Self.pythonKeywords
            case .cLike: Self.cLikeKeywords
            }
        }

        private static let pythonExtensions: Set<String> = ["py", "pyi", "pyw"]
        private static let cLikeExtensions: Set<String> = [
            "c", "h", "cc", "cpp", "cxx", "hh", "hpp", "hxx", "m", "mm", "java", "js", "mjs", "cjs",
            "jsx", "ts", "tsx", "swift", "go", "rs", "cs", "kt", "kts", "scala", "cu",
        ]

        /// Python 3's hard keywords (`keyword.kwlist`). Soft keywords such as `match`, `case`
        /// and `type` are ordinary names too often to be kept.
        private static let pythonKeywords: Set<String> = [
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
            "return", "try", "while", "with", "yield",
        ]

        /// Control flow, declarations and built-in types shared by the common C-like languages.
        private static let cLikeKeywords: Set<String> = [
            "auto", "bool", "break", "case", "catch", "char", "class", "const", "continue",
            "default", "delete", "do", "double", "else", "enum", "extends", "extern", "false",
            "final", "float", "fn", "for", "func", "function", "goto", "if", "impl", "implements",
            "import", "in", "inline", "int", "interface", "let", "long", "match", "mut",
            "namespace", "new", "nil", "null", "nullptr", "override", "package", "private",
            "protected", "pub", "public", "return", "self", "short", "signed", "sizeof", "static",
            "struct", "super", "switch", "template", "this", "throw", "throws", "trait", "true",
            "try", "typedef", "typename", "union", "unsigned", "use", "using", "var", "virtual",
            "void", "volatile", "while", "yield",
        ]
    }
}
