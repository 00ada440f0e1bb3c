import GraphQLEngine

/// A field as the gateway asks a subgraph for it: the client's arguments and sub-selection,
/// printed without our own fields (their parent keys asked instead), fragments inlined, the
/// client's variables renamed `$v_name` and passed through with their values.
public struct SubgraphSelection: Sendable {
    /// The field without alias: `claims(status: $v_status) { id amountCents _nk_patientId: patientId }`.
    public let fieldText: String
    /// The definitions of the variables it uses: `$v_status: ClaimStatus`.
    public let variableDefinitions: [String]
    /// Those variables' values, under their new names.
    public let variables: [String: Value]
    /// A digest of the text and the values: part of the field's cache keys and of its queue's identity.
    public let fingerprint: String
}

/// Prints the selections a subgraph is asked for. Made per field and request (and kept by the
/// request's loaders for every parent of the field).
struct SubgraphSelectionPrinter {
    /// The most a forwarded selection may take (fragments spread many times could expand it
    /// exponentially): beyond it the field fails, the call is not made.
    static let maxLength = 256 * 1024

    let schema: GraphQLSchema
    let fields: SubgraphFields
    let fragments: [String: FragmentDefinition]
    let service: String
    private(set) var text = ""
    private(set) var usedVariables: [String] = []

    init(schema: GraphQLSchema, fields: SubgraphFields, fragments: [String: FragmentDefinition], service: String) {
        self.schema = schema
        self.fields = fields
        self.fragments = fragments
        self.service = service
    }

    /// The selection of the field resolved at `info`.
    static func selection(_ info: ResolveInfo, fields: SubgraphFields, service: String) throws -> SubgraphSelection {
        var printer = SubgraphSelectionPrinter(schema: info.schema, fields: fields, fragments: info.fragments, service: service)
        guard let first = info.fieldNodes.first else { throw GraphQLError("The field has no selection.") }
        printer.text = first.name.value
        printer.arguments(first.arguments)
        let sets = info.fieldNodes.compactMap(\.selectionSet)
        if !sets.isEmpty { try printer.selections(sets, on: info.returnType.namedType) }
        var definitions: [String] = []
        var values: [String: Value] = [:]
        for name in printer.usedVariables {
            guard let definition = info.operation.variableDefinitions.first(where: { $0.variable.value == name }) else { continue }
            definitions.append("$v_\(name): \(Printer.print(definition.type))")
            if let value = info.variables[name] { values["v_\(name)"] = value }
        }
        var digest = printer.text
        for name in values.keys.sorted() { digest += "\u{0}\(name)=\(values[name]?.jsonString ?? "")" }
        return SubgraphSelection(
            fieldText: printer.text, variableDefinitions: definitions, variables: values, fingerprint: String(SHA256Digest.hex(digest).prefix(16)))
    }

    /// `{ ... }` of `sets` on `type`: the subgraph's fields as the client asked them, our own
    /// fields replaced by the parent fields they read, plus what the gateway itself needs
    /// (`__typename` on abstract types, the owner id of types under `@auth`).
    mutating func selections(_ sets: [SelectionSet], on type: GraphQLNamedType) throws {
        self.text += " {"
        let opened = self.text.utf8.count
        if type.isAbstract { self.text += " __typename" }
        for required in self.fields.requiredFields(of: type) { self.text += " \(SubgraphRoute.keyAlias(required)): \(required)" }
        for set in sets { try self.selections(set, on: type) }
        // Only fields of ours that read no parent field: a selection cannot be empty.
        if self.text.utf8.count == opened { self.text += " __typename" }
        self.text += " }"
        guard self.text.utf8.count <= Self.maxLength else {
            throw GraphQLError(
                "The selection forwarded to the \(self.service) service is larger than \(Self.maxLength / 1024) KiB.",
                extensions: ["code": "SELECTION_TOO_LARGE"])
        }
    }

    private mutating func selections(_ set: SelectionSet, on type: GraphQLNamedType) throws {
        for selection in set.selections {
            switch selection {
            case .field(let field):
                if field.name.value == "__typename" {
                    self.text += " " + (field.alias.map { $0.value + ": " } ?? "") + "__typename"
                    self.directives(field.directives)
                    continue
                }
                guard let definition = type.field(field.name.value) else { continue }
                if let plan = self.fields.plan(of: definition) {
                    // Ours: resolved by the gateway from the parent fields it reads.
                    for name in plan.parentFields { self.text += " \(SubgraphRoute.keyAlias(name)): \(name)" }
                    continue
                }
                self.text += " " + (field.alias.map { $0.value + ": " } ?? "") + field.name.value
                self.arguments(field.arguments)
                self.directives(field.directives)
                if let subSelection = field.selectionSet { try self.selections([subSelection], on: definition.type.namedType) }
            case .inlineFragment(let fragment):
                let condition = fragment.typeCondition.flatMap { self.schema.type(named: $0.value) } ?? type
                self.text += " ... on \(condition.name)"
                self.directives(fragment.directives)
                try self.selections([fragment.selectionSet], on: condition)
            case .fragmentSpread(let spread):
                guard let fragment = self.fragments[spread.name.value], let condition = self.schema.type(named: fragment.typeCondition.value)
                else { continue }
                self.text += " ... on \(condition.name)"
                self.directives(spread.directives)
                try self.selections([fragment.selectionSet], on: condition)
            }
        }
    }

    mutating func arguments(_ arguments: [Argument]) {
        guard !arguments.isEmpty else { return }
        self.text += "("
        for (index, argument) in arguments.enumerated() {
            if index > 0 { self.text += ", " }
            self.text += argument.name.value + ": "
            self.value(argument.value)
        }
        self.text += ")"
    }

    /// `@skip`/`@include` pass through with their variables: the subgraph decides as we do.
    /// `@defer` and `@stream` do not: the gateway asks for everything now and delivers it in parts.
    private mutating func directives(_ directives: [Directive]) {
        for directive in directives where directive.name.value != "defer" && directive.name.value != "stream" {
            self.text += " @" + directive.name.value
            self.arguments(directive.arguments)
        }
    }

    private mutating func value(_ node: ValueNode) {
        switch node.kind {
        case .variable(let name):
            if !self.usedVariables.contains(name.value) { self.usedVariables.append(name.value) }
            self.text += "$v_" + name.value
        case .list(let items):
            self.text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { self.text += ", " }
                self.value(item)
            }
            self.text += "]"
        case .object(let fields):
            self.text += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { self.text += ", " }
                self.text += field.name.value + ": "
                self.value(field.value)
            }
            self.text += "}"
        default:
            self.text += Printer.print(node)
        }
    }
}
