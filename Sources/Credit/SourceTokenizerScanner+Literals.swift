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
        let triple = quote != UInt8(ascii: "`") && peek(at: index + 1) == quote && peek(at: index + 2) == quote
            && (language == .python || quote == UInt8(ascii: "\""))
        index += triple ? 3 : 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.backslash {
                index += 1
                if index < bytes.count { advanceCountingLines() }
            } else if byte == quote, !triple || (peek(at: index + 1) == quote && peek(at: index + 2) == quote) {
                index += triple ? 3 : 1
                break
            } else if !triple, quote != UInt8(ascii: "`"), isLineBreak(at: index) {
                break  // unterminated: the line break is left for the main loop
            } else {
                advanceCountingLines()
            }
        }
        if language == .python, startsStatement {
            // A new statement: a docstring when nothing else follows, and never a continuation.
            if restOfLineIsEmpty() { return }
        } else if !spelled, tokens.last?.text == SourceTokenizer.Token.string {
            return
        }
        emit(spelled ? String(decoding: bytes[start..<index], as: UTF8.self) : SourceTokenizer.Token.string, line: startLine)
    }

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
