/// Turns UTF-8 source bytes into GraphQL tokens, one `advance()` at a time.
///
/// Follows graphql-js `src/language/lexer.ts`: insignificant characters (whitespace, line
/// terminators, commas, comments, a byte-order mark) are skipped; errors carry the byte offset
/// where the problem starts.
///
/// See https://spec.graphql.org/October2021/#sec-Appendix-Grammar-Summary.Lexical-Tokens
public struct Lexer {
    let body: [UInt8]
    /// The current token.
    public private(set) var token: Token
    /// The end offset of the previous token, for node locations.
    public private(set) var lastTokenEnd: Int = 0
    /// Tokens read so far (the parser's token limit counts these).
    public private(set) var tokenCount: Int = 0
    /// The decoded value of the current token when it is a string or block string.
    private var stringValue = ""

    public init(_ source: Source) {
        self.body = source.body
        self.token = Token(kind: .startOfFile, start: 0, end: 0)
    }

    /// Moves to the next significant token.
    public mutating func advance() throws(SyntaxError) {
        self.lastTokenEnd = self.token.end
        if self.token.kind != .endOfFile {
            // Names and one-byte punctuators (most of a document's tokens) read inline; the rest
            // (strings, numbers, comments, errors) by `readToken`.
            if let token = self.readCommonToken(from: self.token.end) {
                self.token = token
                if token.kind != .endOfFile { self.tokenCount += 1 }
                return
            }
            let (token, stringValue) = try self.readToken(from: self.token.end)
            self.token = token
            if let stringValue { self.stringValue = stringValue }
            if token.kind != .endOfFile { self.tokenCount += 1 }
        }
    }

    /// The token after the current one, without moving.
    public func lookahead() throws(SyntaxError) -> Token {
        if self.token.kind == .endOfFile { return self.token }
        return try self.readToken(from: self.token.end).token
    }

    /// A token's value: a name's or number's text, a string's decoded contents (empty for
    /// punctuators). A string other than the current token is read again.
    public func value(of token: Token) -> String {
        switch token.kind {
        case .name, .int, .float:
            return self.text(of: token)
        case .string, .blockString:
            if token.start == self.token.start && token.kind == self.token.kind { return self.stringValue }
            return (try? self.readToken(from: token.start).stringValue) ?? ""
        default:
            return ""
        }
    }

    /// The text of a name, int or float token (its bytes as they stand).
    @inline(__always)
    func text(of token: Token) -> String {
        self.text(token.start, token.end)
    }

    /// Whether `token` is the name `keyword` (compared byte by byte: no string is made).
    public func isName(_ token: Token, _ keyword: StaticString) -> Bool {
        guard token.kind == .name, token.end - token.start == keyword.utf8CodeUnitCount else { return false }
        return keyword.withUTF8Buffer { keywordBytes in
            for offset in 0..<keywordBytes.count where self.body[token.start + offset] != keywordBytes[offset] { return false }
            return true
        }
    }

    /// How graphql-js describes a token in "found …" messages.
    func describe(_ token: Token) -> String {
        if token.kind.isPunctuator || token.kind == .endOfFile || token.kind == .startOfFile {
            return token.kind.description
        }
        return "\(token.kind.description) \(quoted: "\(self.value(of: token))")"
    }

    @inline(__always)
    private func byte(_ index: Int) -> UInt8 { index < self.body.count ? self.body[index] : 0 }

    /// The token at or after `offset` when it is a name, a one-byte punctuator or the end of the
    /// document, past whitespace and commas; `nil` for anything else (read by `readToken`).
    @inline(__always)
    private func readCommonToken(from offset: Int) -> Token? {
        let count = self.body.count
        var position = offset
        while position < count {
            let code = self.body[position]
            if code == 0x20 || code == 0x0A || code == 0x2C || code == 0x09 || code == 0x0D {
                position += 1
                continue
            }
            if isNameStart(code) {
                var end = position + 1
                while end < count, isNameContinue(self.body[end]) { end += 1 }
                return Token(kind: .name, start: position, end: end)
            }
            guard let kind = onePunctuator(code) else { return nil }
            return Token(kind: kind, start: position, end: position + 1)
        }
        return Token(kind: .endOfFile, start: count, end: count)
    }

    /// The token starting at or after `offset`, with its decoded value when it is a string.
    private func readToken(from offset: Int) throws(SyntaxError) -> (token: Token, stringValue: String?) {
        var position = offset
        let count = self.body.count
        while position < count {
            var code = self.body[position]
            // Tab, space, comma, LF, CR: indentation and line ends are most of a document's bytes,
            // skipped here before the switch.
            while code == 0x20 || code == 0x0A || code == 0x2C || code == 0x09 || code == 0x0D {
                position += 1
                guard position < count else { return (Token(kind: .endOfFile, start: count, end: count), nil) }
                code = self.body[position]
            }
            switch code {
            case 0xEF where self.byte(position + 1) == 0xBB && self.byte(position + 2) == 0xBF:  // BOM
                position += 3
                continue
            case 0x23:  // #
                position += 1
                while position < count, self.body[position] != 0x0A, self.body[position] != 0x0D { position += 1 }
                continue
            case 0x21: return (self.punctuator(.bang, position), nil)
            case 0x24: return (self.punctuator(.dollar, position), nil)
            case 0x26: return (self.punctuator(.amp, position), nil)
            case 0x28: return (self.punctuator(.parenL, position), nil)
            case 0x29: return (self.punctuator(.parenR, position), nil)
            case 0x2E:
                if self.byte(position + 1) == 0x2E && self.byte(position + 2) == 0x2E {
                    return (Token(kind: .spread, start: position, end: position + 3), nil)
                }
            case 0x3A: return (self.punctuator(.colon, position), nil)
            case 0x3D: return (self.punctuator(.equals, position), nil)
            case 0x40: return (self.punctuator(.at, position), nil)
            case 0x5B: return (self.punctuator(.bracketL, position), nil)
            case 0x5D: return (self.punctuator(.bracketR, position), nil)
            case 0x7B: return (self.punctuator(.braceL, position), nil)
            case 0x7C: return (self.punctuator(.pipe, position), nil)
            case 0x7D: return (self.punctuator(.braceR, position), nil)
            case 0x22:
                if self.byte(position + 1) == 0x22 && self.byte(position + 2) == 0x22 {
                    return try self.readBlockString(position)
                }
                return try self.readString(position)
            default: break
            }
            if isNameStart(code) { return (self.readName(position), nil) }
            if isDigit(code) || code == 0x2D { return (try self.readNumber(position), nil) }
            if code == 0x27 {
                throw SyntaxError(
                    message: "Unexpected single quote character ('), did you mean to use a double quote (\")?",
                    offset: position)
            }
            let (scalar, _) = self.decodeScalar(at: position)
            let printed = printCodePoint(scalar)
            let message =
                scalar == nil ? "Invalid character: \(printed)." : "Unexpected character: \(printed)."
            throw SyntaxError(message: message, offset: position)
        }
        return (Token(kind: .endOfFile, start: count, end: count), nil)
    }

    private func punctuator(_ kind: TokenKind, _ position: Int) -> Token {
        Token(kind: kind, start: position, end: position + 1)
    }

    /// Name :: NameStart NameContinue* [lookahead != NameContinue]
    private func readName(_ start: Int) -> Token {
        var position = start + 1
        while position < self.body.count, isNameContinue(self.body[position]) { position += 1 }
        return Token(kind: .name, start: start, end: position)
    }

    /// IntValue / FloatValue, with graphql-js's errors for malformed numbers.
    private func readNumber(_ start: Int) throws(SyntaxError) -> Token {
        var position = start
        var code = self.byte(position)
        var isFloat = false
        if code == 0x2D {
            position += 1
            code = self.byte(position)
        }
        if code == 0x30 {
            position += 1
            code = self.byte(position)
            if isDigit(code) {
                throw SyntaxError(
                    message: "Invalid number, unexpected digit after 0: \(self.describeCodePoint(at: position)).",
                    offset: position)
            }
        } else {
            position = try self.readDigits(position)
            code = self.byte(position)
        }
        if code == 0x2E {
            isFloat = true
            position = try self.readDigits(position + 1)
            code = self.byte(position)
        }
        if code == 0x45 || code == 0x65 {
            isFloat = true
            position += 1
            code = self.byte(position)
            if code == 0x2B || code == 0x2D { position += 1 }
            position = try self.readDigits(position)
            code = self.byte(position)
        }
        if code == 0x2E || isNameStart(code) {
            throw SyntaxError(
                message: "Invalid number, expected digit but got: \(self.describeCodePoint(at: position)).",
                offset: position)
        }
        return Token(kind: isFloat ? .float : .int, start: start, end: position)
    }

    private func readDigits(_ start: Int) throws(SyntaxError) -> Int {
        guard isDigit(self.byte(start)) else {
            throw SyntaxError(
                message: "Invalid number, expected digit but got: \(self.describeCodePoint(at: start)).", offset: start)
        }
        var position = start + 1
        while isDigit(self.byte(position)) { position += 1 }
        return position
    }

    /// StringValue :: `"` StringCharacter* `"`
    private func readString(_ start: Int) throws(SyntaxError) -> (token: Token, stringValue: String?) {
        var position = start + 1
        var chunkStart = position
        // The decoded bytes before `chunkStart`, made only once an escape is met: a string
        // without escapes is its bytes in the body (and a short one then allocates nothing).
        var value: [UInt8] = []
        var escaped = false
        let count = self.body.count
        while position < count {
            let code = self.body[position]
            if code == 0x22 {
                let token = Token(kind: .string, start: start, end: position + 1)
                guard escaped else { return (token, self.text(chunkStart, position)) }
                value.append(contentsOf: self.body[chunkStart..<position])
                return (token, String(decoding: value, as: UTF8.self))
            }
            if code == 0x5C {
                escaped = true
                value.append(contentsOf: self.body[chunkStart..<position])
                let (scalar, size) = try self.readEscape(at: position)
                UTF8.encode(scalar) { value.append($0) }
                position += size
                chunkStart = position
                continue
            }
            if code == 0x0A || code == 0x0D { break }
            // Any other Unicode scalar value is a StringCharacter, control characters included: the
            // draft's SourceCharacter, as graphql-js 16 reads it (October 2021 excluded C0 controls).
            if code >= 0x80 {
                let (scalar, size) = self.decodeScalar(at: position)
                if scalar == nil {
                    throw SyntaxError(
                        message: "Invalid character within String: \(self.describeCodePoint(at: position)).",
                        offset: position)
                }
                position += size
                continue
            }
            position += 1
        }
        throw SyntaxError(message: "Unterminated string.", offset: position)
    }

    /// EscapedCharacter and EscapedUnicode (fixed `\uXXXX`, surrogate pairs, and `\u{…}`).
    private func readEscape(at position: Int) throws(SyntaxError) -> (Unicode.Scalar, Int) {
        let code = self.byte(position + 1)
        switch code {
        case 0x22: return ("\"", 2)
        case 0x5C: return ("\\", 2)
        case 0x2F: return ("/", 2)
        case 0x62: return ("\u{8}", 2)
        case 0x66: return ("\u{C}", 2)
        case 0x6E: return ("\n", 2)
        case 0x72: return ("\r", 2)
        case 0x74: return ("\t", 2)
        case 0x75: return try self.readUnicodeEscape(at: position)
        default:
            let end = min(position + 2, self.body.count)
            throw SyntaxError(
                message: "Invalid character escape sequence: \(quoted: "\(self.text(position, end))").", offset: position)
        }
    }

    private func readUnicodeEscape(at position: Int) throws(SyntaxError) -> (Unicode.Scalar, Int) {
        if self.byte(position + 2) == 0x7B {  // \u{…}
            // As graphql-js reads it: digits accumulate in a 32-bit signed integer; a negative one stops.
            var point: Int32 = 0
            var size = 3
            while size < 12 {
                let code = self.byte(position + size)
                size += 1
                if code == 0x7D {
                    if size < 5 { break }
                    guard let scalar = Unicode.Scalar(UInt32(bitPattern: point)) else { break }
                    return (scalar, size)
                }
                guard let digit = hexValue(code) else { break }
                point = (point &<< 4) | Int32(digit)
                if point < 0 { break }
            }
            throw SyntaxError(
                message: "Invalid Unicode escape sequence: \(quoted: self.text(position, min(position + size, self.body.count))).",
                offset: position)
        }
        if let point = self.readHex4(position + 2) {
            if let scalar = Unicode.Scalar(point) { return (scalar, 6) }
            // A leading surrogate must be followed by a trailing one.
            if point >= 0xD800 && point <= 0xDBFF, self.byte(position + 6) == 0x5C, self.byte(position + 7) == 0x75,
                let trail = self.readHex4(position + 8), trail >= 0xDC00 && trail <= 0xDFFF,
                let scalar = Unicode.Scalar(0x10000 + ((point - 0xD800) << 10) + (trail - 0xDC00))
            {
                return (scalar, 12)
            }
        }
        throw SyntaxError(
            message: "Invalid Unicode escape sequence: \(quoted: self.text(position, min(position + 6, self.body.count))).",
            offset: position)
    }

    private func readHex4(_ start: Int) -> UInt32? {
        var point: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(self.byte(start + offset)) else { return nil }
            point = (point << 4) | UInt32(digit)
        }
        return point
    }

    /// BlockString :: `"""` BlockStringCharacter* `"""`
    private func readBlockString(_ start: Int) throws(SyntaxError) -> (token: Token, stringValue: String?) {
        var position = start + 3
        var chunkStart = position
        var current: [UInt8] = []
        var lines: [String] = []
        let count = self.body.count
        while position < count {
            let code = self.body[position]
            if code == 0x22 && self.byte(position + 1) == 0x22 && self.byte(position + 2) == 0x22 {
                current.append(contentsOf: self.body[chunkStart..<position])
                lines.append(String(decoding: current, as: UTF8.self))
                let value = dedentBlockStringLines(lines).joined(separator: "\n")
                return (Token(kind: .blockString, start: start, end: position + 3), value)
            }
            if code == 0x5C && self.byte(position + 1) == 0x22 && self.byte(position + 2) == 0x22
                && self.byte(position + 3) == 0x22
            {
                current.append(contentsOf: self.body[chunkStart..<position])
                current.append(contentsOf: [0x22, 0x22, 0x22])
                position += 4
                chunkStart = position
                continue
            }
            if code == 0x0A || code == 0x0D {
                current.append(contentsOf: self.body[chunkStart..<position])
                lines.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                position += (code == 0x0D && self.byte(position + 1) == 0x0A) ? 2 : 1
                chunkStart = position
                continue
            }
            if code >= 0x80 {
                let (scalar, size) = self.decodeScalar(at: position)
                if scalar == nil {
                    throw SyntaxError(
                        message: "Invalid character within String: \(self.describeCodePoint(at: position)).",
                        offset: position)
                }
                position += size
                continue
            }
            position += 1
        }
        throw SyntaxError(message: "Unterminated string.", offset: position)
    }

    /// The bytes `start..<end` as a string, read through the body's buffer in place.
    @inline(__always)
    private func text(_ start: Int, _ end: Int) -> String {
        self.body.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// Decodes the UTF-8 scalar at `position`; `nil` (with size 1) for a malformed sequence.
    private func decodeScalar(at position: Int) -> (Unicode.Scalar?, Int) {
        let lead = self.body[position]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard size > 1, position + size <= self.body.count else { return (nil, 1) }
        var iterator = self.body[position..<(position + size)].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return (scalar, size) }
        return (nil, 1)
    }

    private func describeCodePoint(at position: Int) -> String {
        if position >= self.body.count { return "<EOF>" }
        return printCodePoint(self.decodeScalar(at: position).0)
    }
}

/// graphql-js `printCodePointAt`: printable ASCII quoted, anything else as `U+XXXX`.
private func printCodePoint(_ scalar: Unicode.Scalar?) -> String {
    guard let scalar else { return "U+FFFD" }
    if scalar.value >= 0x20 && scalar.value <= 0x7E {
        // The other quote when the character is the quote of the current style (as both libraries do).
        let quote = MessageStyle.current.quote
        return String(scalar) == quote ? (quote == "\"" ? "'\"'" : "\"'\"") : quote + String(scalar) + quote
    }
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}

@inline(__always) func isDigit(_ code: UInt8) -> Bool { code >= 0x30 && code <= 0x39 }

/// The punctuator a byte is on its own (`...` is three bytes: not one of these).
@inline(__always) private func onePunctuator(_ code: UInt8) -> TokenKind? {
    switch code {
    case 0x7B: .braceL
    case 0x7D: .braceR
    case 0x28: .parenL
    case 0x29: .parenR
    case 0x3A: .colon
    case 0x21: .bang
    case 0x24: .dollar
    case 0x26: .amp
    case 0x3D: .equals
    case 0x40: .at
    case 0x5B: .bracketL
    case 0x5D: .bracketR
    case 0x7C: .pipe
    default: nil
    }
}

/// NameStart (`A`-`Z`, `_`, `a`-`z`) as bits of the byte's offset from 0x40, and NameContinue's
/// digits as bits of the byte itself: one shift and test per byte of a name, no chain of ranges.
private let nameStartBits: UInt64 = 0x07FF_FFFE_87FF_FFFE
private let digitBits: UInt64 = 0x03FF_0000_0000_0000

@inline(__always) func isNameStart(_ code: UInt8) -> Bool {
    code & 0xC0 == 0x40 && (nameStartBits >> UInt64(code & 0x3F)) & 1 != 0
}

@inline(__always) func isNameContinue(_ code: UInt8) -> Bool {
    code < 0x80 && ((code < 0x40 ? digitBits : nameStartBits) >> UInt64(code & 0x3F)) & 1 != 0
}

private func hexValue(_ code: UInt8) -> UInt8? {
    switch code {
    case 0x30...0x39: code - 0x30
    case 0x41...0x46: code - 0x37
    case 0x61...0x66: code - 0x57
    default: nil
    }
}
