/// The fields to execute on one object type for one set of selections: CollectFields's result,
/// computed once per execution and shared by every object of that type at that position.
final class ObjectPlan {
    let type: GraphQLNamedType
    let keys: [String]
    let groups: [FieldGroup]
    /// Index in `ExecutionState.plans` (result nodes refer to plans by index).
    var index: Int32 = -1

    init(type: GraphQLNamedType, groups: [FieldGroup]) {
        self.type = type
        self.groups = groups
        self.keys = groups.map(\.responseKey)
    }
}

/// The field nodes that share one response key, with what executing them needs.
final class FieldGroup {
    let responseKey: String
    var fields: [Field]
    let definition: GraphQLField
    let parentType: GraphQLNamedType
    /// Coerced arguments, computed on first use (they depend only on the variables).
    @exclusivity(unchecked) var arguments: Result<[String: Value], GraphQLError>?
    /// Plans of the sub-selections, by concrete object type.
    @exclusivity(unchecked) var subPlans: [ObjectIdentifier: ObjectPlan] = [:]

    init(responseKey: String, field: Field, definition: GraphQLField, parentType: GraphQLNamedType) {
        self.responseKey = responseKey
        self.fields = [field]
        self.definition = definition
        self.parentType = parentType
    }

    var returnType: GraphQLType { self.definition.type }
}
