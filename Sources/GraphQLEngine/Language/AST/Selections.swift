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
public struct Field: Sendable {
    public var alias: Name?
    public var name: Name
    public var arguments: [Argument]
    public var directives: [Directive]
    public var selectionSet: SelectionSet?
    public var location: Location

    /// The key of this field in the response: its alias, or else its name.
    public var responseKey: String { self.alias?.value ?? self.name.value }
}

/// FragmentSpread : ... FragmentName Directives?
public struct FragmentSpread: Sendable {
    public var name: Name
    public var directives: [Directive]
    public var location: Location
}

/// InlineFragment : ... TypeCondition? Directives? SelectionSet
public struct InlineFragment: Sendable {
    public var typeCondition: Name?
    public var directives: [Directive]
    public var selectionSet: SelectionSet
    public var location: Location
}
