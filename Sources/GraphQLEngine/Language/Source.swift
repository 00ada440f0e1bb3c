/// A GraphQL document's text, kept as UTF-8 bytes, with a name for error messages.
///
/// Offsets everywhere in the engine are byte offsets into `body`; lines and columns are
/// computed only when an error needs them.
public struct Source: Sendable {
    public let body: [UInt8]
    public let name: String

    public init(_ text: String, name: String = "GraphQL request") {
        self.body = Array(text.utf8)
        self.name = name
    }

    public init(bytes: [UInt8], name: String = "GraphQL request") {
        self.body = bytes
        self.name = name
    }

    /// The 1-based line and column of a byte offset. `\n`, `\r\n` and a lone `\r` each end
    /// a line; a column counts Unicode scalars from the start of its line.
    public func location(of offset: Int) -> SourceLocation {
        var line = 1
        var lineStart = 0
        var index = 0
        let end = min(offset, self.body.count)
        while index < end {
            let byte = self.body[index]
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
            } else if byte == 0x0D {
                if index + 1 < self.body.count, self.body[index + 1] == 0x0A { index += 1 }
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        var i = lineStart
        while i < end {
            if self.body[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // A column points at a character: if `offset` lands inside a multi-byte character, it
        // was counted above as started; keep 1-based semantics.
        return SourceLocation(line: line, column: column)
    }
}

/// A 1-based line and column in a `Source`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(self.line):\(self.column)" }
}

/// The byte range `start..<end` of an AST node in its `Source`.
public struct Location: Sendable, Hashable {
    public let start: Int
    public let end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public static let none = Location(start: 0, end: 0)
}
