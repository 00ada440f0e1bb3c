import Synchronization

/// A document's compiled plans, by operation, kept between executions: a host that caches parsed
/// documents (the gateway's document cache) keeps one beside each, and concurrent executions of
/// the document share its plans. A plan whose `@skip`/`@include` reads variables is kept per
/// combination of their values (the last `maxVariants` combinations seen).
public final class PlanCache: Sendable {
    /// Plans kept per operation whose plan depends on variables.
    static let maxVariants = 8

    private struct Entry {
        /// The variables the operation's plans depend on (the same for each of its plans).
        let conditionVariables: [String]
        /// Plans by those variables' values, oldest first.
        var variants: [(values: [Value?], compiled: CompiledOperation)]
    }

    /// The plan last kept for an operation whose plan reads no variable: most requests run the
    /// same operation of their document again, found here without hashing a key.
    private struct Last {
        let operationName: String?
        let defersFragments: Bool
        let compiled: CompiledOperation
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var last: Last?
    }

    private let state = Mutex(State())

    public init() {}

    /// The operation's compiled plan for `schema` and these (coerced) variables, compiled by
    /// `compile` when none is kept.
    func compiled(
        _ operationName: String?, defersFragments: Bool, schema: GraphQLSchema, variables: [String: Value], compile: () -> CompiledOperation
    ) -> CompiledOperation {
        let kept = self.state.withLock { state -> CompiledOperation? in
            if let last = state.last, last.operationName == operationName, last.defersFragments == defersFragments {
                return last.compiled
            }
            guard let entry = state.entries[Self.key(operationName, defersFragments)] else { return nil }
            let values = entry.conditionVariables.map { variables[$0] }
            return entry.variants.first { $0.values == values }?.compiled
        }
        if let kept, kept.schema === schema { return kept }
        let compiled = compile()
        let values = compiled.conditionVariables.map { variables[$0] }
        let key = Self.key(operationName, defersFragments)
        self.state.withLock { state in
            var entry = Entry(conditionVariables: compiled.conditionVariables, variants: [])
            if let existing = state.entries[key], existing.conditionVariables == compiled.conditionVariables,
                existing.variants.first?.compiled.schema === schema
            {
                entry = existing
                entry.variants.removeAll { $0.values == values }
            }
            entry.variants.append((values, compiled))
            if entry.variants.count > Self.maxVariants { entry.variants.removeFirst() }
            state.entries[key] = entry
            // Only a plan that no variable decides is the same for every request of the operation.
            // An operation's compilations all have such variables or none has: a condition goes
            // unread only under a selection left out, by a condition that read one.
            if compiled.conditionVariables.isEmpty {
                state.last = Last(operationName: operationName, defersFragments: defersFragments, compiled: compiled)
            }
        }
        return compiled
    }

    /// An operation's key among the kept plans.
    private static func key(_ operationName: String?, _ defersFragments: Bool) -> String {
        (operationName ?? "") + (defersFragments ? "\u{0}defer" : "")
    }
}
