/// Unique argument names
///
/// A GraphQL field or directive is only valid if all supplied arguments are uniquely named.
///
/// See https://spec.graphql.org/October2021/#sec-Argument-Uniqueness
final class UniqueArgumentNamesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterFieldWithSeveralArguments, .enterDirective]

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        self.check(field.arguments, context)
        return .continue
    }

    func enter(_ directive: Directive, _ context: ValidationContext) -> VisitAction {
        self.check(directive.arguments, context)
        return .continue
    }

    private func check(_ arguments: [Argument], _ context: ValidationContext) {
        guard arguments.count > 1, hasRepeatedName(arguments.map(\.name.value)) else { return }
        var order: [String] = []
        var byName: [String: [Location]] = [:]
        for argument in arguments {
            if byName[argument.name.value] == nil { order.append(argument.name.value) }
            byName[argument.name.value, default: []].append(argument.name.location)
        }
        for name in order {
            guard let locations = byName[name], locations.count > 1 else { continue }
            context.report("There can be only one argument named \(quoted: "\(name)").", at: locations)
        }
    }
}
