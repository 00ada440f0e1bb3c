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
/// (graphql-js `visitWithTypeInfo`). A rule is instantiated per validation, so it may keep state;
/// a validation runs on one task, so the specified rules' state skips dynamic exclusivity checks.
public protocol ValidationRule: AnyObject {
    /// The hooks this rule implements: the walk calls a rule only at the nodes it has a hook for.
    /// Defaults to all of them (correct for any rule, and the slowest).
    var hooks: ValidationHooks { get }
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
    public var hooks: ValidationHooks { .all }
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

/// The hooks of `ValidationRule`, one bit each: what a rule declares it implements, so that the walk
/// calls at each node only the rules that look at it (a document's every field, argument and value
/// was otherwise dispatched to all ~30 specified rules).
public struct ValidationHooks: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    init(_ hook: ValidationHook) { self.rawValue = 1 << hook.rawValue }

    public static let enterDocument = Self(.enterDocument)
    public static let leaveDocument = Self(.leaveDocument)
    public static let enterOperation = Self(.enterOperation)
    public static let leaveOperation = Self(.leaveOperation)
    public static let enterFragmentDefinition = Self(.enterFragmentDefinition)
    public static let leaveFragmentDefinition = Self(.leaveFragmentDefinition)
    public static let enterVariableDefinition = Self(.enterVariableDefinition)
    public static let enterSelectionSet = Self(.enterSelectionSet)
    public static let enterField = Self(.enterField)
    public static let leaveField = Self(.leaveField)
    public static let enterFragmentSpread = Self(.enterFragmentSpread)
    public static let enterInlineFragment = Self(.enterInlineFragment)
    public static let enterDirectives = Self(.enterDirectives)
    public static let enterDirective = Self(.enterDirective)
    public static let leaveDirective = Self(.leaveDirective)
    public static let enterArgument = Self(.enterArgument)
    public static let enterValue = Self(.enterValue)
    public static let leaveValue = Self(.leaveValue)
    public static let enterObjectField = Self(.enterObjectField)
    public static let enterNamedType = Self(.enterNamedType)
    /// `enter(_ field:)` for only some fields (instead of `enterField`, not with it): a rule that
    /// looks at nothing else is not called for every field of every document.
    /// Fields their parent type does not define (or whose parent type is unknown).
    public static let enterUnknownField = Self(.enterUnknownField)
    /// Fields whose name starts with `__` (`__typename`, `__schema`, `__type`, ...).
    public static let enterMetaField = Self(.enterMetaField)
    /// Fields with two or more arguments.
    public static let enterFieldWithSeveralArguments = Self(.enterFieldWithSeveralArguments)
    /// Fields with directives.
    public static let enterFieldWithDirectives = Self(.enterFieldWithDirectives)
    /// `leave(_ field:)` only for fields whose definition takes arguments (instead of `leaveField`).
    public static let leaveFieldWithArguments = Self(.leaveFieldWithArguments)
    /// Every node's hook (the default): `enterField` for every field, none of the narrower ones.
    public static let all = Self(rawValue: (1 << (ValidationHook.enterNamedType.rawValue + 1)) - 1)
}

/// One hook of `ValidationRule`, as the walk indexes its rules.
enum ValidationHook: UInt32, CaseIterable {
    case enterDocument, leaveDocument, enterOperation, leaveOperation, enterFragmentDefinition, leaveFragmentDefinition
    case enterVariableDefinition, enterSelectionSet, enterField, leaveField, enterFragmentSpread, enterInlineFragment
    case enterDirectives, enterDirective, leaveDirective, enterArgument, enterValue, leaveValue, enterObjectField
    case enterNamedType
    // Narrower `enterField` hooks (see `ValidationHooks`), after the node hooks `.all` covers.
    case enterUnknownField, enterMetaField, enterFieldWithSeveralArguments, enterFieldWithDirectives, leaveFieldWithArguments
}
