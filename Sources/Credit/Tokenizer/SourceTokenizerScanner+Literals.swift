extension SourceTokenizerScanner {
    /// Words that may prefix a string literal (lowercased): Python's `r`, `b`, `u`, `f`, `t`
    /// and their pairs; C, C++, C# and Rust's `L`, `u`, `u8`, `U`, `R`, `b`, `$`.
    var stringPrefixes: Set<String> {
        switch language {
        case .python: ["r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt"]
        case .cLike: ["l", "u", "u8", "r", "b", "$"]
        }
    }

    func isQuote(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): true
        case UInt8(ascii: "`"): language == .cLike
        default: false
        }
    }

    /// Skips a comment at `index` and returns whether there was one.
    mutating func skipComment() -> Bool {
        let byte = bytes[index]
        switch language {
        case .python:
            guard byte == UInt8(ascii: "#") else { return false }
            skipToEndOfLine()
            return true
        case .cLike:
            guard byte == UInt8(ascii: "/") else { return false }
            let next = peek(at: index + 1)
            if next == UInt8(ascii: "/") {
                skipToEndOfLine()
                return true
            }
            guard next == UInt8(ascii: "*") else { return false }
            index += 2
            while index < bytes.count, bytes[index] != UInt8(ascii: "*") || peek(at: index + 1) != UInt8(ascii: "/") {
                advanceCountingLines()
            }
            index = min(bytes.count, index + 2)
            return true
        }
    }

    /// Reads a string or character literal whose opening quote is at `index` (any prefix is
    /// already read). A Python string that stands alone as a statement (a docstring) is
    /// dropped; a literal right after another literal (implicit concatenation) adds no token.
    mutating func scanString(startsStatement: Bool) {
        let startLine = line
        let start = index
        let quote = bytes[index]
        let triple =
            quote != UInt8(ascii: "`") && peek(at: index + 1) == quote && peek(at: index + 2) == quote
            && (language == .python || quote == UInt8(ascii: "\""))
        let quoteLength = triple ? 3 : 1
        index += quoteLength
        let contentStart = index
        var contentEnd = bytes.count
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.backslash {
                index += 1
                if index < bytes.count { advanceCountingLines() }
            } else if byte == quote, !triple || (peek(at: index + 1) == quote && peek(at: index + 2) == quote) {
                contentEnd = index
                index += quoteLength
                break
            } else if !triple, quote != UInt8(ascii: "`"), isLineBreak(at: index) {
                contentEnd = index
                break  // unterminated: the line break is left for the main loop
            } else {
                advanceCountingLines()
            }
        }
        if !spelled, let code = codeInLiteral(bytes[contentStart..<min(contentEnd, bytes.count)], startLine: startLine) {
            // Code hidden in a string (for `exec`, say) is read as code by reuse detection.
            for token in code.tokens { emit(token.text, line: token.line) }
            lineShift += code.addedLines
            return
        }
        if language == .python, startsStatement {
            // A new statement: a docstring when nothing else follows, and never a continuation.
            if restOfLineIsEmpty() { return }
        } else if !spelled, tokens.last?.text == SourceTokenizer.Token.string {
            return
        }
        emit(spelled ? String(decoding: bytes[start..<index], as: UTF8.self) : SourceTokenizer.Token.string, line: startLine)
    }

    /// The tokens of a long string literal's content read as code in the same language, for
    /// reuse detection, or nil when it is short (under ``longLiteralBytes``) or does not look
    /// like code (too few brackets, `=` and `:` among its tokens: prose, a path, a format).
    /// Escaped line breaks and quotes are read as what they stand for. Tokens keep the line of
    /// the file they are on, except in a literal whose lines are all escaped (`"a = 1\nb = 2"`):
    /// its lines are counted as lines of the file (`addedLines` more), so that copied lines
    /// are found as lines, and the lines after it are numbered that much further.
    private func codeInLiteral(_ content: ArraySlice<UInt8>, startLine: Int) -> (tokens: [SourceTokenizer.Token], addedLines: Int)? {
        guard content.count >= Self.longLiteralBytes else { return nil }
        let hasLineBreaks = content.contains(Self.newline)
        var text: [UInt8] = []
        text.reserveCapacity(content.count)
        var position = content.startIndex
        while position < content.endIndex {
            let byte = content[position]
            if byte == Self.backslash, position + 1 < content.endIndex {
                let next = content[position + 1]
                switch next {
                case UInt8(ascii: "n"): text.append(hasLineBreaks ? Self.space : Self.newline)
                case UInt8(ascii: "t"): text.append(Self.space)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): text.append(next)
                default: text.append(contentsOf: [byte, next])
                }
                position += 2
            } else {
                text.append(byte)
                position += 1
            }
        }
        var inner = SourceTokenizerScanner(text: String(decoding: text, as: UTF8.self), language: language)
        let tokens = inner.scan()
        guard SourceTokenizer.looksLikeCode(tokens) else { return nil }
        let tokensOut = tokens.map { SourceTokenizer.Token(text: $0.text, line: startLine + $0.line - 1) }
        return (tokensOut, hasLineBreaks ? 0 : (tokens.last?.line ?? 1) - 1)
    }

    /// The shortest string literal (bytes of content) that reuse detection reads as code
    /// when it looks like code.
    static let longLiteralBytes = 80

    /// Whether only blanks, and perhaps a comment, follow `index` on its line.
    private func restOfLineIsEmpty() -> Bool {
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case Self.newline, Self.carriageReturn, UInt8(ascii: "#"): return true
            case Self.space, UInt8(ascii: "\t"), 0x0C: position += 1
            default: return false
            }
        }
        return true
    }

    /// Moves past one byte, counting a line when it ends one (`\n`, or `\r` not before `\n`).
    private mutating func advanceCountingLines() {
        let byte = bytes[index]
        index += 1
        if byte == Self.newline || (byte == Self.carriageReturn && peek(at: index) != Self.newline) {
            line += 1
        }
    }

    private mutating func skipToEndOfLine() {
        while index < bytes.count, !isLineBreak(at: index) { index += 1 }
    }
}
