/// Limits that protect the parser (and everything after it) from hostile documents.
public struct ParseOptions: Sendable {
    /// The most tokens a document may have; `nil` for no limit.
    public var maxTokens: Int?
    /// The deepest nesting of selection sets, list/object values and type wrappers. Bounds every
    /// recursion over the AST, so a deep document gets an error instead of a stack overflow.
    public var maxDepth: Int

    public init(maxTokens: Int? = nil, maxDepth: Int = 200) {
        self.maxTokens = maxTokens
        self.maxDepth = maxDepth
    }
}

/// A recursive-descent parser for GraphQL documents, following graphql-js `src/language/parser.ts`.
///
/// Each parse method quotes the grammar production it implements.
/// See https://spec.graphql.org/October2021/#sec-Appendix-Grammar-Summary.Document
public struct Parser {
    var lexer: Lexer
    let options: ParseOptions
    var depth = 0
    /// The document's selection nodes, appended as they are parsed.
    let nodes: SelectionNodes
    /// The selections of the selection sets being parsed.
    var openSelections: OpenSelections

    init(source: Source, options: ParseOptions, openSelections: UnsafeMutableBufferPointer<SelectionNodes.Slot>) {
        self.lexer = Lexer(source)
        self.options = options
        self.nodes = SelectionNodes(expectingBytes: source.body.count)
        self.openSelections = OpenSelections(buffer: openSelections)
    }

    /// Open selections a parse holds on its stack before it moves them to the heap.
    static let openSelectionsOnStack = 64

    /// Parses a whole document.
    public static func parse(_ source: Source, options: ParseOptions = ParseOptions()) throws(SyntaxError) -> Document {
        guard source.body.count <= SelectionNodes.maxBytes else {
            throw SyntaxError(message: "Document is larger than 4 GiB. Parsing aborted.", offset: 0)
        }
        return try withUnsafeTemporaryAllocation(of: SelectionNodes.Slot.self, capacity: Self.openSelectionsOnStack) {
            buffer throws(SyntaxError) in
            var parser = Parser(source: source, options: options, openSelections: buffer)
            return try parser.parseDocument()
        }
    }

    /// Parses a document from text.
    public static func parse(_ text: String, options: ParseOptions = ParseOptions()) throws(SyntaxError) -> Document {
        try self.parse(Source(text), options: options)
    }

    /// Parses a lone value literal (as in a default value), for tools and tests.
    public static func parseValue(_ text: String) throws(SyntaxError) -> ValueNode {
        var parser = Parser(source: Source(text), options: ParseOptions(), openSelections: UnsafeMutableBufferPointer(start: nil, count: 0))
        try parser.advance()
        let value = try parser.parseValueLiteral(isConst: false)
        try parser.expect(.endOfFile)
        return value
    }

    // MARK: Document

    /// Document : Definition+
    mutating func parseDocument() throws(SyntaxError) -> Document {
        try self.advance()
        var definitions: [Definition] = []
        definitions.reserveCapacity(4)
        repeat {
            definitions.append(try self.parseDefinition())
        } while self.lexer.token.kind != .endOfFile
        return Document(definitions: definitions, location: Location(start: 0, end: self.lexer.lastTokenEnd))
    }

    /// Definition : ExecutableDefinition | TypeSystemDefinition | TypeSystemExtension
    mutating func parseDefinition() throws(SyntaxError) -> Definition {
        if self.peek(.braceL) { return .operation(try self.parseOperationDefinition()) }
        let hasDescription = self.peekDescription()
        let keyword = hasDescription ? try self.lexer.lookahead() : self.lexer.token
        if keyword.kind == .name {
            // Keywords are compared as bytes in place (no string made), executable ones first.
            let lexer = self.lexer
            func isKeyword(_ name: StaticString) -> Bool { lexer.isName(keyword, name) }
            if !hasDescription {
                if self.operationType(keyword) != nil { return .operation(try self.parseOperationDefinition()) }
                if isKeyword("fragment") { return .fragment(try self.parseFragmentDefinition()) }
            }
            if isKeyword("schema") { return .schema(try self.parseSchemaDefinition()) }
            if isKeyword("scalar") || isKeyword("type") || isKeyword("interface") || isKeyword("union") || isKeyword("enum")
                || isKeyword("input")
            {
                return .type(try self.parseTypeDefinition())
            }
            if isKeyword("directive") { return .directive(try self.parseDirectiveDefinition()) }
            if hasDescription {
                throw SyntaxError(
                    message: "Unexpected description, descriptions are supported only on type definitions.",
                    offset: self.lexer.token.start)
            }
            if isKeyword("extend") { return try self.parseTypeSystemExtension() }
        }
        throw self.unexpected(keyword)
    }

    // MARK: Operations

    /// OperationDefinition : SelectionSet | OperationType Name? VariableDefinitions? Directives? SelectionSet
    mutating func parseOperationDefinition() throws(SyntaxError) -> OperationDefinition {
        let start = self.lexer.token.start
        if self.peek(.braceL) {
            let selectionSet = try self.parseSelectionSet()
            return OperationDefinition(
                operation: .query, name: nil, variableDefinitions: [], directives: [], selectionSet: selectionSet,
                location: self.location(from: start))
        }
        let operation = try self.parseOperationType()
        let name = self.peek(.name) ? try self.parseName() : nil
        let variables = try self.parseVariableDefinitions()
        let directives = try self.parseDirectives(isConst: false)
        let selectionSet = try self.parseSelectionSet()
        return OperationDefinition(
            operation: operation, name: name, variableDefinitions: variables, directives: directives,
            selectionSet: selectionSet, location: self.location(from: start))
    }

    /// OperationType : one of query mutation subscription
    mutating func parseOperationType() throws(SyntaxError) -> OperationType {
        let token = try self.expect(.name)
        guard let operation = self.operationType(token) else { throw self.unexpected(token) }
        return operation
    }

    /// The operation type a name token spells, compared as bytes.
    func operationType(_ token: Token) -> OperationType? {
        if self.lexer.isName(token, "query") { return .query }
        if self.lexer.isName(token, "mutation") { return .mutation }
        if self.lexer.isName(token, "subscription") { return .subscription }
        return nil
    }

    /// VariableDefinitions : ( VariableDefinition+ )
    mutating func parseVariableDefinitions() throws(SyntaxError) -> [VariableDefinition] {
        var definitions: [VariableDefinition] = []
        guard try self.skip(.parenL) else { return definitions }
        repeat {
            definitions.append(try self.parseVariableDefinition())
        } while try !self.skip(.parenR)
        return definitions
    }

    /// VariableDefinition : Variable : Type DefaultValue? Directives[Const]?
    mutating func parseVariableDefinition() throws(SyntaxError) -> VariableDefinition {
        let start = self.lexer.token.start
        let variable = try self.parseVariable()
        try self.expect(.colon)
        let type = try self.parseTypeReference()
        let defaultValue = try self.skip(.equals) ? try self.parseValueLiteral(isConst: true) : nil
        let directives = try self.parseDirectives(isConst: true)
        return VariableDefinition(
            variable: variable, type: type, defaultValue: defaultValue, directives: directives,
            location: self.location(from: start))
    }

    /// Variable : $ Name
    ///
    /// Returns the name (located without the `$`); the caller's node starts at the `$`.
    mutating func parseVariable() throws(SyntaxError) -> Name {
        try self.expect(.dollar)
        return try self.parseName()
    }

    /// SelectionSet : { Selection+ }
    mutating func parseSelectionSet() throws(SyntaxError) -> SelectionSet {
        SelectionSet(nodes: self.nodes, row: try self.parseSelectionSetRow())
    }

    /// A selection set, as its row in the nodes.
    mutating func parseSelectionSetRow() throws(SyntaxError) -> SelectionNodes.SetRow {
        let start = self.lexer.token.start
        try self.enterNesting()
        defer { self.depth -= 1 }
        try self.expect(.braceL)
        let first = self.openSelections.count
        repeat {
            self.openSelections.append(try self.parseSelection())
        } while try !self.skip(.braceR)
        return try self.closeSelectionSet(from: first, span: self.span(from: start))
    }

    /// Moves the open selections from `first` on to the nodes, as one set's run.
    mutating func closeSelectionSet(from first: Int, span: SelectionNodes.Span) throws(SyntaxError) -> SelectionNodes.SetRow {
        let start = self.nodes.selections.count
        let count = self.openSelections.count - first
        guard start + count < SelectionNodes.maxRows else { throw self.tooLarge() }
        self.openSelections.move(from: first, to: &self.nodes.selections)
        return SelectionNodes.SetRow(start: Int32(start), count: Int32(count), span: span)
    }

    /// Selection : Field | FragmentSpread | InlineFragment
    mutating func parseSelection() throws(SyntaxError) -> SelectionNodes.Slot {
        self.peek(.spread) ? try self.parseFragment() : try self.parseField()
    }

    /// Field : Alias? Name Arguments? Directives? SelectionSet?
    mutating func parseField() throws(SyntaxError) -> SelectionNodes.Slot {
        let start = self.lexer.token.start
        let nameOrAlias = try self.expect(.name)
        var alias: Name?
        var nameToken = nameOrAlias
        if try self.skip(.colon) {
            alias = Name(self.lexer.text(of: nameOrAlias), location: Location(start: nameOrAlias.start, end: nameOrAlias.end))
            nameToken = try self.expect(.name)
        }
        let name = self.lexer.text(of: nameToken)
        let arguments = try self.parseArguments(isConst: false)
        var extras: Int32 = -1
        if alias != nil || self.peek(.at) {
            let directives = try self.parseDirectives(isConst: false)
            let index = self.nodes.fieldExtras.count
            guard index < SelectionNodes.maxRows else { throw self.tooLarge() }
            self.nodes.fieldExtras.append(SelectionNodes.FieldExtras(alias: alias, directives: directives))
            extras = Int32(truncatingIfNeeded: index)
        }
        let selectionSet = self.peek(.braceL) ? try self.parseSelectionSetRow() : .none
        let row = self.nodes.fields.count
        guard row < SelectionNodes.maxRows else { throw self.tooLarge() }
        self.nodes.fields.append(
            SelectionNodes.FieldRow(
                name: name, arguments: arguments, nameStart: UInt32(truncatingIfNeeded: nameToken.start), extras: extras,
                selectionSet: selectionSet, span: self.span(from: start)))
        return SelectionNodes.Slot(kind: SelectionNodes.Slot.fieldKind, row: row)
    }

    /// Arguments[Const] : ( Argument[?Const]+ )
    mutating func parseArguments(isConst: Bool) throws(SyntaxError) -> [Argument] {
        var arguments: [Argument] = []
        guard try self.skip(.parenL) else { return arguments }
        repeat {
            let start = self.lexer.token.start
            let name = try self.parseName()
            try self.expect(.colon)
            let value = try self.parseValueLiteral(isConst: isConst)
            arguments.append(Argument(name: name, value: value, location: self.location(from: start)))
        } while try !self.skip(.parenR)
        return arguments
    }

    /// FragmentSpread : ... FragmentName Directives?
    /// InlineFragment : ... TypeCondition? Directives? SelectionSet
    mutating func parseFragment() throws(SyntaxError) -> SelectionNodes.Slot {
        let start = self.lexer.token.start
        try self.expect(.spread)
        let hasTypeCondition = try self.skipKeyword("on")
        if !hasTypeCondition && self.peek(.name) {
            let name = try self.parseFragmentName()
            let directives = try self.parseDirectives(isConst: false)
            let row = self.nodes.spreads.count
            guard row < SelectionNodes.maxRows else { throw self.tooLarge() }
            self.nodes.spreads.append(SelectionNodes.SpreadRow(name: name, directives: directives, span: self.span(from: start)))
            return SelectionNodes.Slot(kind: SelectionNodes.Slot.spreadKind, row: row)
        }
        let typeCondition = hasTypeCondition ? try self.parseName() : nil
        let directives = try self.parseDirectives(isConst: false)
        let selectionSet = try self.parseSelectionSetRow()
        let row = self.nodes.inlines.count
        guard row < SelectionNodes.maxRows else { throw self.tooLarge() }
        self.nodes.inlines.append(
            SelectionNodes.InlineRow(typeCondition: typeCondition, directives: directives, selectionSet: selectionSet, span: self.span(from: start)))
        return SelectionNodes.Slot(kind: SelectionNodes.Slot.inlineKind, row: row)
    }

    /// FragmentDefinition : fragment FragmentName TypeCondition Directives? SelectionSet
    mutating func parseFragmentDefinition() throws(SyntaxError) -> FragmentDefinition {
        let start = self.lexer.token.start
        try self.expectKeyword("fragment")
        let name = try self.parseFragmentName()
        try self.expectKeyword("on")
        let typeCondition = try self.parseName()
        let directives = try self.parseDirectives(isConst: false)
        let selectionSet = try self.parseSelectionSet()
        return FragmentDefinition(
            name: name, typeCondition: typeCondition, directives: directives, selectionSet: selectionSet,
            location: self.location(from: start))
    }

    /// FragmentName : Name but not `on`
    mutating func parseFragmentName() throws(SyntaxError) -> Name {
        if self.lexer.isName(self.lexer.token, "on") { throw self.unexpected(self.lexer.token) }
        return try self.parseName()
    }

    // MARK: Values

    /// Value[Const] : [~Const] Variable | IntValue | FloatValue | StringValue | BooleanValue | NullValue |
    /// EnumValue | ListValue[?Const] | ObjectValue[?Const]
    mutating func parseValueLiteral(isConst: Bool) throws(SyntaxError) -> ValueNode {
        let token = self.lexer.token
        switch token.kind {
        case .bracketL:
            try self.enterNesting()
            defer { self.depth -= 1 }
            try self.advance()
            var items: [ValueNode] = []
            while try !self.skip(.bracketR) { items.append(try self.parseValueLiteral(isConst: isConst)) }
            return ValueNode(.list(items), location: self.location(from: token.start))
        case .braceL:
            try self.enterNesting()
            defer { self.depth -= 1 }
            try self.advance()
            var fields: [ObjectField] = []
            while try !self.skip(.braceR) {
                let start = self.lexer.token.start
                let name = try self.parseName()
                try self.expect(.colon)
                let value = try self.parseValueLiteral(isConst: isConst)
                fields.append(ObjectField(name: name, value: value, location: self.location(from: start)))
            }
            return ValueNode(.object(fields), location: self.location(from: token.start))
        case .int:
            try self.advance()
            return ValueNode(.int(self.lexer.text(of: token)), location: self.location(from: token.start))
        case .float:
            try self.advance()
            return ValueNode(.float(self.lexer.text(of: token)), location: self.location(from: token.start))
        case .string, .blockString:
            let text = self.lexer.value(of: token)
            try self.advance()
            return ValueNode(.string(text, block: token.kind == .blockString), location: self.location(from: token.start))
        case .name:
            try self.advance()
            let kind: ValueNode.Kind =
                if self.lexer.isName(token, "true") {
                    .boolean(true)
                } else if self.lexer.isName(token, "false") {
                    .boolean(false)
                } else if self.lexer.isName(token, "null") {
                    .null
                } else {
                    .enumValue(self.lexer.text(of: token))
                }
            return ValueNode(kind, location: self.location(from: token.start))
        case .dollar:
            if isConst {
                try self.advance()
                if self.lexer.token.kind == .name {
                    throw SyntaxError(
                        message: "Unexpected variable \(quoted: "$\(self.lexer.value(of: self.lexer.token))") in constant value.",
                        offset: token.start)
                }
                throw self.unexpected(token)
            }
            let variable = try self.parseVariable()
            return ValueNode(.variable(variable), location: self.location(from: token.start))
        default:
            throw self.unexpected(token)
        }
    }

    /// Directives[Const] : Directive[?Const]+
    mutating func parseDirectives(isConst: Bool) throws(SyntaxError) -> [Directive] {
        var directives: [Directive] = []
        while self.peek(.at) {
            let start = self.lexer.token.start
            try self.advance()
            let name = try self.parseName()
            let arguments = try self.parseArguments(isConst: isConst)
            directives.append(Directive(name: name, arguments: arguments, location: self.location(from: start)))
        }
        return directives
    }

    /// Type : NamedType | ListType | NonNullType
    mutating func parseTypeReference() throws(SyntaxError) -> TypeReference {
        let start = self.lexer.token.start
        let type: TypeReference
        if try self.skip(.bracketL) {
            try self.enterNesting()
            defer { self.depth -= 1 }
            let inner = try self.parseTypeReference()
            try self.expect(.bracketR)
            type = .list(inner, self.location(from: start))
        } else {
            type = .named(try self.parseName())
        }
        if try self.skip(.bang) { return .nonNull(type, self.location(from: start)) }
        return type
    }

    // MARK: Helpers

    /// Name :: NameStart NameContinue*
    mutating func parseName() throws(SyntaxError) -> Name {
        let token = try self.expect(.name)
        return Name(self.lexer.text(of: token), location: Location(start: token.start, end: token.end))
    }

    func peek(_ kind: TokenKind) -> Bool { self.lexer.token.kind == kind }

    func peekDescription() -> Bool { self.peek(.string) || self.peek(.blockString) }

    func location(from start: Int) -> Location { Location(start: start, end: self.lexer.lastTokenEnd) }

    /// `location(from:)` in 32 bits, for the selection nodes (`parse` refuses a longer document).
    func span(from start: Int) -> SelectionNodes.Span {
        SelectionNodes.Span(start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: self.lexer.lastTokenEnd))
    }

    mutating func advance() throws(SyntaxError) {
        try self.lexer.advance()
        if let maxTokens = self.options.maxTokens, self.lexer.tokenCount > maxTokens {
            throw SyntaxError(
                message: "Document contains more than \(maxTokens) tokens. Parsing aborted.",
                offset: self.lexer.token.start)
        }
    }

    mutating func enterNesting() throws(SyntaxError) {
        self.depth += 1
        if self.depth > self.options.maxDepth {
            throw SyntaxError(
                message: "Document nests deeper than \(self.options.maxDepth) levels. Parsing aborted.",
                offset: self.lexer.token.start)
        }
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind) throws(SyntaxError) -> Token {
        let token = self.lexer.token
        guard token.kind == kind else {
            throw SyntaxError(message: "Expected \(kind.description), found \(self.lexer.describe(token)).", offset: token.start)
        }
        try self.advance()
        return token
    }

    mutating func skip(_ kind: TokenKind) throws(SyntaxError) -> Bool {
        guard self.lexer.token.kind == kind else { return false }
        try self.advance()
        return true
    }

    mutating func expectKeyword(_ keyword: StaticString) throws(SyntaxError) {
        let token = self.lexer.token
        guard self.lexer.isName(token, keyword) else {
            throw SyntaxError(message: "Expected \(quoted: "\(keyword)"), found \(self.lexer.describe(token)).", offset: token.start)
        }
        try self.advance()
    }

    mutating func skipKeyword(_ keyword: StaticString) throws(SyntaxError) -> Bool {
        guard self.lexer.isName(self.lexer.token, keyword) else { return false }
        try self.advance()
        return true
    }

    /// A document with more selection nodes than their 30-bit rows can number.
    func tooLarge() -> SyntaxError {
        SyntaxError(message: "Document has too many selections. Parsing aborted.", offset: self.lexer.token.start)
    }

    func unexpected(_ token: Token) -> SyntaxError {
        SyntaxError(message: "Unexpected \(self.lexer.describe(token)).", offset: token.start)
    }
}
