/// Fields on correct type
///
/// A GraphQL document is only valid if all fields selected are defined by the parent type, or
/// are an allowed meta field such as __typename.
///
/// See https://spec.graphql.org/October2021/#sec-Field-Selections
final class FieldsOnCorrectTypeRule: ValidationRule {
    let hooks: ValidationHooks = [.enterUnknownField]

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        if let parentType = context.parentType, context.fieldDefinition == nil {
            let name = field.name.value
            // An abstract type: the types that do have the field; otherwise, perhaps a typo.
            var suggestion = didYouMean(Self.typesDefining(name, within: parentType, context.schema), after: "to use an inline fragment on")
            if suggestion.isEmpty { suggestion = didYouMean(suggestionList(name, parentType.fields.map(\.name))) }
            context.report("Cannot query field \(quoted: "\(name)") on type \(quoted: "\(parentType.name)").\(suggestion)", at: field.location)
        }
        return .continue
    }

    /// The possible types of an abstract `type` that define `fieldName`, and their interfaces that
    /// do: the most used first, then super types before their subtypes, then by name.
    private static func typesDefining(_ fieldName: String, within type: GraphQLNamedType, _ schema: GraphQLSchema) -> [String] {
        guard type.isAbstract else { return [] }
        var suggested: [GraphQLNamedType] = []
        var usage: [String: Int] = [:]
        for possible in schema.possibleTypes(of: type) where possible.field(fieldName) != nil {
            if usage[possible.name] == nil { suggested.append(possible) }
            usage[possible.name] = 1
            for interface in possible.interfaces where interface.field(fieldName) != nil {
                if usage[interface.name] == nil { suggested.append(interface) }
                usage[interface.name, default: 0] += 1
            }
        }
        return suggested.sorted { a, b in
            let countA = usage[a.name] ?? 0
            let countB = usage[b.name] ?? 0
            if countA != countB { return countA > countB }
            if a.kind == .interface && schema.isSubType(a, b) { return true }
            if b.kind == .interface && schema.isSubType(b, a) { return false }
            return a.name.unicodeScalars.lexicographicallyPrecedes(b.name.unicodeScalars)
        }.map(\.name)
    }
}
