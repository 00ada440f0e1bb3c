import Synchronization

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
    return context.errorsInReportOrder
}

/// Walks a document once, keeping the context's type information up to date and calling every
/// rule's hooks (graphql-js `visitInParallel` + `visitWithTypeInfo`).
struct ValidationWalker {
    let context: ValidationContext
    let rules: [any ValidationRule]
    /// For each hook, the indices of the rules that implement it, in rule order.
    let rulesByHook: RulesByHook
    /// For each rule, the depth at which it asked to skip children (-1: not skipping).
    var skipDepth: [Int]
    /// The rules skipping children now, with the depth each asked at, deepest last (a rule can
    /// only start skipping below the depths of those already skipping, so leaving a node ends
    /// the skips at the end of the list: no scan of every rule per node).
    var skips: [(rule: Int, depth: Int)] = []
    var depth = 0

    init(context: ValidationContext, rules: [any ValidationRule]) {
        self.context = context
        self.rules = rules
        self.skipDepth = Array(repeating: -1, count: rules.count)
        self.rulesByHook = Self.rulesByHook(rules)
    }

    /// The table of the last list of rules validated with, by each rule's hooks: a server
    /// validates every document with the same rules, and the table is ~20 arrays to build.
    private static let lastTable = Mutex<(hooks: [ValidationHooks], rulesByHook: RulesByHook)?>(nil)

    /// For each hook, the indices of the rules that implement it.
    private static func rulesByHook(_ rules: [any ValidationRule]) -> RulesByHook {
        let kept = Self.lastTable.withLock { last -> RulesByHook? in
            guard let last, last.hooks.count == rules.count else { return nil }
            for (index, rule) in rules.enumerated() where last.hooks[index] != rule.hooks { return nil }
            return last.rulesByHook
        }
        if let kept { return kept }
        let hooks = rules.map(\.hooks)
        let table = RulesByHook(
            ValidationHook.allCases.map { hook in
                hooks.indices.filter { hooks[$0].contains(ValidationHooks(hook)) }
            })
        Self.lastTable.withLock { $0 = (hooks, table) }
        return table
    }

    // MARK: Dispatch

    /// Enters a node: calls `hook` on the rules that implement it and are not skipping.
    @inline(__always)
    private mutating func enter(_ hook: ValidationHook, _ body: (any ValidationRule) -> VisitAction) {
        self.depth += 1
        self.dispatch(hook, body)
    }

    /// Calls `hook` on the rules that implement it and are not skipping, at the level of the node
    /// just entered (a narrower hook of the same node).
    @inline(__always)
    private mutating func dispatch(_ hook: ValidationHook, _ body: (any ValidationRule) -> VisitAction) {
        for position in self.rulesByHook.positions(hook) {
            let index = self.rulesByHook.rule(at: position)
            guard self.skipDepth[index] < 0 else { continue }
            if body(self.rules[index]) == .skipChildren {
                self.skipDepth[index] = self.depth
                self.skips.append((index, self.depth))
            }
        }
    }

    /// Enters a node no rule has a hook for (it still counts as a level for skipping).
    @inline(__always)
    private mutating func enter() {
        self.depth += 1
    }

    /// Leaves a node: calls `hook` (if any) on the rules that implement it and were not skipping,
    /// and ends the skipping of rules that skipped this node's children.
    @inline(__always)
    private mutating func leave(_ hook: ValidationHook? = nil, _ body: (any ValidationRule) -> Void = { _ in }) {
        if let hook { self.each(hook, body) }
        while let last = self.skips.last, last.depth == self.depth {
            self.skipDepth[last.rule] = -1
            self.skips.removeLast()
        }
        self.depth -= 1
    }

    @inline(__always)
    private func each(_ hook: ValidationHook, _ body: (any ValidationRule) -> Void) {
        for position in self.rulesByHook.positions(hook) {
            let index = self.rulesByHook.rule(at: position)
            if self.skipDepth[index] < 0 { body(self.rules[index]) }
        }
    }

    // MARK: Executable definitions

    mutating func walk(_ document: Document) {
        let context = self.context
        self.enter(.enterDocument) { $0.enter(document, context) }
        for (index, definition) in document.definitions.enumerated() {
            if context.isAborted { return }
            context.currentDefinition = index
            context.walkTime = .insideDefinition(index)
            switch definition {
            case .operation(let operation): self.walk(operation)
            case .fragment(let fragment): self.walk(fragment)
            case .schema(let schema): self.walk(schema)
            case .type(let type): self.walk(type)
            case .directive(let directive): self.walk(directive)
            }
        }
        context.walkTime = .leavingDocument(after: document.definitions.count)
        self.leave(.leaveDocument) { $0.leave(document, context) }
    }

    mutating func walk(_ operation: OperationDefinition) {
        let context = self.context
        context.operations.append((context.currentDefinition, operation))
        let root = context.schema.rootType(for: operation.operation)
        context.typeStack.append(OutputTypeEntry(root))
        self.enter(.enterOperation) { $0.enter(operation, context) }
        self.enterDirectives(operation.directives, at: DirectiveLocation(operation.operation))
        for variable in operation.variableDefinitions { self.walk(variable) }
        self.walk(operation.directives, at: DirectiveLocation(operation.operation), listEntered: true)
        self.walk(operation.selectionSet)
        self.leave(.leaveOperation) { $0.leave(operation, context) }
        context.typeStack.removeLast()
    }

    mutating func walk(_ variable: VariableDefinition) {
        let context = self.context
        let type = typeFromAST(context.schema, variable.type)
        context.inputTypeStack.append(type.flatMap { $0.isInputType ? $0 : nil })
        self.enter(.enterVariableDefinition) { $0.enter(variable, context) }
        self.enterDirectives(variable.directives, at: .variableDefinition)
        self.walk(variable.type)
        if let defaultValue = variable.defaultValue { self.walk(defaultValue) }
        self.walk(variable.directives, at: .variableDefinition, listEntered: true)
        self.leave()
        context.inputTypeStack.removeLast()
    }

    mutating func walk(_ fragment: FragmentDefinition) {
        let context = self.context
        let type = context.schema.type(named: fragment.typeCondition.value)
        context.typeStack.append(OutputTypeEntry(type))
        self.enter(.enterFragmentDefinition) { $0.enter(fragment, context) }
        self.enterDirectives(fragment.directives, at: .fragmentDefinition)
        self.walkNamedType(fragment.typeCondition)
        self.walk(fragment.directives, at: .fragmentDefinition, listEntered: true)
        self.walk(fragment.selectionSet)
        self.leave(.leaveFragmentDefinition) { $0.leave(fragment, context) }
        context.typeStack.removeLast()
    }

    mutating func walk(_ selectionSet: SelectionSet) {
        let context = self.context
        let named = context.namedType
        context.parentTypeStack.append(named.flatMap { $0.isComposite ? Unmanaged.passUnretained($0) : nil })
        self.enter(.enterSelectionSet) { $0.enter(selectionSet, context) }
        for selection in selectionSet.selections {
            if context.isAborted { break }
            switch selection {
            case .field(let field): self.walk(field)
            case .fragmentSpread(let spread):
                context.recordSpread(spread)
                self.enter(.enterFragmentSpread) { $0.enter(spread, context) }
                self.walk(spread.directives, at: .fragmentSpread)
                self.leave()
            case .inlineFragment(let fragment): self.walk(fragment)
            }
        }
        self.leave()
        context.parentTypeStack.removeLast()
    }

    mutating func walk(_ field: Field) {
        let context = self.context
        let name = field.nameValue
        let definition = context.parentType.flatMap { fieldDefinition(context.schema, $0, name) }
        context.fieldDefinitionStack.append(definition.map(Unmanaged.passUnretained))
        context.typeStack.append(definition.map(OutputTypeEntry.init(field:)) ?? .none)
        let arguments = field.arguments
        let directives = field.directives
        self.enter(.enterField) { $0.enter(field, context) }
        // The rules that look only at some fields, at the field's level.
        if definition == nil { self.dispatch(.enterUnknownField) { $0.enter(field, context) } }
        if isReservedName(name) { self.dispatch(.enterMetaField) { $0.enter(field, context) } }
        if arguments.count > 1 { self.dispatch(.enterFieldWithSeveralArguments) { $0.enter(field, context) } }
        if !directives.isEmpty { self.dispatch(.enterFieldWithDirectives) { $0.enter(field, context) } }
        self.enterDirectives(directives, at: .field)
        for argument in arguments { self.walk(argument) }
        self.walk(directives, at: .field, listEntered: true)
        if let selectionSet = field.selectionSet { self.walk(selectionSet) }
        if definition?.arguments.isEmpty == false { self.each(.leaveFieldWithArguments) { $0.leave(field, context) } }
        self.leave(.leaveField) { $0.leave(field, context) }
        context.fieldDefinitionStack.removeLast()
        context.typeStack.removeLast()
    }

    mutating func walk(_ fragment: InlineFragment) {
        let context = self.context
        let type = fragment.typeCondition.map { context.schema.type(named: $0.value) } ?? context.namedType
        context.typeStack.append(OutputTypeEntry(type))
        self.enter(.enterInlineFragment) { $0.enter(fragment, context) }
        self.enterDirectives(fragment.directives, at: .inlineFragment)
        if let condition = fragment.typeCondition { self.walkNamedType(condition) }
        self.walk(fragment.directives, at: .inlineFragment, listEntered: true)
        self.walk(fragment.selectionSet)
        self.leave()
        context.typeStack.removeLast()
    }

    // MARK: Directives, arguments and values

    /// The directives of the node just entered, as a list: graphql-js checks them on entering the
    /// node, before its children (its arguments, type condition, variables), so their errors come first.
    @inline(__always)
    private mutating func enterDirectives(_ directives: [Directive], at location: DirectiveLocation) {
        guard directives.count > 1 else { return }
        let context = self.context
        context.directiveLocation = location
        self.each(.enterDirectives) { $0.enter(directives: directives, context) }
    }

    /// Walks `directives`; `listEntered`: `enterDirectives` saw the list already.
    mutating func walk(_ directives: [Directive], at location: DirectiveLocation, listEntered: Bool = false) {
        guard !directives.isEmpty else { return }
        let context = self.context
        context.directiveLocation = location
        if !listEntered { self.each(.enterDirectives) { $0.enter(directives: directives, context) } }
        for directive in directives {
            context.directive = context.schema.directive(named: directive.name.value)
            context.directiveLocation = location
            self.enter(.enterDirective) { $0.enter(directive, context) }
            for argument in directive.arguments { self.walk(argument) }
            self.leave(.leaveDirective) { $0.leave(directive, context) }
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
        self.enter(.enterArgument) { $0.enter(argument, context) }
        self.walk(argument.value)
        self.leave()
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
            self.enter(.enterValue) { $0.enter(value, context) }
            for item in items { self.walk(item) }
            self.leave(.leaveValue) { $0.leave(value, context) }
            context.defaultValueStack.removeLast()
            context.inputTypeStack.removeLast()
        case .object(let fields):
            self.enter(.enterValue) { $0.enter(value, context) }
            for field in fields { self.walk(field) }
            self.leave(.leaveValue) { $0.leave(value, context) }
        case .variable(let name):
            context.variableUsages[context.currentDefinition].append(
                VariableUsage(name: name, location: value.location, type: context.inputType, defaultValue: context.defaultValue))
            self.enter(.enterValue) { $0.enter(value, context) }
            self.leave(.leaveValue) { $0.leave(value, context) }
        default:
            self.enter(.enterValue) { $0.enter(value, context) }
            self.leave(.leaveValue) { $0.leave(value, context) }
        }
    }

    mutating func walk(_ field: ObjectField) {
        let context = self.context
        let objectType = context.inputType?.namedType
        let definition = objectType?.kind == .inputObject ? objectType?.inputField(field.name.value) : nil
        context.defaultValueStack.append(definition?.defaultValue)
        context.inputTypeStack.append(definition.flatMap { $0.type.isInputType ? $0.type : nil })
        self.enter(.enterObjectField) { $0.enter(field, context) }
        self.walk(field.value)
        self.leave()
        context.defaultValueStack.removeLast()
        context.inputTypeStack.removeLast()
    }

    mutating func walk(_ type: TypeReference) {
        self.walkNamedType(type.namedType)
    }

    mutating func walkNamedType(_ name: Name) {
        let context = self.context
        self.each(.enterNamedType) { $0.enter(namedType: name, context) }
    }

    // MARK: Type-system definitions (rules report them; their references are still checked)

    mutating func walk(_ schema: SchemaDefinition) {
        self.enter()
        self.walk(schema.directives, at: .schema)
        for operationType in schema.operationTypes { self.walkNamedType(operationType.type) }
        self.leave()
    }

    mutating func walk(_ type: TypeDefinition) {
        self.enter()
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
        self.leave()
    }

    mutating func walk(_ definition: InputValueDefinition, at location: DirectiveLocation) {
        self.walk(definition.type)
        if let defaultValue = definition.defaultValue { self.walk(defaultValue) }
        self.walk(definition.directives, at: location)
    }

    mutating func walk(_ directive: DirectiveDefinition) {
        self.enter()
        for argument in directive.arguments { self.walk(argument, at: .argumentDefinition) }
        self.leave()
    }
}

/// The rules of each hook: one array of rule indices, each hook's run of it found by position (no
/// array per hook retained at every node the walk dispatches).
struct RulesByHook: Sendable {
    /// Where each hook's run starts in `rules` (one more entry: the end of the last run).
    private let starts: [Int]
    private let rules: [Int]

    init(_ lists: [[Int]]) {
        var starts = [0]
        for list in lists { starts.append(starts[starts.count - 1] + list.count) }
        self.starts = starts
        self.rules = lists.flatMap { $0 }
    }

    /// The positions of `hook`'s rules.
    @inline(__always)
    func positions(_ hook: ValidationHook) -> Range<Int> {
        self.starts[Int(hook.rawValue)]..<self.starts[Int(hook.rawValue) + 1]
    }

    @inline(__always)
    func rule(at position: Int) -> Int { self.rules[position] }
}

/// The field a selection names on a composite type (graphql-js `getFieldDef` of TypeInfo).
func fieldDefinition(_ schema: GraphQLSchema, _ parentType: GraphQLNamedType, _ name: String) -> GraphQLField? {
    if isReservedName(name) {
        if name == "__schema" && parentType === schema.queryType { return schema.schemaMetaField }
        if name == "__type" && parentType === schema.queryType { return schema.typeMetaField }
        if name == "__typename" && parentType.isComposite { return schema.typeNameMetaField }
    }
    guard parentType.kind == .object || parentType.kind == .interface else { return nil }
    return parentType.field(name)
}

/// Whether a name starts with `__` (the introspection system's), by its first two bytes
/// (`hasPrefix` compares through the generic path: ~6% of a plan's compilation).
@inline(__always)
func isReservedName(_ name: String) -> Bool {
    var bytes = name.utf8.makeIterator()
    return bytes.next() == 0x5F && bytes.next() == 0x5F
}
