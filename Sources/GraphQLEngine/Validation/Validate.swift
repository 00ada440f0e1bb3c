/// Validates a document against a schema with the given rules (all of the specification's by
/// default), in one walk of the document.
///
/// See https://spec.graphql.org/October2021/#sec-Validation
public func validate(
    schema: GraphQLSchema, document: Document, source: Source,
    rules: [any ValidationRule] = specifiedRules(), maxErrors: Int = 100
) -> [GraphQLError] {
    let context = ValidationContext(schema: schema, document: document, source: source, maxErrors: maxErrors)
    var walker = ValidationWalker(context: context, rules: rules)
    walker.walk(document)
    return context.errors
}

/// Walks a document once, keeping the context's type information up to date and calling every
/// rule's hooks (graphql-js `visitInParallel` + `visitWithTypeInfo`).
struct ValidationWalker {
    let context: ValidationContext
    let rules: [any ValidationRule]
    /// For each rule, the depth at which it asked to skip children (-1: not skipping).
    var skipDepth: [Int]
    var depth = 0

    init(context: ValidationContext, rules: [any ValidationRule]) {
        self.context = context
        self.rules = rules
        self.skipDepth = Array(repeating: -1, count: rules.count)
    }

    // MARK: Dispatch

    @inline(__always)
    private mutating func enter(_ body: (any ValidationRule) -> VisitAction) {
        self.depth += 1
        for index in self.rules.indices where self.skipDepth[index] < 0 {
            if body(self.rules[index]) == .skipChildren { self.skipDepth[index] = self.depth }
        }
    }

    @inline(__always)
    private mutating func leave(_ body: (any ValidationRule) -> Void) {
        for index in self.rules.indices {
            if self.skipDepth[index] == self.depth {
                self.skipDepth[index] = -1
            } else if self.skipDepth[index] < 0 {
                body(self.rules[index])
            }
        }
        self.depth -= 1
    }

    @inline(__always)
    private func each(_ body: (any ValidationRule) -> Void) {
        for index in self.rules.indices where self.skipDepth[index] < 0 { body(self.rules[index]) }
    }

    // MARK: Executable definitions

    mutating func walk(_ document: Document) {
        let context = self.context
        self.enter { $0.enter(document, context) }
        for (index, definition) in document.definitions.enumerated() {
            if context.isAborted { return }
            context.currentDefinition = index
            switch definition {
            case .operation(let operation): self.walk(operation)
            case .fragment(let fragment): self.walk(fragment)
            case .schema(let schema): self.walk(schema)
            case .type(let type): self.walk(type)
            case .directive(let directive): self.walk(directive)
            }
        }
        self.leave { $0.leave(document, context) }
    }

    mutating func walk(_ operation: OperationDefinition) {
        let context = self.context
        context.operations.append((context.currentDefinition, operation))
        let root = context.schema.rootType(for: operation.operation)
        context.typeStack.append(root.map { .named($0) })
        self.enter { $0.enter(operation, context) }
        for variable in operation.variableDefinitions { self.walk(variable) }
        self.walk(operation.directives, at: DirectiveLocation(rawValue: operation.operation.rawValue.uppercased())!)
        self.walk(operation.selectionSet)
        self.leave { $0.leave(operation, context) }
        context.typeStack.removeLast()
    }

    mutating func walk(_ variable: VariableDefinition) {
        let context = self.context
        let type = typeFromAST(context.schema, variable.type)
        context.inputTypeStack.append(type.flatMap { $0.isInputType ? $0 : nil })
        self.enter { $0.enter(variable, context) }
        self.walk(variable.type)
        if let defaultValue = variable.defaultValue { self.walk(defaultValue) }
        self.walk(variable.directives, at: .variableDefinition)
        self.leave { _ in }
        context.inputTypeStack.removeLast()
    }

    mutating func walk(_ fragment: FragmentDefinition) {
        let context = self.context
        let type = context.schema.type(named: fragment.typeCondition.value)
        context.typeStack.append(type.flatMap { $0.isOutputType ? .named($0) : nil })
        self.enter { $0.enter(fragment, context) }
        self.walkNamedType(fragment.typeCondition)
        self.walk(fragment.directives, at: .fragmentDefinition)
        self.walk(fragment.selectionSet)
        self.leave { $0.leave(fragment, context) }
        context.typeStack.removeLast()
    }

    mutating func walk(_ selectionSet: SelectionSet) {
        let context = self.context
        let named = context.type?.namedType
        context.parentTypeStack.append(named.flatMap { $0.isComposite ? $0 : nil })
        self.enter { $0.enter(selectionSet, context) }
        for selection in selectionSet.selections {
            if context.isAborted { break }
            switch selection {
            case .field(let field): self.walk(field)
            case .fragmentSpread(let spread):
                self.enter { $0.enter(spread, context) }
                self.walk(spread.directives, at: .fragmentSpread)
                self.leave { _ in }
            case .inlineFragment(let fragment): self.walk(fragment)
            }
        }
        self.leave { _ in }
        context.parentTypeStack.removeLast()
    }

    mutating func walk(_ field: Field) {
        let context = self.context
        let definition = context.parentType.flatMap { fieldDefinition(context.schema, $0, field.name.value) }
        context.fieldDefinitionStack.append(definition)
        context.typeStack.append(definition.flatMap { $0.type.isOutputType ? $0.type : nil })
        self.enter { $0.enter(field, context) }
        for argument in field.arguments { self.walk(argument) }
        self.walk(field.directives, at: .field)
        if let selectionSet = field.selectionSet { self.walk(selectionSet) }
        self.leave { $0.leave(field, context) }
        context.fieldDefinitionStack.removeLast()
        context.typeStack.removeLast()
    }

    mutating func walk(_ fragment: InlineFragment) {
        let context = self.context
        let type: GraphQLType?
        if let condition = fragment.typeCondition {
            type = context.schema.type(named: condition.value).map { .named($0) }
        } else {
            type = context.type.map { .named($0.namedType) }
        }
        context.typeStack.append(type.flatMap { $0.isOutputType ? $0 : nil })
        self.enter { $0.enter(fragment, context) }
        if let condition = fragment.typeCondition { self.walkNamedType(condition) }
        self.walk(fragment.directives, at: .inlineFragment)
        self.walk(fragment.selectionSet)
        self.leave { _ in }
        context.typeStack.removeLast()
    }

    // MARK: Directives, arguments and values

    mutating func walk(_ directives: [Directive], at location: DirectiveLocation) {
        guard !directives.isEmpty else { return }
        let context = self.context
        context.directiveLocation = location
        self.each { $0.enter(directives: directives, context) }
        for directive in directives {
            context.directive = context.schema.directive(named: directive.name.value)
            context.directiveLocation = location
            self.enter { $0.enter(directive, context) }
            for argument in directive.arguments { self.walk(argument) }
            self.leave { $0.leave(directive, context) }
            context.directive = nil
        }
    }

    mutating func walk(_ argument: Argument) {
        let context = self.context
        let definition: GraphQLInputValue?
        if let directive = context.directive {
            definition = directive.argument(argument.name.value)
        } else {
            definition = context.fieldDefinition?.argument(argument.name.value)
        }
        context.argument = definition
        context.defaultValueStack.append(definition?.defaultValue)
        context.inputTypeStack.append(definition.flatMap { $0.type.isInputType ? $0.type : nil })
        self.enter { $0.enter(argument, context) }
        self.walk(argument.value)
        self.leave { _ in }
        context.argument = nil
        context.defaultValueStack.removeLast()
        context.inputTypeStack.removeLast()
    }

    mutating func walk(_ value: ValueNode) {
        let context = self.context
        switch value.kind {
        case .list(let items):
            let listType = context.inputType?.nullable
            let itemType: GraphQLType?
            if case .list(let inner)? = listType { itemType = inner } else { itemType = listType }
            context.defaultValueStack.append(nil)
            context.inputTypeStack.append(itemType.flatMap { $0.isInputType ? $0 : nil })
            self.enter { $0.enter(value, context) }
            for item in items { self.walk(item) }
            self.leave { $0.leave(value, context) }
            context.defaultValueStack.removeLast()
            context.inputTypeStack.removeLast()
        case .object(let fields):
            self.enter { $0.enter(value, context) }
            for field in fields { self.walk(field) }
            self.leave { $0.leave(value, context) }
        case .variable(let name):
            context.variableUsages[context.currentDefinition, default: []].append(
                VariableUsage(name: name, location: value.location, type: context.inputType, defaultValue: context.defaultValue))
            self.enter { $0.enter(value, context) }
            self.leave { $0.leave(value, context) }
        default:
            self.enter { $0.enter(value, context) }
            self.leave { $0.leave(value, context) }
        }
    }

    mutating func walk(_ field: ObjectField) {
        let context = self.context
        let objectType = context.inputType?.namedType
        let definition = objectType?.kind == .inputObject ? objectType?.inputField(field.name.value) : nil
        context.defaultValueStack.append(definition?.defaultValue)
        context.inputTypeStack.append(definition.flatMap { $0.type.isInputType ? $0.type : nil })
        self.enter { $0.enter(field, context) }
        self.walk(field.value)
        self.leave { _ in }
        context.defaultValueStack.removeLast()
        context.inputTypeStack.removeLast()
    }

    mutating func walk(_ type: TypeReference) {
        self.walkNamedType(type.namedType)
    }

    mutating func walkNamedType(_ name: Name) {
        let context = self.context
        self.each { $0.enter(namedType: name, context) }
    }

    // MARK: Type-system definitions (rules report them; their references are still checked)

    mutating func walk(_ schema: SchemaDefinition) {
        self.enter { _ in .continue }
        self.walk(schema.directives, at: .schema)
        for operationType in schema.operationTypes { self.walkNamedType(operationType.type) }
        self.leave { _ in }
    }

    mutating func walk(_ type: TypeDefinition) {
        self.enter { _ in .continue }
        let location = DirectiveLocation(type.kind)
        for interface in type.interfaces { self.walkNamedType(interface) }
        self.walk(type.directives, at: location)
        for field in type.fields {
            for argument in field.arguments { self.walk(argument, at: .argumentDefinition) }
            self.walk(field.type)
            self.walk(field.directives, at: .fieldDefinition)
        }
        for member in type.types { self.walkNamedType(member) }
        for value in type.values { self.walk(value.directives, at: .enumValue) }
        for field in type.inputFields { self.walk(field, at: .inputFieldDefinition) }
        self.leave { _ in }
    }

    mutating func walk(_ definition: InputValueDefinition, at location: DirectiveLocation) {
        self.walk(definition.type)
        if let defaultValue = definition.defaultValue { self.walk(defaultValue) }
        self.walk(definition.directives, at: location)
    }

    mutating func walk(_ directive: DirectiveDefinition) {
        self.enter { _ in .continue }
        for argument in directive.arguments { self.walk(argument, at: .argumentDefinition) }
        self.leave { _ in }
    }
}

/// The field a selection names on a composite type (graphql-js `getFieldDef` of TypeInfo).
func fieldDefinition(_ schema: GraphQLSchema, _ parentType: GraphQLNamedType, _ name: String) -> GraphQLField? {
    if name.hasPrefix("__") {
        if name == "__schema" && parentType === schema.queryType { return schema.schemaMetaField }
        if name == "__type" && parentType === schema.queryType { return schema.typeMetaField }
        if name == "__typename" && parentType.isComposite { return schema.typeNameMetaField }
    }
    guard parentType.kind == .object || parentType.kind == .interface else { return nil }
    return parentType.field(name)
}
