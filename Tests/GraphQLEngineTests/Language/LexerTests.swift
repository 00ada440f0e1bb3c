import Testing

@testable import GraphQLEngine

@Suite("Lexer")
struct LexerTests {
    /// A token with the value the lexer gave it while it was the current one.
    struct Lexed {
        let kind: TokenKind
        let value: String
    }

    private func tokens(_ text: String) throws -> [Lexed] {
        var lexer = Lexer(Source(text))
        var result: [Lexed] = []
        try lexer.advance()
        while lexer.token.kind != .endOfFile {
            result.append(Lexed(kind: lexer.token.kind, value: lexer.value(of: lexer.token)))
            try lexer.advance()
        }
        return result
    }

    private func syntaxError(_ text: String) -> (String, GraphQLEngine.SourceLocation)? {
        do {
            _ = try self.tokens(text)
            return nil
        } catch let error as SyntaxError {
            return (error.message, Source(text).location(of: error.offset))
        } catch {
            return nil
        }
    }

    @Test("skips whitespace, commas, comments and a byte-order mark")
    func skipsIgnoredTokens() throws {
        let kinds = try self.tokens("\u{FEFF} foo, # comment\n\t bar").map(\.value)
        #expect(kinds == ["foo", "bar"])
    }

    @Test("reads punctuators, names and numbers")
    func readsTokens() throws {
        let tokens = try self.tokens("{ ... $a: -12 3.5e2 @x }")
        #expect(tokens.map(\.kind) == [.braceL, .spread, .dollar, .name, .colon, .int, .float, .at, .name, .braceR])
        #expect(tokens[5].value == "-12")
        #expect(tokens[6].value == "3.5e2")
    }

    @Test("reads strings with escapes, including surrogate pairs and braced code points")
    func readsStringEscapes() throws {
        let token = try #require(try self.tokens(#""a\n\"b\u00e9\uD83D\uDE00\u{1F600}""#).first)
        #expect(token.value == "a\n\"bé😀😀")
    }

    @Test("a string token's value, asked for after the lexer moved past it, is read again the same; keywords compare without strings")
    func valuesOfEarlierTokens() throws {
        var lexer = Lexer(Source("on \"a\\u00e9\" \"\"\"\n  b\n\"\"\" onion 12"))
        var seen: [Token] = []
        try lexer.advance()
        while lexer.token.kind != .endOfFile {
            seen.append(lexer.token)
            try lexer.advance()
        }
        #expect(seen.map { lexer.value(of: $0) } == ["on", "aé", "b", "onion", "12"])
        #expect(lexer.isName(seen[0], "on") && !lexer.isName(seen[3], "on") && !lexer.isName(seen[1], "on"))
    }

    @Test("control characters are string characters, in strings and block strings; only line breaks end a string")
    func controlCharactersInStrings() throws {
        for code in (0x00...0x1F as ClosedRange<UInt32>).filter({ $0 != 0x0A && $0 != 0x0D }) {
            let control = String(Character(try #require(Unicode.Scalar(code))))
            #expect(try self.tokens("\"a\(control)b\"").map(\.value) == ["a\(control)b"], "U+\(code)")
            #expect(try self.tokens("\"\"\"a\(control)b\"\"\"").map(\.value) == ["a\(control)b"], "U+\(code)")
        }
        // Unterminated: the error is where the body ends, not at the control character.
        #expect(self.syntaxError("\"\"\"\u{0}") ?? ("", GraphQLEngine.SourceLocation(line: 0, column: 0)) == ("Unterminated string.", GraphQLEngine.SourceLocation(line: 1, column: 5)))
        #expect(self.syntaxError("\"a\u{7}\nb\"")?.0 == "Unterminated string.")
        // Outside a string, a control character is still no token.
        #expect(self.syntaxError("{ a }\u{0}")?.0 == "Unexpected character: U+0000.")
    }

    @Test("dedents block strings")
    func dedentsBlockStrings() throws {
        let token = try #require(try self.tokens("\"\"\"\n    Hello,\n      World!\n\n    Yours\n  \"\"\"").first)
        #expect(token.kind == .blockString)
        #expect(token.value == "Hello,\n  World!\n\nYours")
    }

    @Test("reports errors with the line and column where they start")
    func reportsLocatedErrors() {
        #expect(self.syntaxError("\n\n    ?") ?? ("", GraphQLEngine.SourceLocation(line: 0, column: 0)) == ("Unexpected character: \"?\".", GraphQLEngine.SourceLocation(line: 3, column: 5)))
        #expect(self.syntaxError("\"unterminated")?.0 == "Unterminated string.")
        #expect(self.syntaxError("00")?.0 == "Invalid number, unexpected digit after 0: \"0\".")
        #expect(self.syntaxError("1.") != nil)
        #expect(self.syntaxError("'single'")?.1 == GraphQLEngine.SourceLocation(line: 1, column: 1))
        #expect(self.syntaxError(#""\x""#)?.0 == #"Invalid character escape sequence: "\x"."#)
    }

    /// The spec's NameStart (Letter or `_`) and NameContinue (also Digit), for every byte: the
    /// lexer tests them as bit masks.
    @Test("name characters are exactly the spec's, for every byte")
    func nameCharacters() {
        for code in UInt8.min...UInt8.max {
            let scalar = Unicode.Scalar(code)
            let letter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            let digit = ("0"..."9").contains(scalar)
            #expect(isNameStart(code) == (letter || scalar == "_"), "\(code)")
            #expect(isNameContinue(code) == (letter || digit || scalar == "_"), "\(code)")
        }
    }
}
