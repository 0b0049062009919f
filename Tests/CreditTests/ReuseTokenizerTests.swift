import Testing

import Credit

struct ReuseTokenizerTests {
    let name = SourceTokenizer.Token.identifier
    let number = SourceTokenizer.Token.number
    let string = SourceTokenizer.Token.string

    func python(_ text: String) -> [SourceTokenizer.Token] {
        SourceTokenizer.tokens(in: text, language: .python)
    }

    @Test func commentsAndDocstringsAreDroppedAndLinesKept() {
        let tokens = python(
            """
            # A leading comment.
            def add(first, second=2):  # a trailing comment
                \"\"\"Adds two numbers.

                With a longer description.
                \"\"\"
                total = first + second * 1.5e-3
                return total
            """)
        #expect(
            tokens.map(\.text) == [
                "def", name, "(", name, ",", name, "=", number, ")", ":",
                name, "=", name, "+", name, "*", number,
                "return", name,
            ])
        #expect(tokens.map(\.line) == [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 7, 7, 7, 7, 7, 7, 7, 8, 8])
    }

    @Test func classAndModuleDocstringsAreDropped() {
        let tokens = python(
            """
            r'''Module docstring.'''
            class Model(Base):
                "Class docstring."

                def fit(self):
                    '''Method docstring.'''
                    pass
            """)
        #expect(tokens.map(\.text) == ["class", name, "(", name, ")", ":", "def", name, "(", name, ")", ":", "pass"])
        #expect(tokens.map(\.line) == [2, 2, 2, 2, 2, 2, 5, 5, 5, 5, 5, 5, 7])
    }

    @Test func identifiersAreNormalisedAndKeywordsKept() {
        let first = python("for item in items:\n    if not item is None and flag: yield item\n")
        let second = python("for   row in table:\n  if not row is None and ok:   yield row")
        #expect(first == second)
        #expect(
            first.map(\.text) == [
                "for", name, "in", name, ":", "if", "not", name, "is", "None", "and", name, ":", "yield", name,
            ])
        #expect(
            python("import numpy as np\nfrom a.b import c").map(\.text) == [
                "import", name, "as", name, "from", name, ".", name, "import", name,
            ])
        #expect(python("café = self.ünïcode").map(\.text) == [name, "=", name, ".", name])
    }

    @Test func stringsAndNumbersBecomeOneTokenEach() {
        #expect(
            python("x = 'a' + \"b\" + 0x1F + 1_000 + 2.5E+10 + 3j").map(\.text) == [
                name, "=", string, "+", string, "+", number, "+", number, "+", number, "+", number,
            ])
        // Prefixed literals, escaped quotes and implicit concatenation.
        #expect(python(#"path = rb'\x00' f"{a}\"b" 'c'"#).map(\.text) == [name, "=", string])
        // A string that is a value, not a statement of its own, is kept.
        let kept = python("text = \"\"\"one\ntwo\"\"\"\ncount = 1\n\"label\" if flag else \"other\"\n")
        #expect(kept.map(\.text) == [name, "=", string, name, "=", number, string, "if", name, "else", string])
        #expect(kept.map(\.line) == [1, 1, 1, 3, 3, 3, 4, 4, 4, 4, 4])
        // A string starting the next statement is not a continuation of the previous one.
        #expect(python("x = 'a'\n', '.join(parts)").map(\.text) == [name, "=", string, string, ".", name, "(", name, ")"])
    }

    @Test func operatorsAreKeptWithTheLongestMatch() {
        #expect(
            python("a **= b // c != d -> e ... f := g").map(\.text) == [
                name, "**=", name, "//", name, "!=", name, "->", name, "...", name, ":=", name,
            ])
    }

    @Test func continuationsBracketsAndCarriageReturnsKeepLines() {
        let tokens = python("total = (first +\r\n         second) \\\r\n    + third\r\n\"doc\"\r\nend = 1")
        #expect(tokens.map(\.text) == [name, "=", "(", name, "+", name, ")", "+", name, name, "=", number])
        #expect(tokens.map(\.line) == [1, 1, 1, 1, 1, 2, 2, 3, 3, 5, 5, 5])
    }

    @Test func cLikeCommentsAreDropped() {
        let tokens = SourceTokenizer.tokens(
            in: """
                // Entry point.
                int main(void) { /* a block
                   comment */ return printf("%d\\n", 42); }
                """, language: .cLike)
        #expect(
            tokens.map(\.text) == [
                "int", name, "(", "void", ")", "{", "return", name, "(", string, ",", number, ")", ";", "}",
            ])
        #expect(tokens.map(\.line) == [2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3])
        #expect(SourceTokenizer.tokens(in: "a # b", language: .cLike).map(\.text) == [name, "#", name])
    }

    @Test func languageComesFromTheExtension() {
        #expect(SourceTokenizer.Language(path: "submissions/alice/classifier.py") == .python)
        #expect(SourceTokenizer.Language(path: "stubs/model.PYI") == .python)
        #expect(SourceTokenizer.Language(path: "src/kernel.cpp") == .cLike)
        #expect(SourceTokenizer.Language(path: "web/app.ts") == .cLike)
        #expect(SourceTokenizer.Language(path: "README.md") == nil)
        #expect(SourceTokenizer.Language(path: "Makefile") == nil)
        #expect(SourceTokenizer.Language(path: "config/.py") == nil)
        #expect(SourceTokenizer.tokens(of: SourceFile(path: "notes.txt", text: "x = 1")) == nil)
        #expect(SourceTokenizer.tokens(of: SourceFile(path: "a.py", text: "x = 1"))?.count == 3)
    }

    @Test func unterminatedLiteralsStopAtTheEndOfTheLineOrText() {
        #expect(python("x = 'open\ny = 2").map(\.line) == [1, 1, 1, 2, 2, 2])
        #expect(python("s = \"\"\"never closed\n\nz").map(\.text) == [name, "=", string])
        #expect(SourceTokenizer.tokens(in: "/* never closed", language: .cLike).isEmpty)
        #expect(python("").isEmpty)
    }
}
