/// SelectionSet : { Selection+ }
public struct SelectionSet: Sendable {
    public var selections: [Selection]
    public var location: Location

    public init(selections: [Selection], location: Location = .none) {
        self.selections = selections
        self.location = location
    }
}

/// Selection : Field | FragmentSpread | InlineFragment
public enum Selection: Sendable {
    case field(Field)
    case fragmentSpread(FragmentSpread)
    case inlineFragment(InlineFragment)

    public var location: Location {
        switch self {
        case .field(let node): node.location
        case .fragmentSpread(let node): node.location
        case .inlineFragment(let node): node.location
        }
    }

    public var directives: [Directive] {
        switch self {
        case .field(let node): node.directives
        case .fragmentSpread(let node): node.directives
        case .inlineFragment(let node): node.directives
        }
    }
}

/// Field : Alias? Name Arguments? Directives? SelectionSet?
///
/// Selection nodes are classes: validation and planning hold them in many lists, and a copy is one
/// reference rather than every array and string the node holds.
public final class Field: Sendable {
    public let alias: Name?
    public let name: Name
    public let arguments: [Argument]
    public let directives: [Directive]
    public let selectionSet: SelectionSet?
    public let location: Location
    /// The key of this field in the response: its alias, or else its name.
    public let responseKey: String

    public init(
        alias: Name? = nil, name: Name, arguments: [Argument] = [], directives: [Directive] = [], selectionSet: SelectionSet? = nil,
        location: Location = .none
    ) {
        self.alias = alias
        self.name = name
        self.arguments = arguments
        self.directives = directives
        self.selectionSet = selectionSet
        self.location = location
        self.responseKey = alias?.value ?? name.value
    }
}

/// FragmentSpread : ... FragmentName Directives?
public final class FragmentSpread: Sendable {
    public let name: Name
    public let directives: [Directive]
    public let location: Location

    public init(name: Name, directives: [Directive] = [], location: Location = .none) {
        self.name = name
        self.directives = directives
        self.location = location
    }
}

/// InlineFragment : ... TypeCondition? Directives? SelectionSet
public final class InlineFragment: Sendable {
    public let typeCondition: Name?
    public let directives: [Directive]
    public let selectionSet: SelectionSet
    public let location: Location

    public init(typeCondition: Name?, directives: [Directive] = [], selectionSet: SelectionSet, location: Location = .none) {
        self.typeCondition = typeCondition
        self.directives = directives
        self.selectionSet = selectionSet
        self.location = location
    }
}
