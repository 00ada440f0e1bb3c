/// The kinds of lexical tokens of GraphQL.
///
/// See https://spec.graphql.org/October2021/#sec-Language.Source-Text.Lexical-Tokens
public enum TokenKind: UInt8, Sendable {
    case startOfFile, endOfFile
    case bang, dollar, amp, parenL, parenR, spread, colon, equals, at, bracketL, bracketR, braceL, pipe, braceR
    case name, int, float, string, blockString

    /// How graphql-js names the kind in "Expected …" messages.
    var description: String {
        switch self {
        case .startOfFile: "<SOF>"
        case .endOfFile: "<EOF>"
        case .bang: "\(quoted: "!")"
        case .dollar: "\(quoted: "$")"
        case .amp: "\(quoted: "&")"
        case .parenL: "\(quoted: "(")"
        case .parenR: "\(quoted: ")")"
        case .spread: "\(quoted: "...")"
        case .colon: "\(quoted: ":")"
        case .equals: "\(quoted: "=")"
        case .at: "\(quoted: "@")"
        case .bracketL: "\(quoted: "[")"
        case .bracketR: "\(quoted: "]")"
        case .braceL: "\(quoted: "{")"
        case .pipe: "\(quoted: "|")"
        case .braceR: "\(quoted: "}")"
        case .name: "Name"
        case .int: "Int"
        case .float: "Float"
        case .string: "String"
        case .blockString: "BlockString"
        }
    }

    var isPunctuator: Bool {
        switch self {
        case .bang, .dollar, .amp, .parenL, .parenR, .spread, .colon, .equals, .at, .bracketL, .bracketR, .braceL,
            .pipe, .braceR:
            true
        default: false
        }
    }
}

/// One lexical token: its kind and byte range. Its value (a name's or number's text, a string's
/// decoded contents) is the lexer's `value(of:)`: tokens are plain values, copied for free, and
/// punctuators and keywords never become strings.
public struct Token: Sendable {
    public var kind: TokenKind
    public var start: Int
    public var end: Int

    public init(kind: TokenKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}
