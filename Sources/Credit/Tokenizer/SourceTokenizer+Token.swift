extension SourceTokenizer {
    /// One normalised token of source code and the line it starts on.
    public struct Token: Sendable, Hashable, Codable {
        /// The normalised text: a keyword or an operator as written, or one of the class
        /// names ``identifier``, ``number`` and ``string``.
        public var text: String
        /// The 1-based line of the source on which the token starts.
        public var line: Int

        /// Creates a token.
        public init(text: String, line: Int) {
            self.text = text
            self.line = line
        }

        /// The text of every identifier (names of variables, functions, classes, ...).
        public static let identifier = "<identifier>"
        /// The text of every numeric literal.
        public static let number = "<number>"
        /// The text of every string (or character) literal that is kept.
        public static let string = "<string>"
    }
}
