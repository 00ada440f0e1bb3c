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

/// Plans made for selection sets, by object type: fields that select the same sets on the same type
/// (a fragment's inner sets, reached from several fields) share one plan. A plan of one set is found
/// by the set's place in the document's selection store (no hashing: every sub-plan is looked up);
/// others, and a set met again on another type, by `SelectionsPlanKey`. One table serves an
/// operation's compilation and then the plans its executions compile for abstract types.
struct KnownPlans {
    private var planAtSet: [ObjectPlan?] = []
    private var others: [SelectionsPlanKey: ObjectPlan] = [:]

    /// The plan made before for `selections` on `type`, if any.
    func plan(_ type: GraphQLNamedType, _ selections: PlanSelections) -> ObjectPlan? {
        if let first = selections.first, selections.rest.isEmpty {
            let slot = Int(first.row.start)
            if slot < self.planAtSet.count, let plan = self.planAtSet[slot], plan.type === type { return plan }
        }
        if self.others.isEmpty { return nil }
        return self.others[SelectionsPlanKey(type, selections)]
    }

    /// Remembers `plan` as the plan of `selections` on its type.
    mutating func remember(_ plan: ObjectPlan, _ selections: PlanSelections) {
        if let first = selections.first, selections.rest.isEmpty {
            let slot = Int(first.row.start)
            if self.planAtSet.isEmpty { self.planAtSet = Array(repeating: nil, count: first.nodes.selections.count) }
            if slot < self.planAtSet.count, self.planAtSet[slot] == nil {
                self.planAtSet[slot] = plan
                return
            }
        }
        self.others[SelectionsPlanKey(plan.type, selections)] = plan
    }
}
