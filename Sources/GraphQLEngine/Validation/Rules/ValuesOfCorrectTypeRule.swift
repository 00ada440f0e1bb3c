/// Value literals of correct type
///
/// A GraphQL document is only valid if all value literals are of the type expected at their
/// position.
///
/// See https://spec.graphql.org/October2021/#sec-Values-of-Correct-Type
final class ValuesOfCorrectTypeRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation, .enterVariableDefinition, .enterValue, .enterObjectField]

    /// Whether each variable of the operation is declared non-null (all a OneOf check asks of it).
    @exclusivity(unchecked) private var variableIsNonNull = NamedValues<Bool>()

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction {
        self.variableIsNonNull.removeAll()
        return .continue
    }

    func enter(_ variable: VariableDefinition, _ context: ValidationContext) -> VisitAction {
        if case .nonNull = variable.type {
            self.variableIsNonNull.set(variable.variable.value, true)
        } else {
            self.variableIsNonNull.set(variable.variable.value, false)
        }
        return .continue
    }

    func enter(_ value: ValueNode, _ context: ValidationContext) -> VisitAction {
        switch value.kind {
        case .list:
            // The walk enters the item type, so the list type is the parent input type.
            guard case .list? = context.parentInputType?.nullable else {
                self.checkLeaf(value, context)
                return .skipChildren
            }
        case .object(let fields):
            guard let type = context.inputType?.namedType, type.kind == .inputObject else {
                self.checkLeaf(value, context)
                return .skipChildren
            }
            var provided = KeyPositions(minimumCapacity: fields.count)
            for field in fields { provided.insert(field.name.value) }
            for field in type.inputFields
            where field.type.isNonNull && field.defaultValue == nil && provided.position(of: field.name) == nil {
                context.report(
                    "Field \(quoted: "\(type.name).\(field.name)") of required type \(quoted: "\(field.type)") was not provided.",
                    at: value.location)
            }
            if type.isOneOf { self.checkOneOf(value, type, fields, context) }
        case .null:
            if let type = context.inputType, type.isNonNull {
                context.report("Expected value of type \(quoted: "\(type)"), found null.", at: value.location)
            }
        case .variable:
            break
        default:
            self.checkLeaf(value, context)
        }
        return .continue
    }

    func enter(_ field: ObjectField, _ context: ValidationContext) -> VisitAction {
        if context.inputType == nil, let parentType = context.parentInputType?.namedType, parentType.kind == .inputObject {
            let suggestions = suggestionList(field.name.value, parentType.inputFields.map(\.name))
            context.report(
                "Field \(quoted: "\(field.name.value)") is not defined by type \(quoted: "\(parentType.name)").\(didYouMean(suggestions))", at: field.location)
        }
        return .continue
    }

    /// A OneOf input object literal must give exactly one field, non-null.
    private func checkOneOf(
        _ value: ValueNode, _ type: GraphQLNamedType, _ fields: [ObjectField], _ context: ValidationContext
    ) {
        guard fields.count == 1, let only = fields.first else {
            context.report("OneOf Input Object \(quoted: "\(type.name)") must specify exactly one key.", at: value.location)
            return
        }
        switch only.value.kind {
        case .null:
            context.report("Field \(quoted: "\(type.name).\(only.name.value)") must be non-null.", at: value.location)
        case .variable(let name):
            if self.variableIsNonNull[name.value] == true { return }
            context.report(
                "Variable \(quoted: "\(name.value)") must be non-nullable to be used for OneOf Input Object \(quoted: "\(type.name)").",
                at: value.location)
        default: break
        }
    }

    /// A scalar, enum, or misplaced list/object literal against the expected leaf type.
    private func checkLeaf(_ value: ValueNode, _ context: ValidationContext) {
        guard let locationType = context.inputType else { return }
        let type = locationType.namedType
        guard type.isLeaf else {
            context.report("Expected value of type \(quoted: "\(locationType)"), found \(printValue(value)).", at: value.location)
            return
        }
        if type.kind == .enumeration {
            guard case .enumValue(let name) = value.kind else {
                // As graphql-js: the literal as printed is matched against the values (`"SIT"` finds `SIT`).
                let printed = printValue(value)
                let suggestions = suggestionList(printed, type.enumValues.map(\.name))
                context.report(
                    "Enum \(quoted: "\(type.name)") cannot represent non-enum value: \(printed).\(didYouMean(suggestions, after: "the enum value"))",
                    at: value.location)
                return
            }
            if type.enumValue(name) == nil {
                let suggestions = suggestionList(name, type.enumValues.map(\.name))
                context.report(
                    "Value \(quoted: "\(name)") does not exist in \(quoted: "\(type.name)") enum.\(didYouMean(suggestions, after: "the enum value"))", at: value.location)
            }
            return
        }
        guard let builtin = type.builtinScalar else { return }
        do {
            _ = try ScalarCoercion.parseLiteral(builtin, value)
        } catch {
            context.report(error.message, at: value.location)
        }
    }
}
