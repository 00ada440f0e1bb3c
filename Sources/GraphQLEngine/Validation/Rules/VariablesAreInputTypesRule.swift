/// Variables are input types
///
/// A GraphQL operation is only valid if all the variables it defines are of input types
/// (scalar, enum, or input object).
///
/// See https://spec.graphql.org/October2021/#sec-Variables-Are-Input-Types
final class VariablesAreInputTypesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterVariableDefinition]

    func enter(_ variable: VariableDefinition, _ context: ValidationContext) -> VisitAction {
        if let type = typeFromAST(context.schema, variable.type), !type.isInputType {
            context.report(
                "Variable \(quoted: "$\(variable.variable.value)") cannot be non-input type \(quoted: "\(Printer.print(variable.type))").",
                at: variable.type.location)
        }
        return .continue
    }
}
