import GraphQLEngine

/// Limits on the shape of an operation, checked after validation and before any resolver runs.
/// Each violation is a request error with its own `extensions.code`.
public struct OperationLimits: Sendable {
    /// Fields nested deeper than this (the root field is depth 1) are refused: `QUERY_TOO_DEEP`.
    public var maxDepth = 15
    /// Aliased fields in the operation and its fragments: `TOO_MANY_ALIASES`.
    public var maxAliases = 30
    /// Fields selected on the root type: `TOO_MANY_ROOT_FIELDS`.
    public var maxRootFields = 20
    /// Estimated cost (a field is 1; a list field multiplies what it selects by its `limit`/`first`
    /// argument, or by `assumedListSize`): `QUERY_TOO_COSTLY`.
    public var maxCost = 20_000
    public var assumedListSize = 10

    public init() {}

    /// The first limit `operation` breaks, as a request error; `nil` when it keeps them all.
    /// `variables` `nil`: the lower bound (list sizes from variables count as 1).
    func violation(_ operation: OperationDefinition, fragments: [String: FragmentDefinition], variables: [String: Value]?, schema: GraphQLSchema)
        -> GraphQLError?
    {
        guard let root = schema.rootType(for: operation.operation) else { return nil }
        var measurer = Measurer(limits: self, fragments: fragments, variables: variables, schema: schema)
        let rootFields = operation.selectionSet.selections.count
        if rootFields > self.maxRootFields {
            return Self.error("The operation selects \(rootFields) root fields; the limit is \(self.maxRootFields).", "TOO_MANY_ROOT_FIELDS")
        }
        let shape = measurer.measure(operation.selectionSet, root)
        if shape.depth > self.maxDepth {
            return Self.error("The operation is \(shape.depth) fields deep; the limit is \(self.maxDepth).", "QUERY_TOO_DEEP")
        }
        if shape.aliases > self.maxAliases {
            return Self.error("The operation uses \(shape.aliases) aliases; the limit is \(self.maxAliases).", "TOO_MANY_ALIASES")
        }
        if shape.cost > self.maxCost {
            return Self.error("The operation's estimated cost is \(shape.cost); the limit is \(self.maxCost).", "QUERY_TOO_COSTLY")
        }
        return nil
    }

    /// The first limit an operation of `document` breaks whatever its variables, checked before
    /// validation so a document too deep, too aliased or too costly never reaches the expensive
    /// rules: list sizes given by variables count as 1 (the least they can be), so this refuses
    /// only what every request of the document would be refused.
    func documentViolation(_ document: Document, schema: GraphQLSchema) -> GraphQLError? {
        let fragments = document.fragments
        for operation in document.operations {
            if let violation = self.violation(operation, fragments: fragments, variables: nil, schema: schema) { return violation }
        }
        return nil
    }

    /// The operation's estimated cost with these variables (what rate limits spend).
    func cost(_ operation: OperationDefinition, fragments: [String: FragmentDefinition], variables: [String: Value], schema: GraphQLSchema) -> Int {
        guard let root = schema.rootType(for: operation.operation) else { return 1 }
        var measurer = Measurer(limits: self, fragments: fragments, variables: variables, schema: schema)
        return max(1, measurer.measure(operation.selectionSet, root).cost)
    }

    /// The metric label of a violation (`depth`, `aliases`, `root_fields`, `cost`).
    static func reason(_ error: GraphQLError) -> String {
        switch error.extensions["code"] {
        case "QUERY_TOO_DEEP": "depth"
        case "TOO_MANY_ALIASES": "aliases"
        case "TOO_MANY_ROOT_FIELDS": "root_fields"
        default: "cost"
        }
    }

    static func error(_ message: String, _ code: String) -> GraphQLError {
        GraphQLError(message, extensions: ["code": .string(code)])
    }
}

/// Depth, cost and aliases of selection sets, each fragment measured once (so fragment fan-out
/// costs its arithmetic, not its expansion); sums saturate.
private struct Measurer {
    struct Shape {
        var depth = 0
        var cost = 0
        var aliases = 0
    }

    let limits: OperationLimits
    let fragments: [String: FragmentDefinition]
    /// `nil`: measuring the lower bound of every request (a variable's list size is 1).
    let variables: [String: Value]?
    let schema: GraphQLSchema
    var measured: [String: Shape] = [:]
    var inProgress: Set<String> = []

    init(limits: OperationLimits, fragments: [String: FragmentDefinition], variables: [String: Value]?, schema: GraphQLSchema) {
        self.limits = limits
        self.fragments = fragments
        self.variables = variables
        self.schema = schema
    }

    mutating func measure(_ selectionSet: SelectionSet, _ type: GraphQLNamedType) -> Shape {
        var shape = Shape()
        for selection in selectionSet.selections {
            let inner: Shape
            switch selection {
            case .field(let field):
                if field.alias != nil { shape.aliases = add(shape.aliases, 1) }
                var child = Shape()
                var multiplier = 1
                if let definition = type.field(field.name.value) {
                    if let selections = field.selectionSet { child = self.measure(selections, definition.type.namedType) }
                    if definition.type.isList { multiplier = self.listSize(field, definition) }
                }
                inner = Shape(depth: child.depth + 1, cost: add(1, multiply(multiplier, child.cost)), aliases: child.aliases)
            case .inlineFragment(let fragment):
                let target = fragment.typeCondition.flatMap { self.schema.type(named: $0.value) } ?? type
                inner = self.measure(fragment.selectionSet, target)
            case .fragmentSpread(let spread):
                let name = spread.name.value
                if let known = self.measured[name] {
                    inner = known
                } else if let fragment = self.fragments[name], self.inProgress.insert(name).inserted {
                    let target = self.schema.type(named: fragment.typeCondition.value) ?? type
                    inner = self.measure(fragment.selectionSet, target)
                    self.inProgress.remove(name)
                    self.measured[name] = inner
                } else {
                    inner = Shape()
                }
            }
            shape.depth = max(shape.depth, inner.depth)
            shape.cost = add(shape.cost, inner.cost)
            shape.aliases = add(shape.aliases, inner.aliases)
        }
        return shape
    }

    /// A list field's size: its `limit` or `first` argument (literal, variable or default), else assumed.
    private func listSize(_ field: Field, _ definition: GraphQLField) -> Int {
        for name in ["limit", "first"] {
            if let argument = field.arguments.first(where: { $0.name.value == name }) {
                switch argument.value.kind {
                case .int(let text): return max(1, Int(text) ?? self.limits.assumedListSize)
                case .variable(let variable):
                    guard let variables = self.variables else { return 1 }
                    // A value outside Int is refused by variable coercion, with its own message.
                    if case .int(let value)? = variables[variable.value] { return value > Int(Int32.max) ? 1 : max(1, value) }
                default: break
                }
            } else if let declared = definition.argument(name)?.defaultValue, case .int(let text) = declared.kind {
                return max(1, Int(text) ?? self.limits.assumedListSize)
            }
        }
        return self.limits.assumedListSize
    }
}

private func add(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max / 2 : min(sum, Int.max / 2)
}

private func multiply(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max / 2 : min(product, Int.max / 2)
}
