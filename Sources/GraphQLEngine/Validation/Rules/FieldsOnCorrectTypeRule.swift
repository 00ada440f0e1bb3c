/// Fields on correct type
///
/// A GraphQL document is only valid if all fields selected are defined by the parent type, or
/// are an allowed meta field such as __typename.
///
/// See https://spec.graphql.org/October2021/#sec-Field-Selections
final class FieldsOnCorrectTypeRule: ValidationRule {
    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        if let parentType = context.parentType, context.fieldDefinition == nil {
            context.report("Cannot query field \"\(field.name.value)\" on type \"\(parentType.name)\".", at: field.location)
        }
        return .continue
    }
}
