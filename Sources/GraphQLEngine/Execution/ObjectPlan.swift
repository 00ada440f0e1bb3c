/// The fields to execute on one object type for one set of selections: CollectFields's result,
/// computed once per execution and shared by every object of that type at that position.
final class ObjectPlan {
    let type: GraphQLNamedType
    let keys: [String]
    let groups: [FieldGroup]
    /// Index in `ExecutionState.plans` (result nodes refer to plans by index).
    var index: Int32 = -1

    /// Each key as JSON, with its colon: `"firstName":` (written once per plan, not per object).
    let encodedKeys: [[UInt8]]

    init(type: GraphQLNamedType, groups: [FieldGroup]) {
        self.type = type
        self.groups = groups
        self.keys = groups.map(\.responseKey)
        self.encodedKeys = self.keys.map { key in
            var writer = JSONWriter(capacity: key.utf8.count + 3)
            writer.string(key)
            writer.byte(0x3A)
            return writer.bytes
        }
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
    /// The last sub-plan used, so a list of objects of one type skips the dictionary.
    @exclusivity(unchecked) var lastSubPlan: ObjectPlan?

    // Facts computed once so the per-object loop does not re-derive them from the schema.
    let fieldName: String
    let isNonNull: Bool
    /// No resolver and no arguments: the value is the parent's property of the field's name.
    let usesPropertyResolution: Bool
    /// The built-in scalar of a (non-null or nullable, not list) scalar field.
    let leafScalar: BuiltinScalar?

    init(responseKey: String, field: Field, definition: GraphQLField, parentType: GraphQLNamedType, isTypeName: Bool) {
        self.responseKey = responseKey
        self.fields = [field]
        self.definition = definition
        self.parentType = parentType
        self.fieldName = definition.name
        self.isNonNull = definition.type.isNonNull
        self.usesPropertyResolution = definition.resolve == nil && definition.arguments.isEmpty && !isTypeName
        if case .named(let named) = definition.type.nullable { self.leafScalar = named.builtinScalar } else { self.leafScalar = nil }
    }

    var returnType: GraphQLType { self.definition.type }
}
