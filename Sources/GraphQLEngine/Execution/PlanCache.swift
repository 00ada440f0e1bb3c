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

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// The operation's compiled plan for `schema` and these (coerced) variables, compiled by
    /// `compile` when none is kept.
    func compiled(
        _ operationName: String?, defersFragments: Bool, schema: GraphQLSchema, variables: [String: Value], compile: () -> CompiledOperation
    ) -> CompiledOperation {
        let key = (operationName ?? "") + (defersFragments ? "\u{0}defer" : "")
        let kept = self.entries.withLock { entries -> CompiledOperation? in
            guard let entry = entries[key] else { return nil }
            let values = entry.conditionVariables.map { variables[$0] }
            return entry.variants.first { $0.values == values }?.compiled
        }
        if let kept, kept.schema === schema { return kept }
        let compiled = compile()
        let values = compiled.conditionVariables.map { variables[$0] }
        self.entries.withLock { entries in
            var entry = Entry(conditionVariables: compiled.conditionVariables, variants: [])
            if let existing = entries[key], existing.conditionVariables == compiled.conditionVariables,
                existing.variants.first?.compiled.schema === schema
            {
                entry = existing
                entry.variants.removeAll { $0.values == values }
            }
            entry.variants.append((values, compiled))
            if entry.variants.count > Self.maxVariants { entry.variants.removeFirst() }
            entries[key] = entry
        }
        return compiled
    }
}
