import Synchronization

/// A document's compiled plans, by operation, kept between executions: a host that caches parsed
/// documents (the gateway's document cache) keeps one beside each, and concurrent executions of
/// the document share its plans. A plan that depends on the variables (a `@skip`/`@include` reading
/// one) is compiled per execution and not kept.
public final class PlanCache: Sendable {
    private let entries = Mutex<[String: CompiledOperation]>([:])

    public init() {}

    /// The operation's compiled plan for `schema`, compiled by `compile` when none is kept.
    func compiled(_ operationName: String?, defersFragments: Bool, schema: GraphQLSchema, compile: () -> CompiledOperation) -> CompiledOperation {
        let key = (operationName ?? "") + (defersFragments ? "\u{0}defer" : "")
        if let kept = self.entries.withLock({ $0[key] }), kept.schema === schema { return kept }
        let compiled = compile()
        if !compiled.dependsOnVariables { self.entries.withLock { $0[key] = compiled } }
        return compiled
    }
}
