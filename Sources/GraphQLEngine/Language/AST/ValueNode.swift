/// Value[Const] : Variable | IntValue | FloatValue | StringValue | BooleanValue | NullValue |
/// EnumValue | ListValue | ObjectValue
///
/// See https://spec.graphql.org/October2021/#sec-Input-Values
public struct ValueNode: Sendable {
    public enum Kind: Sendable {
        case variable(Name)
        case int(String)
        case float(String)
        case string(String, block: Bool)
        case boolean(Bool)
        case null
        case enumValue(String)
        case list([ValueNode])
        case object([ObjectField])
    }

    public var kind: Kind
    public var location: Location

    public init(_ kind: Kind, location: Location = .none) {
        self.kind = kind
        self.location = location
    }

    /// Whether the literal is `null`.
    public var isNull: Bool {
        if case .null = self.kind { return true }
        return false
    }
}

/// ObjectField : Name : Value
public struct ObjectField: Sendable {
    public var name: Name
    public var value: ValueNode
    public var location: Location
}
