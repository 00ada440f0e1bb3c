/// A difference between two schemas, classified as graphql-js (`findBreakingChanges`,
/// `findDangerousChanges`) and graphql-inspector do: breaking changes can fail existing clients,
/// dangerous ones can change what they see, safe ones cannot.
public struct SchemaChange: Sendable, Equatable {
    public enum Criticality: String, Sendable, Comparable {
        case breaking = "BREAKING", dangerous = "DANGEROUS", safe = "SAFE"

        public static func < (lhs: Self, rhs: Self) -> Bool {
            let order: [Self] = [.breaking, .dangerous, .safe]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    public let criticality: Criticality
    /// A stable name of the kind of change (`FIELD_REMOVED`, `VALUE_ADDED_TO_ENUM`, ...).
    public let type: String
    /// The schema coordinate it concerns (`Patient.email`, `Query.patient(id:)`).
    public let path: String
    public let message: String
}

/// Every change from `old` to `new`, breaking ones first.
public func findSchemaChanges(from old: GraphQLSchema, to new: GraphQLSchema) -> [SchemaChange] {
    var changes: [SchemaChange] = []
    func add(_ criticality: SchemaChange.Criticality, _ type: String, _ path: String, _ message: String) {
        changes.append(SchemaChange(criticality: criticality, type: type, path: path, message: message))
    }
    let visible = { (type: GraphQLNamedType) in !type.name.hasPrefix("__") }
    for oldType in old.types where visible(oldType) {
        guard let newType = new.type(named: oldType.name) else {
            add(.breaking, "TYPE_REMOVED", oldType.name, "Type \(oldType.name) was removed.")
            continue
        }
        guard oldType.kind == newType.kind else {
            add(.breaking, "TYPE_CHANGED_KIND", oldType.name, "\(oldType.name) changed from \(oldType.kind.rawValue) to \(newType.kind.rawValue).")
            continue
        }
        switch oldType.kind {
        case .object, .interface:
            compareFields(oldType, newType, add)
            for interface in oldType.interfaces where !newType.interfaces.contains(where: { $0.name == interface.name }) {
                add(.breaking, "IMPLEMENTED_INTERFACE_REMOVED", oldType.name, "\(oldType.name) no longer implements \(interface.name).")
            }
            for interface in newType.interfaces where !oldType.interfaces.contains(where: { $0.name == interface.name }) {
                add(.dangerous, "IMPLEMENTED_INTERFACE_ADDED", oldType.name, "\(oldType.name) now implements \(interface.name).")
            }
        case .inputObject:
            for field in oldType.inputFields where newType.inputField(field.name) == nil {
                add(.breaking, "FIELD_REMOVED", "\(oldType.name).\(field.name)", "Input field \(oldType.name).\(field.name) was removed.")
            }
            for field in newType.inputFields {
                let path = "\(oldType.name).\(field.name)"
                guard let before = oldType.inputField(field.name) else {
                    let required = field.type.isNonNull && field.defaultValue == nil
                    add(required ? .breaking : .dangerous, required ? "REQUIRED_INPUT_FIELD_ADDED" : "OPTIONAL_INPUT_FIELD_ADDED", path,
                        "Input field \(path) was added\(required ? " as required" : "").")
                    continue
                }
                if !isSafeInputChange(before.type, field.type) {
                    add(.breaking, "FIELD_CHANGED_KIND", path, "Input field \(path) changed type from \(before.type) to \(field.type).")
                }
            }
        case .enumeration:
            for value in oldType.enumValues where newType.enumValue(value.name) == nil {
                add(.breaking, "VALUE_REMOVED_FROM_ENUM", "\(oldType.name).\(value.name)", "\(value.name) was removed from enum \(oldType.name).")
            }
            for value in newType.enumValues where oldType.enumValue(value.name) == nil {
                add(.dangerous, "VALUE_ADDED_TO_ENUM", "\(oldType.name).\(value.name)", "\(value.name) was added to enum \(oldType.name).")
            }
        case .union:
            for member in oldType.unionMembers where !newType.unionMembers.contains(where: { $0.name == member.name }) {
                add(.breaking, "TYPE_REMOVED_FROM_UNION", oldType.name, "\(member.name) was removed from union \(oldType.name).")
            }
            for member in newType.unionMembers where !oldType.unionMembers.contains(where: { $0.name == member.name }) {
                add(.dangerous, "TYPE_ADDED_TO_UNION", oldType.name, "\(member.name) was added to union \(oldType.name).")
            }
        case .scalar:
            break
        }
        if oldType.description != newType.description {
            add(.safe, "TYPE_DESCRIPTION_CHANGED", oldType.name, "The description of \(oldType.name) changed.")
        }
    }
    for newType in new.types where visible(newType) && old.type(named: newType.name) == nil {
        add(.safe, "TYPE_ADDED", newType.name, "Type \(newType.name) was added.")
    }
    for directive in old.directives where new.directive(named: directive.name) == nil {
        add(.breaking, "DIRECTIVE_REMOVED", "@\(directive.name)", "Directive @\(directive.name) was removed.")
    }
    return changes.enumerated().sorted { ($0.element.criticality, $0.offset) < ($1.element.criticality, $1.offset) }.map(\.element)
}

private func compareFields(
    _ oldType: GraphQLNamedType, _ newType: GraphQLNamedType, _ add: (SchemaChange.Criticality, String, String, String) -> Void
) {
    for field in oldType.fields {
        let path = "\(oldType.name).\(field.name)"
        guard let after = newType.field(field.name) else {
            add(.breaking, "FIELD_REMOVED", path, "Field \(path) was removed.")
            continue
        }
        if !isSafeOutputChange(field.type, after.type) {
            add(.breaking, "FIELD_CHANGED_KIND", path, "Field \(path) changed type from \(field.type) to \(after.type).")
        }
        if field.deprecationReason == nil, after.deprecationReason != nil {
            add(.safe, "FIELD_DEPRECATED", path, "Field \(path) was deprecated.")
        }
        if field.description != after.description {
            add(.safe, "FIELD_DESCRIPTION_CHANGED", path, "The description of \(path) changed.")
        }
        for argument in field.arguments {
            let argumentPath = "\(path)(\(argument.name):)"
            guard let changed = after.argument(argument.name) else {
                add(.breaking, "ARG_REMOVED", argumentPath, "Argument \(argument.name) of \(path) was removed.")
                continue
            }
            if !isSafeInputChange(argument.type, changed.type) {
                add(.breaking, "ARG_CHANGED_KIND", argumentPath, "Argument \(argumentPath) changed type from \(argument.type) to \(changed.type).")
            } else if argument.defaultValue.map(printValue) != changed.defaultValue.map(printValue) {
                add(.dangerous, "ARG_DEFAULT_VALUE_CHANGE", argumentPath, "The default value of \(argumentPath) changed.")
            }
        }
        for argument in after.arguments where field.argument(argument.name) == nil {
            let required = argument.type.isNonNull && argument.defaultValue == nil
            add(required ? .breaking : .dangerous, required ? "REQUIRED_ARG_ADDED" : "OPTIONAL_ARG_ADDED", "\(path)(\(argument.name):)",
                "Argument \(argument.name) was added to \(path)\(required ? " as required" : "").")
        }
    }
    for field in newType.fields where oldType.field(field.name) == nil {
        add(.safe, "FIELD_ADDED", "\(oldType.name).\(field.name)", "Field \(oldType.name).\(field.name) was added.")
    }
}

/// Whether a type change keeps existing clients working. Output types may become non-null (clients
/// still get what they expect); input types may become nullable (what clients send still works).
private func isSafeChange(_ old: GraphQLType, _ new: GraphQLType, input: Bool) -> Bool {
    switch (old, new) {
    case (.named(let a), .named(let b)): a.name == b.name
    case (.list(let a), .list(let b)), (.nonNull(let a), .nonNull(let b)): isSafeChange(a, b, input: input)
    case (_, .nonNull(let b)) where !input: isSafeChange(old, b, input: input)
    case (.nonNull(let a), _) where input: isSafeChange(a, new, input: input)
    default: false
    }
}

private func isSafeOutputChange(_ old: GraphQLType, _ new: GraphQLType) -> Bool { isSafeChange(old, new, input: false) }
private func isSafeInputChange(_ old: GraphQLType, _ new: GraphQLType) -> Bool { isSafeChange(old, new, input: true) }
