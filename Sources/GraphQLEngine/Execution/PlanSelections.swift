/// The selection sets a plan is compiled from: the sub-selections of a response key's fields, or
/// an operation's or fragment's set. Most often one, held without an array.
struct PlanSelections {
    /// The first set (`nil`: none, as for a leaf's fields), and any others in document order.
    let first: SelectionSet?
    let rest: [SelectionSet]

    init(_ first: SelectionSet?, _ rest: [SelectionSet] = []) {
        self.first = first
        self.rest = first == nil ? [] : rest
    }

    /// The sets of `sets`, in order.
    init(_ sets: [SelectionSet]) {
        self.init(sets.first, Array(sets.dropFirst()))
    }

    var isEmpty: Bool { self.first == nil }

    /// Room for the fields collected from the sets: their selections, and eight more for each
    /// fragment (spread or inline) among them, whose fields are collected in place.
    var capacityEstimate: Int {
        var estimate = 0
        self.forEach { set in
            for selection in set.selections {
                if case .field = selection { estimate += 1 } else { estimate += 8 }
            }
        }
        return estimate
    }

    func forEach(_ body: (SelectionSet) -> Void) {
        guard let first = self.first else { return }
        body(first)
        for set in self.rest { body(set) }
    }
}

/// An object type and the selection sets (by their place in the document) a plan was compiled for.
struct SelectionsPlanKey: Hashable {
    let type: ObjectIdentifier
    /// The first set's offset in the document (-1: none), and the others'.
    let first: Int
    let rest: [Int]

    init(_ type: GraphQLNamedType, _ selections: PlanSelections) {
        self.type = ObjectIdentifier(type)
        self.first = selections.first?.location.start ?? -1
        self.rest = selections.rest.map(\.location.start)
    }
}
