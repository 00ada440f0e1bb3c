/// The kind of a named type, as introspection's `__TypeKind` names it.
public enum TypeKind: String, Sendable {
    case scalar = "SCALAR", object = "OBJECT", interface = "INTERFACE", union = "UNION", enumeration = "ENUM"
    case inputObject = "INPUT_OBJECT"

    init(_ kind: TypeDefinitionKind) {
        switch kind {
        case .scalar: self = .scalar
        case .object: self = .object
        case .interface: self = .interface
        case .union: self = .union
        case .enumeration: self = .enumeration
        case .inputObject: self = .inputObject
        }
    }
}

/// The five scalars of the specification, whose coercion the engine implements.
public enum BuiltinScalar: String, Sendable {
    case int = "Int", float = "Float", string = "String", boolean = "Boolean", id = "ID"
}
