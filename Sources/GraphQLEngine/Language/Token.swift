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

/// One lexical token: its kind, byte range and (for names, numbers and strings) its value.
public struct Token: Sendable {
    public var kind: TokenKind
    public var start: Int
    public var end: Int
    public var value: String

    /// How graphql-js describes the token in "found …" messages.
    var description: String {
        if self.kind.isPunctuator || self.kind == .endOfFile || self.kind == .startOfFile {
            return self.kind.description
        }
        return "\(self.kind.description) \(quoted: "\(self.value)")"
    }
}
