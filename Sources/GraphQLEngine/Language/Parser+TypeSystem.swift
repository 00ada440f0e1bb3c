/// The type-system half of the grammar: schema, type and directive definitions and extensions.
///
/// See https://spec.graphql.org/October2021/#sec-Type-System
extension Parser {
    /// Description : StringValue
    mutating func parseDescription() throws(SyntaxError) -> StringLiteral? {
        guard self.peekDescription() else { return nil }
        let token = self.lexer.token
        let value = self.lexer.value(of: token)
        try self.advance()
        return StringLiteral(
            value: value, block: token.kind == .blockString, location: Location(start: token.start, end: token.end))
    }

    /// SchemaDefinition : Description? schema Directives[Const]? { RootOperationTypeDefinition+ }
    mutating func parseSchemaDefinition() throws(SyntaxError) -> SchemaDefinition {
        let start = self.lexer.token.start
        let description = try self.parseDescription()
        try self.expectKeyword("schema")
        let directives = try self.parseDirectives(isConst: true)
        try self.expect(.braceL)
        var operationTypes: [OperationTypeDefinition] = []
        repeat {
            operationTypes.append(try self.parseOperationTypeDefinition())
        } while try !self.skip(.braceR)
        return SchemaDefinition(
            description: description, directives: directives, operationTypes: operationTypes, isExtension: false,
            location: self.location(from: start))
    }

    /// RootOperationTypeDefinition : OperationType : NamedType
    mutating func parseOperationTypeDefinition() throws(SyntaxError) -> OperationTypeDefinition {
        let start = self.lexer.token.start
        let operation = try self.parseOperationType()
        try self.expect(.colon)
        let type = try self.parseName()
        return OperationTypeDefinition(operation: operation, type: type, location: self.location(from: start))
    }

    /// TypeDefinition : ScalarTypeDefinition | ObjectTypeDefinition | InterfaceTypeDefinition |
    /// UnionTypeDefinition | EnumTypeDefinition | InputObjectTypeDefinition
    mutating func parseTypeDefinition() throws(SyntaxError) -> TypeDefinition {
        let start = self.lexer.token.start
        let description = try self.parseDescription()
        let keywordToken = self.lexer.token
        guard let kind = TypeDefinitionKind(rawValue: self.lexer.value(of: keywordToken)) else { throw self.unexpected(keywordToken) }
        try self.advance()
        var definition = try self.parseTypeBody(kind: kind, isExtension: false, start: start)
        definition.description = description
        return definition
    }

    /// The part after the keyword, shared by definitions and extensions.
    mutating func parseTypeBody(kind: TypeDefinitionKind, isExtension: Bool, start: Int) throws(SyntaxError)
        -> TypeDefinition
    {
        let name = try self.parseName()
        var definition = TypeDefinition(
            kind: kind, isExtension: isExtension, description: nil, name: name, interfaces: [], directives: [],
            fields: [], inputFields: [], types: [], values: [], location: .none)
        switch kind {
        case .scalar:
            definition.directives = try self.parseDirectives(isConst: true)
        case .object, .interface:
            definition.interfaces = try self.parseImplementsInterfaces()
            definition.directives = try self.parseDirectives(isConst: true)
            definition.fields = try self.parseFieldsDefinition()
        case .union:
            definition.directives = try self.parseDirectives(isConst: true)
            definition.types = try self.parseUnionMemberTypes()
        case .enumeration:
            definition.directives = try self.parseDirectives(isConst: true)
            definition.values = try self.parseEnumValuesDefinition()
        case .inputObject:
            definition.directives = try self.parseDirectives(isConst: true)
            definition.inputFields = try self.parseInputFieldsDefinition()
        }
        definition.location = self.location(from: start)
        return definition
    }

    /// ImplementsInterfaces : implements &? NamedType | ImplementsInterfaces & NamedType
    mutating func parseImplementsInterfaces() throws(SyntaxError) -> [Name] {
        guard try self.skipKeyword("implements") else { return [] }
        return try self.parseDelimited(.amp)
    }

    /// UnionMemberTypes : = |? NamedType | UnionMemberTypes | NamedType
    mutating func parseUnionMemberTypes() throws(SyntaxError) -> [Name] {
        guard try self.skip(.equals) else { return [] }
        return try self.parseDelimited(.pipe)
    }

    mutating func parseDelimited(_ delimiter: TokenKind) throws(SyntaxError) -> [Name] {
        _ = try self.skip(delimiter)
        var names: [Name] = []
        repeat {
            names.append(try self.parseName())
        } while try self.skip(delimiter)
        return names
    }

    /// FieldsDefinition : { FieldDefinition+ }
    mutating func parseFieldsDefinition() throws(SyntaxError) -> [FieldDefinition] {
        var fields: [FieldDefinition] = []
        guard try self.skip(.braceL) else { return fields }
        repeat {
            let start = self.lexer.token.start
            let description = try self.parseDescription()
            let name = try self.parseName()
            let arguments = try self.parseArgumentDefinitions()
            try self.expect(.colon)
            let type = try self.parseTypeReference()
            let directives = try self.parseDirectives(isConst: true)
            fields.append(
                FieldDefinition(
                    description: description, name: name, arguments: arguments, type: type, directives: directives,
                    location: self.location(from: start)))
        } while try !self.skip(.braceR)
        return fields
    }

    /// ArgumentsDefinition : ( InputValueDefinition+ )
    mutating func parseArgumentDefinitions() throws(SyntaxError) -> [InputValueDefinition] {
        var arguments: [InputValueDefinition] = []
        guard try self.skip(.parenL) else { return arguments }
        repeat {
            arguments.append(try self.parseInputValueDefinition())
        } while try !self.skip(.parenR)
        return arguments
    }

    /// InputFieldsDefinition : { InputValueDefinition+ }
    mutating func parseInputFieldsDefinition() throws(SyntaxError) -> [InputValueDefinition] {
        var fields: [InputValueDefinition] = []
        guard try self.skip(.braceL) else { return fields }
        repeat {
            fields.append(try self.parseInputValueDefinition())
        } while try !self.skip(.braceR)
        return fields
    }

    /// InputValueDefinition : Description? Name : Type DefaultValue? Directives[Const]?
    mutating func parseInputValueDefinition() throws(SyntaxError) -> InputValueDefinition {
        let start = self.lexer.token.start
        let description = try self.parseDescription()
        let name = try self.parseName()
        try self.expect(.colon)
        let type = try self.parseTypeReference()
        let defaultValue = try self.skip(.equals) ? try self.parseValueLiteral(isConst: true) : nil
        let directives = try self.parseDirectives(isConst: true)
        return InputValueDefinition(
            description: description, name: name, type: type, defaultValue: defaultValue, directives: directives,
            location: self.location(from: start))
    }

    /// EnumValuesDefinition : { EnumValueDefinition+ }
    mutating func parseEnumValuesDefinition() throws(SyntaxError) -> [EnumValueDefinition] {
        var values: [EnumValueDefinition] = []
        guard try self.skip(.braceL) else { return values }
        repeat {
            let start = self.lexer.token.start
            let description = try self.parseDescription()
            let token = self.lexer.token
            if self.lexer.isName(token, "true") || self.lexer.isName(token, "false") || self.lexer.isName(token, "null") {
                throw SyntaxError(
                    message: "\(self.lexer.describe(token)) is reserved and cannot be used for an enum value.",
                    offset: token.start)
            }
            let name = try self.parseName()
            let directives = try self.parseDirectives(isConst: true)
            values.append(
                EnumValueDefinition(
                    description: description, name: name, directives: directives, location: self.location(from: start)))
        } while try !self.skip(.braceR)
        return values
    }

    /// DirectiveDefinition : Description? directive @ Name ArgumentsDefinition? repeatable? on DirectiveLocations
    mutating func parseDirectiveDefinition() throws(SyntaxError) -> DirectiveDefinition {
        let start = self.lexer.token.start
        let description = try self.parseDescription()
        try self.expectKeyword("directive")
        try self.expect(.at)
        let name = try self.parseName()
        let arguments = try self.parseArgumentDefinitions()
        let isRepeatable = try self.skipKeyword("repeatable")
        try self.expectKeyword("on")
        _ = try self.skip(.pipe)
        var locations: [Name] = []
        repeat {
            let token = self.lexer.token
            let name = try self.parseName()
            guard DirectiveLocation(rawValue: name.value) != nil else { throw self.unexpected(token) }
            locations.append(name)
        } while try self.skip(.pipe)
        return DirectiveDefinition(
            description: description, name: name, arguments: arguments, isRepeatable: isRepeatable,
            locations: locations, location: self.location(from: start))
    }

    /// TypeSystemExtension : SchemaExtension | TypeExtension
    mutating func parseTypeSystemExtension() throws(SyntaxError) -> Definition {
        let start = self.lexer.token.start
        let keyword = try self.lexer.lookahead()
        guard keyword.kind == .name else { throw self.unexpected(keyword) }
        if self.lexer.isName(keyword, "schema") {
            try self.advance()
            try self.advance()
            let directives = try self.parseDirectives(isConst: true)
            var operationTypes: [OperationTypeDefinition] = []
            if try self.skip(.braceL) {
                repeat {
                    operationTypes.append(try self.parseOperationTypeDefinition())
                } while try !self.skip(.braceR)
            }
            if directives.isEmpty && operationTypes.isEmpty { throw self.unexpected(self.lexer.token) }
            return .schema(
                SchemaDefinition(
                    description: nil, directives: directives, operationTypes: operationTypes, isExtension: true,
                    location: self.location(from: start)))
        }
        guard let kind = TypeDefinitionKind(rawValue: self.lexer.value(of: keyword)) else { throw self.unexpected(keyword) }
        try self.advance()
        try self.advance()
        let definition = try self.parseTypeBody(kind: kind, isExtension: true, start: start)
        if definition.interfaces.isEmpty && definition.directives.isEmpty && definition.fields.isEmpty
            && definition.inputFields.isEmpty && definition.types.isEmpty && definition.values.isEmpty
        {
            throw self.unexpected(self.lexer.token)
        }
        return .type(definition)
    }
}
