/// SelectionSet : { Selection+ }
///
/// A handle on a run of its document's `SelectionNodes` (no array of its own).
public struct SelectionSet: Sendable {
    let nodes: SelectionNodes
    let row: SelectionNodes.SetRow

    public var selections: SelectionList { SelectionList(nodes: self.nodes, start: Int(self.row.start), count: Int(self.row.count)) }
    public var location: Location { self.row.location }
}

/// The selections of a selection set, in document order.
public struct SelectionList: RandomAccessCollection, Sendable {
    let nodes: SelectionNodes
    let start: Int
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { self.count }

    public subscript(position: Int) -> Selection {
        precondition(position >= 0 && position < self.count, "selection index out of range")
        return self.nodes.selection(self.nodes.selections[self.start + position])
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
/// A handle on a row of its document's `SelectionNodes`: copying it is one reference.
public struct Field: Sendable {
    let nodes: SelectionNodes
    let row: Int32

    public var alias: Name? { self.nodes.alias(ofField: Int(self.row)) }
    public var name: Name { self.nodes.name(ofField: Int(self.row)) }
    public var arguments: [Argument] { self.nodes.fields[Int(self.row)].arguments }
    public var directives: [Directive] { self.nodes.directives(ofField: Int(self.row)) }
    public var selectionSet: SelectionSet? {
        let set = self.nodes.fields[Int(self.row)].selectionSet
        return set.count > 0 ? SelectionSet(nodes: self.nodes, row: set) : nil
    }
    public var location: Location { self.nodes.fields[Int(self.row)].span.location }
    /// The key of this field in the response: its alias, or else its name.
    public var responseKey: String { self.nodes.responseKey(ofField: Int(self.row)) }
    /// The field's name, without its location.
    var nameValue: String { self.nodes.fields[Int(self.row)].name }
    /// Whether the field has directives (read without making an array).
    var hasDirectives: Bool { self.nodes.hasDirectives(ofField: Int(self.row)) }
}

/// FragmentSpread : ... FragmentName Directives?
public struct FragmentSpread: Sendable {
    let nodes: SelectionNodes
    let row: Int32

    public var name: Name { self.nodes.spreads[Int(self.row)].name }
    public var directives: [Directive] { self.nodes.spreads[Int(self.row)].directives }
    public var location: Location { self.nodes.spreads[Int(self.row)].span.location }
}

/// InlineFragment : ... TypeCondition? Directives? SelectionSet
public struct InlineFragment: Sendable {
    let nodes: SelectionNodes
    let row: Int32

    public var typeCondition: Name? { self.nodes.inlines[Int(self.row)].typeCondition }
    public var directives: [Directive] { self.nodes.inlines[Int(self.row)].directives }
    public var selectionSet: SelectionSet { SelectionSet(nodes: self.nodes, row: self.nodes.inlines[Int(self.row)].selectionSet) }
    public var location: Location { self.nodes.inlines[Int(self.row)].span.location }
}
