/// What a rule's `enter` asks of the walk: go on into the node's children, or skip them (for
/// this rule only; the other rules still see them).
public enum VisitAction: Sendable {
    case `continue`
    case skipChildren
}

/// A validation rule: a visitor over the document that reports errors to the context.
///
/// Rules override only the hooks they need; every hook has a no-op default. The walk calls
/// rules after the context's type information has entered the node, and before it leaves it
/// (graphql-js `visitWithTypeInfo`). A rule is instantiated per validation, so it may keep state.
public protocol ValidationRule: AnyObject {
    func enter(_ document: Document, _ context: ValidationContext) -> VisitAction
    func leave(_ document: Document, _ context: ValidationContext)
    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction
    func leave(_ operation: OperationDefinition, _ context: ValidationContext)
    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction
    func leave(_ fragment: FragmentDefinition, _ context: ValidationContext)
    func enter(_ variable: VariableDefinition, _ context: ValidationContext) -> VisitAction
    func enter(_ selectionSet: SelectionSet, _ context: ValidationContext) -> VisitAction
    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction
    func leave(_ field: Field, _ context: ValidationContext)
    func enter(_ spread: FragmentSpread, _ context: ValidationContext) -> VisitAction
    func enter(_ fragment: InlineFragment, _ context: ValidationContext) -> VisitAction
    /// Called once for each node that carries directives, with all of them.
    func enter(directives: [Directive], _ context: ValidationContext)
    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction
    func leave(_ directive: Directive, _ context: ValidationContext)
    func enter(_ argument: Argument, _ context: ValidationContext) -> VisitAction
    func enter(_ value: ValueNode, _ context: ValidationContext) -> VisitAction
    func leave(_ value: ValueNode, _ context: ValidationContext)
    func enter(_ field: ObjectField, _ context: ValidationContext) -> VisitAction
    /// A named type reference (variable types, type conditions, SDL references).
    func enter(namedType: Name, _ context: ValidationContext)
}

extension ValidationRule {
    public func enter(_ document: Document, _ context: ValidationContext) -> VisitAction { .continue }
    public func leave(_ document: Document, _ context: ValidationContext) {}
    public func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction { .continue }
    public func leave(_ operation: OperationDefinition, _ context: ValidationContext) {}
    public func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction { .continue }
    public func leave(_ fragment: FragmentDefinition, _ context: ValidationContext) {}
    public func enter(_ variable: VariableDefinition, _ context: ValidationContext) -> VisitAction { .continue }
    public func enter(_ selectionSet: SelectionSet, _ context: ValidationContext) -> VisitAction { .continue }
    public func enter(_ field: Field, _ context: ValidationContext) -> VisitAction { .continue }
    public func leave(_ field: Field, _ context: ValidationContext) {}
    public func enter(_ spread: FragmentSpread, _ context: ValidationContext) -> VisitAction { .continue }
    public func enter(_ fragment: InlineFragment, _ context: ValidationContext) -> VisitAction { .continue }
    public func enter(directives: [Directive], _ context: ValidationContext) {}
    public func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction { .continue }
    public func leave(_ directive: Directive, _ context: ValidationContext) {}
    public func enter(_ argument: Argument, _ context: ValidationContext) -> VisitAction { .continue }
    public func enter(_ value: ValueNode, _ context: ValidationContext) -> VisitAction { .continue }
    public func leave(_ value: ValueNode, _ context: ValidationContext) {}
    public func enter(_ field: ObjectField, _ context: ValidationContext) -> VisitAction { .continue }
    public func enter(namedType: Name, _ context: ValidationContext) {}
}
