import GraphQLEngine
import Synchronization

/// The downstream calls one request may still make (`--max-downstream-calls`). Every call takes
/// one before it leaves; a call the budget cannot cover is not made and its fields fail, so the
/// limit holds whatever the data turns out to be (more keys than a batch, more parents than
/// expected), not only as estimated from the document.
public final class DownstreamCallBudget: Sendable {
    public let limit: Int
    private let used = Atomic<Int>(0)

    public init(limit: Int) { self.limit = max(0, limit) }

    /// Takes one call from the budget; `false` when it is spent.
    public func take() -> Bool {
        while true {
            let current = self.used.load(ordering: .relaxed)
            guard current < self.limit else { return false }
            if self.used.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged { return true }
        }
    }

    /// The error of a field whose call the budget could not cover.
    public var exhausted: GraphQLError {
        GraphQLError(
            "The request reached its limit of \(self.limit) downstream calls; this field was not loaded.",
            extensions: ["code": "DOWNSTREAM_BUDGET_EXCEEDED"])
    }
}
