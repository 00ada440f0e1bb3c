import GraphQLEngine

/// How a `@graphql` field reaches its subgraph: a root field forwarded as the subgraph's own root
/// field, or a field of an entity type resolved through the subgraph's `_entities` with the
/// parent sent as a representation (`{"__typename": "Patient", "id": "17"}`).
public struct SubgraphRoute: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A field of the query type, forwarded with the client's arguments and sub-selection.
        case root
        /// A field of `typeName`, resolved for every parent of a level by one `_entities` call;
        /// `keyFields` (a `@key` of the type in the subgraph) make each parent's representation.
        case entity(typeName: String, keyFields: [KeyField])
    }

    /// One field of an entity key, and whether the subgraph takes it as a number (`Int`) rather
    /// than a string (`ID`, `String`).
    public struct KeyField: Sendable, Equatable {
        public let name: String
        public let isInt: Bool
    }

    public let kind: Kind
    /// The field's name in the subgraph (the same as ours).
    public let fieldName: String

    /// The alias a parent field the gateway needs (a key, an owner id) is asked by from a subgraph,
    /// so it never collides with what the client named its own fields.
    static func keyAlias(_ field: String) -> String { "_nk_" + field }

    /// The separator of a composite key's values in a loader key.
    static let keySeparator: Character = "\u{1F}"

    /// The representation of the entity whose loader key is `key`; `nil` for a malformed key.
    func representation(of key: String) -> Value? {
        guard case .entity(let typeName, let keyFields) = self.kind else { return nil }
        let values = key.split(separator: Self.keySeparator, omittingEmptySubsequences: false)
        guard values.count == keyFields.count else { return nil }
        var fields: [String: Value] = ["__typename": .string(typeName)]
        for (field, value) in zip(keyFields, values) {
            if field.isInt {
                guard let number = Int(value) else { return nil }
                fields[field.name] = .int(number)
            } else {
                fields[field.name] = .string(String(value))
            }
        }
        return .object(fields)
    }
}
