/// The single pass over the UTF-8 bytes of a source text behind ``SourceTokenizer``.
///
/// Bytes from 0x80 up (the non-ASCII part of UTF-8) count as identifier characters, which is
/// what Python 3 and most C-like languages allow in names.
struct SourceTokenizerScanner {
    let bytes: [UInt8]
    let language: SourceTokenizer.Language
    let keywords: Set<String>
    /// Whether names, numbers and literals keep their spelling (for attribution) instead of
    /// their class (for reuse detection).
    let spelled: Bool
    var index = 0
    var line = 1
    var tokens: [SourceTokenizer.Token] = []
    /// How many brackets are open; inside brackets a newline does not end a Python statement.
    var bracketDepth = 0
    /// Whether the next token starts a statement (a string there may be a docstring).
    var atStatementStart = true
    /// Lines added to the file's by string literals read as code whose lines were escaped
    /// (reuse detection only): tokens are numbered this much further.
    var lineShift = 0

    init(text: String, language: SourceTokenizer.Language, spelled: Bool = false) {
        bytes = Array(text.utf8)
        self.language = language
        keywords = language.keywords
        self.spelled = spelled
    }

    /// Reads the whole text and returns its tokens.
    mutating func scan() -> [SourceTokenizer.Token] {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Self.newline:
                index += 1
                endLine()
            case Self.carriageReturn:
                index += 1
                if peek(at: index) != Self.newline { endLine() }
            case Self.backslash where isLineBreak(at: index + 1):
                // An explicit line continuation: the statement goes on.
                index += 1
                skipLineBreak()
            case ...Self.space, Self.delete, Self.backslash:
                index += 1
            default:
                scanToken()
            }
        }
        return tokens
    }

    /// Reads one comment, literal, name or operator starting at `index`.
    private mutating func scanToken() {
        let startsStatement = atStatementStart && bracketDepth == 0
        let byte = bytes[index]
        if skipComment() { return }
        if isQuote(byte) {
            scanString(startsStatement: startsStatement)
        } else if Self.isIdentifierStart(byte) {
            scanWord(startsStatement: startsStatement)
        } else if Self.isDigit(byte) || (byte == Self.dot && Self.isDigit(peek(at: index + 1))) {
            scanNumber()
        } else {
            scanOperator()
        }
    }

    /// Reads a name, a keyword, or the prefix of a string literal (`r"..."`, `f'...'`).
    private mutating func scanWord(startsStatement: Bool) {
        let start = index
        while index < bytes.count, Self.isIdentifierCharacter(bytes[index]) { index += 1 }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        if isQuote(peek(at: index)), stringPrefixes.contains(word.lowercased()) {
            scanString(startsStatement: startsStatement)
        } else {
            emit(keywords.contains(word) || spelled ? word : SourceTokenizer.Token.identifier, line: line)
        }
    }

    /// Reads a numeric literal: digits, letters (hexadecimal digits, suffixes), underscores,
    /// decimal points and signed exponents.
    private mutating func scanNumber() {
        let start = index
        let hexadecimal = bytes[index] == UInt8(ascii: "0") && peek(at: index + 1) | 0x20 == UInt8(ascii: "x")
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.dot {
                if peek(at: index + 1) == Self.dot { break }  // a range operator (`1..<n`)
                index += 1
            } else if Self.isIdentifierCharacter(byte) {
                index += 1
            } else if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"),
                !hexadecimal, index > start, [UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index - 1])
            {
                index += 1
            } else {
                break
            }
        }
        emit(spelled ? String(decoding: bytes[start..<index], as: UTF8.self) : SourceTokenizer.Token.number, line: line)
    }

    /// Reads the longest operator or punctuation mark at `index`.
    private mutating func scanOperator() {
        for length in [3, 2] where index + length <= bytes.count {
            let candidate = String(decoding: bytes[index..<index + length], as: UTF8.self)
            if Self.operators.contains(candidate) {
                index += length
                emit(candidate, line: line)
                return
            }
        }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): bracketDepth += 1
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): bracketDepth = max(0, bracketDepth - 1)
        default: break
        }
        emit(String(decoding: [byte], as: UTF8.self), line: line)
        if byte == UInt8(ascii: ";"), bracketDepth == 0 { atStatementStart = true }
    }

    /// Appends a token; the next token no longer starts a statement.
    mutating func emit(_ text: String, line: Int) {
        tokens.append(SourceTokenizer.Token(text: text, line: line + lineShift))
        atStatementStart = false
    }

    /// Handles the end of a physical line.
    mutating func endLine() {
        line += 1
        if bracketDepth == 0 { atStatementStart = true }
    }

    /// Skips `\n`, `\r\n` or `\r` at `index`, counting the line but not ending the statement.
    mutating func skipLineBreak() {
        if peek(at: index) == Self.carriageReturn { index += 1 }
        if peek(at: index) == Self.newline { index += 1 }
        line += 1
    }

    func isLineBreak(at position: Int) -> Bool {
        let byte = peek(at: position)
        return byte == Self.newline || byte == Self.carriageReturn
    }

    /// The byte at `position`, or 0 past the end.
    func peek(at position: Int) -> UInt8 {
        position < bytes.count ? bytes[position] : 0
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    static func isIdentifierCharacter(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }

    /// Operators of two or three characters, read as one token (the longest match wins).
    static let operators: Set<String> = [
        "**=", "//=", ">>=", "<<=", "...", "===", "!==", "<=>", ">>>", "..<",
        "->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=",
        "&=", "|=", "^=", "@=", "++", "--", "&&", "||", "::", "=>", "??", "?.", "..",
    ]

    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let delete: UInt8 = 0x7F
    static let backslash = UInt8(ascii: "\\")
    static let dot = UInt8(ascii: ".")
}
