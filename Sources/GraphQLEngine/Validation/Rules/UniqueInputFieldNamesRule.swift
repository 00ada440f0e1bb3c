/// Unique input field names
///
/// A GraphQL input object value is only valid if all supplied fields are uniquely named.
///
/// See https://spec.graphql.org/October2021/#sec-Input-Object-Field-Uniqueness
final class UniqueInputFieldNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterValue, .leaveValue, .enterObjectField]

    @exclusivity(unchecked) private var knownNameStack: [NamedValues<Name>] = []
    @exclusivity(unchecked) private var knownNames = NamedValues<Name>()

    func enter(_ value: ValueNode, _ context: ValidationContext) -> VisitAction {
        if case .object = value.kind {
            self.knownNameStack.append(self.knownNames)
            self.knownNames = NamedValues()
        }
        return .continue
    }

    func leave(_ value: ValueNode, _ context: ValidationContext) {
        if case .object = value.kind { self.knownNames = self.knownNameStack.removeLast() }
    }

    func enter(_ field: ObjectField, _ context: ValidationContext) -> VisitAction {
        let name = field.name
        if let first = self.knownNames.first(name.value, recording: name) {
            context.report("There can be only one input field named \(quoted: "\(name.value)").", at: [first.location, name.location])
        }
        return .continue
    }
}
