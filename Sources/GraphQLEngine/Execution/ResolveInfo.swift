/// What a resolver may know about the field it resolves.
public struct ResolveInfo {
    let group: FieldGroup
    let state: ExecutionState
    let node: Int

    public var fieldName: String { self.group.definition.name }
    public var field: GraphQLField { self.group.definition }
    public var fieldNodes: [Field] { self.group.fields }
    /// The first of `fieldNodes` (without making the array).
    public var firstFieldNode: Field { self.group.firstField }
    /// The field's key in the response: its alias, or else its name.
    public var responseKey: String { self.group.responseKey }
    /// The document's fragments by name (to read the field's sub-selections).
    public var fragments: [String: FragmentDefinition] { self.state.fragments }
    public var parentType: GraphQLNamedType { self.group.parentType }
    public var returnType: GraphQLType { self.group.returnType }
    public var schema: GraphQLSchema { self.state.schema }
    public var operation: OperationDefinition { self.state.operation }
    public var variables: [String: Value] { self.state.variables }
    /// The host's per-request context (principal, loaders, ...).
    public var context: (any Sendable)? { self.state.context }
    /// The response path of this field (computed on demand).
    public var path: [PathComponent] { self.state.path(of: self.node) }
}
